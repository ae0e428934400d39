"""The participation report on a large cohort: time to compute it and to write the CSV.

Builds a migrated SQLite database in a temporary folder with one cohort of T trainees
and 4 instructors, P posts per trainee (a tenth of them opening posts, a fifth in case
threads, a tenth of the threads questions answered by staff), M room messages and R
reactions per trainee, then times ``participation()`` (median of the runs) and the CSV.
The baseline, run in the same process on the same rows: one SQL ``GROUP BY`` that reads
the cohort's posts in the range once and counts them and their characters per author (what
any report of this kind must at least read), with the ratio report/baseline.

    .venv/bin/python benchmarks/participation_report.py --trainees 60 --posts 200 --runs 5
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["城市", "规划", "治理", "policy", "reform", "基层", "数据", "AI", "2030", "乡村振兴"]


def build(app, trainees: int, posts: int, messages: int, reactions: int):
    from sqlalchemy import insert

    from forum.accounts.models import User
    from forum.cohorts.models import Board, Cohort, Membership
    from forum.engagement.models import Reaction
    from forum.extensions import db
    from forum.rooms.models import Room, RoomMessage
    from forum.threads.models import Post, Thread
    from forum.utils import utcnow

    rng = random.Random(6)
    now = utcnow()
    cohort = Cohort(slug="bench", name="Bench", kind="national", year=2026)
    db.session.add(cohort)
    db.session.flush()
    board = Board(cohort_id=cohort.id, name="B", position=1)
    db.session.add(board)
    people = [
        User(username=f"u{i}", display_name=f"U{i}", password_hash="x", role="trainee")
        for i in range(trainees)
    ]
    staff = [
        User(username=f"s{i}", display_name=f"S{i}", password_hash="x", role="instructor") for i in range(4)
    ]
    db.session.add_all(people + staff)
    db.session.flush()
    db.session.add_all([Membership(cohort_id=cohort.id, user_id=u.id, role="trainee") for u in people])
    db.session.add_all([Membership(cohort_id=cohort.id, user_id=u.id, role="instructor") for u in staff])
    room = Room(cohort_id=cohort.id, name="R")
    db.session.add(room)
    db.session.flush()
    threads = []
    for i in range(trainees * posts // 10):
        author = people[i % trainees]
        kind = "question" if i % 10 == 0 else ("case" if i % 5 == 1 else "discussion")
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        threads.append(
            Thread(
                board_id=board.id,
                author_id=author.id,
                title=f"T{i}",
                kind=kind,
                created_at=created,
                last_activity_at=created,
                post_count=1,
            )
        )
    db.session.add_all(threads)
    db.session.flush()
    rows, counters = [], {t.id: 1 for t in threads}
    for t in threads:
        rows.append(
            dict(
                thread_id=t.id,
                author_id=t.author_id,
                number=1,
                body=" ".join(rng.choices(WORDS, k=40)),
                body_html="",
                created_at=t.created_at,
            )
        )
    for i in range(trainees * posts - len(threads)):
        t = threads[rng.randrange(len(threads))]
        author = staff[i % 4] if (t.kind == "question" and i % 3 == 0) else people[rng.randrange(trainees)]
        counters[t.id] += 1
        rows.append(
            dict(
                thread_id=t.id,
                author_id=author.id,
                number=counters[t.id],
                body=" ".join(rng.choices(WORDS, k=rng.randint(5, 80))),
                body_html="",
                created_at=t.created_at + timedelta(minutes=rng.randint(1, 3000)),
            )
        )
    db.session.execute(insert(Post), rows)
    db.session.execute(
        insert(RoomMessage),
        [
            dict(
                room_id=room.id,
                author_id=people[i % trainees].id,
                client_id=f"c{i}",
                body="hi",
                body_html="hi",
                created_at=now - timedelta(minutes=i),
            )
            for i in range(trainees * messages)
        ],
    )
    post_ids = [p for (p,) in db.session.execute(db.select(Post.id)).all()]
    db.session.execute(
        insert(Reaction),
        [
            dict(post_id=post_ids[i], user_id=people[(i + 1) % trainees].id, kind="agree", created_at=now)
            for i in range(min(len(post_ids), trainees * reactions))
        ],
    )
    db.session.commit()
    return cohort, staff[0]


def baseline(cohort, start, end) -> list:
    """One pass over the cohort's posts in the range: count and characters per author."""
    from sqlalchemy import func, select

    from forum.cohorts.models import Board
    from forum.extensions import db
    from forum.threads.models import Post, Thread

    statement = (
        select(Post.author_id, func.count(), func.sum(func.length(Post.body)))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(Board.cohort_id == cohort.id, Post.created_at >= start, Post.created_at < end)
        .group_by(Post.author_id)
    )
    return db.session.execute(statement).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=60)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--reactions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from forum import create_app
    from forum.reports import export
    from forum.reports.services import date_range, participation

    folder = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.sqlite3'}",
        INSTANCE_DIR=str(folder),
        FORUM_WORKER="external",
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        cohort, teacher = build(app, args.trainees, args.posts, args.messages, args.reactions)
        start, end = date_range(cohort, (cohort.created_at - timedelta(days=90)).date().isoformat())
        timings, csv_timings, floor_timings = [], [], []
        for _ in range(args.runs):
            began = time.perf_counter()
            baseline(cohort, start, end)
            floor_timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            report = participation(teacher, cohort, start, end)
            timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            export.to_csv(report)
            csv_timings.append(time.perf_counter() - began)
        total_posts = args.trainees * args.posts
        print(
            f"cohort: {args.trainees} trainees, {total_posts} posts, {args.trainees * args.messages} room messages,"
            f" {args.trainees * args.reactions} reactions"
        )
        print(
            f"report: median {statistics.median(timings) * 1000:.0f} ms over {args.runs} runs"
            f" ({statistics.median(timings) / total_posts * 1e6:.1f} µs per post)"
        )
        floor = statistics.median(floor_timings)
        print(
            f"baseline (one GROUP BY over the same posts): median {floor * 1000:.0f} ms;"
            f" report/baseline x{statistics.median(timings) / floor:.1f}"
        )
        print(f"csv:    median {statistics.median(csv_timings) * 1000:.1f} ms")
        print(
            f"questions {report.questions}, answered {report.answered}, "
            f"median first reply {report.median_first_reply_seconds} s"
        )


if __name__ == "__main__":
    main()
