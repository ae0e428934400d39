"""Search benchmark: the forum's whole search request beside SQLite FTS5.

A bilingual corpus of 20,000 documents is generated (Chinese words drawn from jieba's
own dictionary by frequency, English words with inflections): 1,000 threads, 17,000
posts in 20 cohorts, 2,000 three-page materials. It is written to a SQLite database
with the forum's migrations, then indexed by the forum's own rebuild (database rows ->
documents -> analysis -> Whoosh), giving documents per second and the index size.

A fixed, seeded mix of 200 queries (Chinese words, pairs, phrases, English words,
mixed, exclusions, OR) is then run through ``forum.search.services.search`` as a
trainee of 2 of the 20 cohorts: the WHOLE request (parsing, permission filter,
counting, the page of 10 hits re-checked against the database, 10 highlighted
snippets, URLs). Beside it, SQLite FTS5 on the same corpus (pre-segmented by the same
analyzer, since FTS5 cannot segment Chinese) answers the same queries with the same
permission filter (a join on an access table), a count, and ``snippet()`` for 10 hits.
Printed: p50/p95 of both, the ratio, and the memory of a fresh process that opens the
searcher and runs the queries (as a web process would).

    .venv/bin/python benchmarks/search.py               # 20,000 documents, 3 query runs
    .venv/bin/python benchmarks/search.py --docs 5000 --runs 1
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_corpus import (  # noqa: E402
    Writer,
    build_database,
    forum_text,
    load_vocabulary,
    make_queries,
)


def fts_text(query) -> str | None:
    """The same query for FTS5 over text segmented by the forum's analyzer."""
    from forum.search.analyzer import words

    def terms(text):
        return [t for t, _p, _s, _e in words(text)]

    def quote(term):
        return '"' + term.replace('"', "") + '"'

    _kind, parts, mode = query
    if mode == "phrase":
        found = terms(parts[0])
        return '"' + " ".join(found) + '"' if found else None
    groups = [" AND ".join(quote(t) for t in terms(p)) for p in parts]
    groups = [g for g in groups if g]
    if not groups:
        return None
    if mode == "exclude":
        return f"({groups[0]}) NOT ({groups[1]})" if len(groups) == 2 else groups[0]
    if mode == "or":
        return " OR ".join(f"({g})" for g in groups)
    return " AND ".join(f"({g})" for g in groups)


def segmented(text: str) -> str:
    """Text as FTS5 gets it: the forum's words (with the parts of long Chinese words)."""
    from forum.search.analyzer import words

    return " ".join(t for t, _p, _s, _e in words(text, with_subwords=True))


def build_fts(db_path: str, fts_path: str) -> tuple[float, float]:
    """FTS5 over the same documents; returns (segmenting seconds, FTS5 insert seconds)."""
    from forum.sanitize import plain_text

    source = sqlite3.connect(db_path)
    rows = []
    started = time.perf_counter()
    for tid, title, cohort in source.execute(
        "select t.id, t.title, b.cohort_id from threads t join boards b on b.id = t.board_id"
    ):
        rows.append((f"thread:{tid}", segmented(title), "", f"c{cohort} m{cohort}"))
    for pid, html, hidden, cohort in source.execute(
        "select p.id, p.body_html, p.hidden, b.cohort_id from posts p join threads t on t.id = p.thread_id "
        "join boards b on b.id = t.board_id"
    ):
        access = f"m{cohort}" if hidden else f"c{cohort} m{cohort}"
        rows.append((f"post:{pid}", "", segmented(plain_text(html)), access))
    pages: dict[int, list[str]] = {}
    for mid, text in source.execute(
        "select material_id, text from material_pages order by material_id, number"
    ):
        pages.setdefault(mid, []).append(text)
    for mid, title, wide, cohort in source.execute(
        "select m.id, m.title, m.college_wide, s.cohort_id from materials m "
        "join material_shares s on s.material_id = m.id"
    ):
        access = f"c{cohort} u1" + (" all" if wide else "")
        rows.append((f"material:{mid}", segmented(title), segmented("\n\n".join(pages.get(mid, []))), access))
    segmenting = time.perf_counter() - started
    source.close()
    fts = sqlite3.connect(fts_path)
    started = time.perf_counter()
    # Access tokens are a column of the FTS table: the permission filter is part of the
    # MATCH (the idiomatic, fast way; a join on a side table made FTS5 ~30x slower).
    fts.execute("create virtual table docs using fts5(key unindexed, title, body, access)")
    fts.executemany(
        "insert into docs(rowid, key, title, body, access) values (?, ?, ?, ?, ?)",
        [(rowid, *row) for rowid, row in enumerate(rows, start=1)],
    )
    fts.commit()
    inserting = time.perf_counter() - started
    fts.close()
    return segmenting, inserting


def run_fts(fts_path: str, queries, tokens) -> list[float]:
    fts = sqlite3.connect(fts_path)
    allowed = "access:(" + " OR ".join(tokens) + ")"
    timings = []
    for query in queries:
        expression = fts_text(query)
        started = time.perf_counter()
        if expression:
            match = f"({expression}) AND {allowed}"
            try:
                fts.execute("select count(*) from docs where docs match ?", (match,)).fetchone()
                fts.execute(
                    "select key, title, snippet(docs, 2, '<mark>', '</mark>', '…', 24), bm25(docs, 0, 2, 1, 0) "
                    "from docs where docs match ? order by bm25(docs, 0, 2, 1, 0) limit 10",
                    (match,),
                ).fetchall()
            except sqlite3.OperationalError:
                pass
        timings.append(time.perf_counter() - started)
    fts.close()
    return timings


def make_app(args):
    from forum import create_app

    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=args.db_url,
        FORUM_WORKER="external",
        FORUM_SEARCH_INDEX_DIR=args.index_dir,
        FORUM_MATERIALS_DIR=args.index_dir + "-files",
    )


def run_forum(app, queries, username: str) -> tuple[list[float], list[int]]:
    """The whole search request per query, as the page and the API call it."""
    from forum.accounts.models import User
    from forum.extensions import db
    from forum.search import services

    timings, totals = [], []
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        with app.test_request_context():
            for query in queries:
                user.forget_cohort_roles()  # loaded per request, as for a signed-in page
                started = time.perf_counter()
                found = services.search(user, forum_text(query))
                assert len(found.hits) <= 10
                timings.append(time.perf_counter() - started)
                totals.append(found.total)
                db.session.expire_all()
    return timings, totals


def run_engine(app, queries, username: str) -> list[float]:
    """Whoosh's part alone, for the same reader: parse, the cached permission filter, the
    search and its count; no snippets, no database re-check, no URLs. What is left of
    the whole request once the forum's own work is taken away."""
    from whoosh import query as Q

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.search import query as search_query
    from forum.search.index import get_index
    from forum.search.services import _allowed_docs, access_tokens

    timings = []
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        tokens = access_tokens(user)
        index = get_index()
        for query in queries:
            started = time.perf_counter()
            parsed = search_query.parse(forum_text(query))
            if not parsed.is_empty:
                with index.searching() as searcher:
                    allowed = _allowed_docs(index, searcher, tokens)
                    found = searcher.search(
                        Q.And([search_query.build(parsed)]), limit=10, filter=allowed, optimize=False
                    )
                    len(found)
            timings.append(time.perf_counter() - started)
    return timings


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_child(args) -> None:
    """A web-like process: the app, the searcher opened, jieba loaded, the 200 queries
    answered for a trainee and for an admin. The query list comes from the parent (a
    file), so that generating it (jieba's whole dictionary as Python lists) is not
    counted as the web process's memory."""
    before = rss_mb()
    app = make_app(args)
    with_app = rss_mb()
    from forum.search.analyzer import warm_up
    from forum.search.index import get_index

    with app.app_context():
        with get_index().searching():
            opened = rss_mb()
    warm_up()
    segmenter = rss_mb()
    queries = [tuple(query) for query in json.loads(Path(args.queries_file).read_text(encoding="utf-8"))]
    run_forum(app, queries, "reader")
    run_forum(app, queries, "admin")
    after = rss_mb()
    print(f"MEMORY {before:.1f} {with_app:.1f} {opened:.1f} {segmenter:.1f} {after:.1f}")


def pct(values, p) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def index_corpus(args, rng, writer, db_path) -> int:
    """Generate the corpus into the database, then index it with the forum's rebuild."""
    started = time.perf_counter()
    counts = build_database(args.db_url, args, rng, writer)
    print(
        f"corpus: {args.docs} documents ({counts['threads']} threads, {counts['posts']} posts, "
        f"{counts['materials']} materials of 3 pages) generated in {time.perf_counter() - started:.1f} s"
    )
    app = make_app(args)
    from forum.search.consistency import rebuild_index

    with app.app_context():
        started = time.perf_counter()
        indexed = rebuild_index()
        seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in Path(args.index_dir).iterdir() if p.is_file()) / 1024 / 1024
    print(
        f"forum index: {indexed} documents in {seconds:.1f} s = {indexed / seconds:.0f} docs/s "
        f"(database rows, analysis, Whoosh commit); index size {size:.1f} MB"
    )
    return indexed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="query passes (medians are printed)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", default=None, help="work in this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse its corpus and index")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args)
        return
    import logging

    logging.disable(logging.WARNING)
    work = Path(args.keep or tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "forum.sqlite3"
    args.db_url, args.index_dir = f"sqlite:///{db_path}", str(work / "index")
    rng = random.Random(args.seed)
    writer = Writer(rng, load_vocabulary())
    (work / "fts.sqlite3").unlink(missing_ok=True)
    if args.reuse and db_path.exists() and Path(args.index_dir).exists():
        print(f"reusing the corpus and index in {work} (indexing figures: see the run that made them)")
        indexed = args.docs
    else:
        db_path.unlink(missing_ok=True)
        shutil.rmtree(work / "index", ignore_errors=True)
        indexed = index_corpus(args, rng, writer, db_path)
    segmenting, inserting = build_fts(str(db_path), str(work / "fts.sqlite3"))
    fts_size = (work / "fts.sqlite3").stat().st_size / 1024 / 1024
    print(
        f"FTS5 index: segmenting {segmenting:.1f} s (same analyzer) + insert {inserting:.1f} s = "
        f"{indexed / (segmenting + inserting):.0f} docs/s; database size {fts_size:.1f} MB"
    )

    queries = make_queries(random.Random(args.seed + 1), writer)
    tokens = ["all", "u2", "c1", "c2"]
    app = make_app(args)
    run_forum(app, queries[:5], "reader")  # warm: jieba's dictionary, the searcher
    forum_runs, fts_runs, admin_runs, engine_runs = [], [], [], []
    totals = []
    for run in range(args.runs):
        timings, totals = run_forum(app, queries, "reader")
        forum_runs.append(timings)
        fts_runs.append(run_fts(str(work / "fts.sqlite3"), queries, tokens))
        admin_runs.append(run_forum(app, queries, "admin")[0])
        engine_runs.append(run_engine(app, queries, "reader"))
        print(
            f"  run {run + 1}: forum p50 {pct(timings, 50):.1f} ms p95 {pct(timings, 95):.1f} ms | "
            f"FTS5 p50 {pct(fts_runs[-1], 50):.1f} ms p95 {pct(fts_runs[-1], 95):.1f} ms"
        )

    def median(runs, p):
        return statistics.median(pct(r, p) for r in runs)

    f50, f95 = median(forum_runs, 50), median(forum_runs, 95)
    s50, s95 = median(fts_runs, 50), median(fts_runs, 95)
    a50, a95 = median(admin_runs, 50), median(admin_runs, 95)
    hits = sum(1 for t in totals if t)
    print(
        f"queries: {len(queries)} (with hits for the reader: {hits}; median total {statistics.median(totals):.0f})"
    )
    print(
        f"forum whole search, trainee of 2/20 cohorts: p50 {f50:.1f} ms, p95 {f95:.1f} ms (goal p95 < 50 ms)"
    )
    print(f"forum whole search, admin (no filter):        p50 {a50:.1f} ms, p95 {a95:.1f} ms")
    print(f"FTS5 count + 10 snippet(), same filter:       p50 {s50:.1f} ms, p95 {s95:.1f} ms")
    print(f"ratio forum/FTS5: p50 {f50 / s50:.2f}x, p95 {f95 / s95:.2f}x (medians of {args.runs} runs)")
    e50, e95 = median(engine_runs, 50), median(engine_runs, 95)
    print(
        f"Whoosh alone (parse, filter, search, count; no snippets, no database): p50 {e50:.1f} ms, "
        f"p95 {e95:.1f} ms = p50 {e50 / s50:.2f}x, p95 {e95 / s95:.2f}x FTS5's whole request"
    )
    queries_file = work / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--memory-child",
            "--db-url",
            args.db_url,
            "--index-dir",
            args.index_dir,
            "--queries-file",
            str(queries_file),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"MEMORY ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", child.stdout)
    if match:
        before, with_app, opened, segmenter, after = map(float, match.groups())
        print(
            f"web process memory (RSS): interpreter {before:.0f} MB, app loaded {with_app:.0f} MB, "
            f"searcher open {opened:.0f} MB, jieba loaded {segmenter:.0f} MB, "
            f"after the {len(queries)} queries as a trainee and as an admin {after:.0f} MB"
        )
    else:
        print("memory child failed:", child.stderr[-500:])
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("FORUM_ENV", "testing")
    main()
