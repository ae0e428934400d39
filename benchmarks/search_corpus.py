"""The generated corpus and query mix of benchmarks/search.py (seeded, so every run
and both engines see the same documents and queries)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COHORTS = 20
ENGLISH = (
    "plan city sponge govern reform budget policy village water flood river housing market "
    "finance tax credit school health hospital road rail transport energy carbon climate "
    "forest farm food grain poverty income labor employ wage pension insurance law court "
    "police safety emergency disaster risk audit supervise discipline party cadre train "
    "lecture seminar case study research survey data digital platform service license "
    "permit business enterprise industry invest export trade port tourism culture heritage "
    "museum library community street district county province region nation develop "
    "innovate technology science talent youth elder care child family land zone park green "
    "waste recycle pollute clean air quality standard indicator assess evaluate perform "
    "account respond coordinate integrate renew upgrade build design manage operate "
    "maintain protect restore reduce increase improve support fund subsidy loan debt bond"
).split()
SUFFIXES = ("", "s", "ing", "ed", "er", "ers", "ment", "ments")


def english_word(rng) -> str:
    word = rng.choice(ENGLISH)
    suffix = rng.choice(SUFFIXES)
    if suffix and word.endswith("e") and suffix[0] in "ie":
        word = word[:-1]
    return word + suffix


def load_vocabulary():
    """jieba's dictionary: Chinese words of 1-4 characters with their frequencies."""
    import jieba

    words, weights = [], []
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and 1 <= len(parts[0]) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", parts[0]):
            words.append(parts[0])
            weights.append(int(parts[1]))
    order = sorted(range(len(words)), key=lambda i: -weights[i])
    words = [words[i] for i in order]
    weights = [weights[i] for i in order]
    cumulative, total = [], 0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative


class Writer:
    """Bilingual text: frequency-weighted Chinese words, now and then an English phrase."""

    def __init__(self, rng, vocabulary):
        self.rng = rng
        self.words, self.cumulative = vocabulary

    def sentence(self, count: int) -> str:
        rng = self.rng
        picked = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        parts = []
        for index, word in enumerate(picked):
            parts.append(word)
            if index % 9 == 8:
                parts.append(rng.choice("，。；"))
            if rng.random() < 0.02:
                parts.append(" " + " ".join(english_word(rng) for _ in range(rng.randint(2, 6))) + " ")
        return "".join(parts) + "。"


def build_database(url: str, args, rng, writer) -> dict:
    """The forum's schema (migrations) filled with the generated corpus; returns counts."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from forum import create_app
    from forum.accounts.models import User
    from forum.cohorts.models import Board, Cohort, Membership
    from forum.extensions import db
    from forum.materials.models import Material, MaterialPage, material_shares
    from forum.threads.models import Post, Thread

    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        FORUM_WORKER="external",
        FORUM_SEARCH_INDEX_DIR=args.index_dir,
        FORUM_MATERIALS_DIR=args.index_dir + "-files",
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        users = [
            {"id": 1, "username": "admin", "display_name": "Admin", "password_hash": "x", "role": "admin"},
            {
                "id": 2,
                "username": "reader",
                "display_name": "Reader",
                "password_hash": "x",
                "role": "trainee",
            },
        ]
        users += [
            {
                "id": 3 + i,
                "username": f"author{i}",
                "display_name": f"Author {i}",
                "password_hash": "x",
                "role": "trainee",
            }
            for i in range(40)
        ]
        db.session.execute(insert(User), users)
        db.session.execute(
            insert(Cohort),
            [
                {
                    "id": c,
                    "slug": f"cohort-{c}",
                    "name": f"第{c}期研究班",
                    "kind": "national",
                    "year": 2020 + c % 6,
                }
                for c in range(1, COHORTS + 1)
            ],
        )
        db.session.execute(
            insert(Board), [{"id": c, "cohort_id": c, "name": "研讨"} for c in range(1, COHORTS + 1)]
        )
        db.session.execute(
            insert(Membership), [{"cohort_id": c, "user_id": 2, "role": "trainee"} for c in (1, 2)]
        )
        threads, posts = args.docs // 20, args.docs * 17 // 20
        materials = args.docs - threads - posts
        per_thread = posts // threads
        thread_rows, post_rows = [], []
        for t in range(1, threads + 1):
            thread_rows.append(
                {
                    "id": t,
                    "board_id": (t - 1) % COHORTS + 1,
                    "author_id": 3 + t % 40,
                    "title": writer.sentence(rng.randint(3, 7))[:190],
                    "post_count": per_thread,
                }
            )
            for n in range(1, per_thread + 1):
                body = writer.sentence(rng.randint(20, 90))
                post_rows.append(
                    {
                        "thread_id": t,
                        "author_id": 3 + (t + n) % 40,
                        "number": n,
                        "body": body,
                        "body_html": f"<p>{body}</p>",
                        "hidden": rng.random() < 0.02,
                    }
                )
        db.session.execute(insert(Thread), thread_rows)
        for start in range(0, len(post_rows), 5000):
            db.session.execute(insert(Post), post_rows[start : start + 5000])
        material_rows, page_rows, share_rows = [], [], []
        for m in range(1, materials + 1):
            material_rows.append(
                {
                    "id": m,
                    "content_hash": f"{m:064x}",
                    "title": writer.sentence(rng.randint(3, 6))[:190],
                    "original_filename": f"m{m}.pdf",
                    "mime_type": "application/pdf",
                    "kind": "pdf",
                    "size": 1000,
                    "status": "indexed",
                    "page_count": 3,
                    "college_wide": m % 10 == 0,
                    "uploaded_by_id": 1,
                }
            )
            share_rows.append({"material_id": m, "cohort_id": (m - 1) % COHORTS + 1})
            page_rows += [
                {"material_id": m, "number": p, "text": writer.sentence(rng.randint(60, 200))}
                for p in (1, 2, 3)
            ]
        db.session.execute(insert(Material), material_rows)
        db.session.execute(insert(material_shares), share_rows)
        for start in range(0, len(page_rows), 5000):
            db.session.execute(insert(MaterialPage), page_rows[start : start + 5000])
        db.session.commit()
        db.engine.dispose()
    return {"threads": threads, "posts": len(post_rows), "materials": materials}


def make_queries(rng, writer, count: int = 200) -> list[dict]:
    """A fixed mix: (kind, forum query text, FTS5 match expression built from the same words)."""
    writer = Writer(rng, (writer.words, writer.cumulative))  # phrases from this seed only
    words = writer.words[100:20000]
    mix = [
        ("word", 80),
        ("pair", 40),
        ("phrase", 20),
        ("english", 25),
        ("mixed", 15),
        ("exclude", 10),
        ("or", 10),
    ]
    queries = []
    for kind, n in mix:
        for _ in range(n * count // 200):
            if kind == "word":
                queries.append((kind, [rng.choice(words)], None))
            elif kind == "pair":
                queries.append((kind, rng.sample(words, 2), None))
            elif kind == "phrase":
                text = writer.sentence(12)
                queries.append((kind, [text[2:8]], "phrase"))
            elif kind == "english":
                queries.append((kind, [english_word(rng)], None))
            elif kind == "mixed":
                queries.append((kind, [rng.choice(words[:3000]), rng.choice(ENGLISH)], None))
            elif kind == "exclude":
                queries.append((kind, [rng.choice(words[:2000]), rng.choice(words[:2000])], "exclude"))
            else:
                queries.append((kind, [rng.choice(words), rng.choice(words)], "or"))
    rng.shuffle(queries)
    return queries


def forum_text(query) -> str:
    _kind, parts, mode = query
    if mode == "phrase":
        return f'"{parts[0]}"'
    if mode == "exclude":
        return f"{parts[0]} -{parts[1]}"
    if mode == "or":
        return f"{parts[0]} OR {parts[1]}"
    return " ".join(parts)
