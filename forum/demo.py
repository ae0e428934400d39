"""The demo data set behind `flask --app wsgi forum seed-demo` (and `make run`).

Everything is created through the services, as a person would through the pages,
so the demo also exercises validation, events and search indexing. The texts are
in forum/demo_content.py.
"""

import logging

from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.cohorts import services as cohorts
from forum.demo_content import COHORTS
from forum.extensions import db
from forum.threads import services as threads

log = logging.getLogger(__name__)

PASSWORDS = {
    "admin": "admin-demo-2026",
    "instructor": "teacher-demo-2026",
    "trainee": "trainee-demo-2026",
}

# username, display name, site role
USERS = [
    ("admin", "教务处管理员", "admin"),
    ("zhangming", "张明 教授", "instructor"),
    ("chenjing", "陈静 副教授", "instructor"),
    ("sarah.miller", "Dr. Sarah Miller", "instructor"),
    ("wangqiang", "王强", "trainee"),
    ("liuyang", "刘洋", "trainee"),
    ("zhaomin", "赵敏", "trainee"),
    ("sunli", "孙丽", "trainee"),
    ("amara.okafor", "Amara Okafor", "trainee"),
    ("lucas.silva", "Lucas Silva", "trainee"),
    ("nguyen.lan", "Nguyen Thi Lan", "trainee"),
]


def seed() -> list[tuple[str, str, str]] | None:
    """Create the demo; None (and nothing changed) when the database has any account."""
    if db.session.execute(select(func.count(User.id))).scalar_one():
        return None
    people = {}
    for username, display_name, role in USERS:
        people[username] = accounts.create_user(None, username, PASSWORDS[role], role, display_name)
    admin = people["admin"]
    for spec in COHORTS:
        cohort = cohorts.create_cohort(
            admin,
            spec["slug"],
            spec["name"],
            spec["kind"],
            spec["year"],
            spec["language"],
            spec["description"],
        )
        for username, role in spec["members"].items():
            cohorts.add_membership(admin, cohort, people[username], role)
        for board_spec in spec["boards"]:
            board = cohorts.create_board(
                admin,
                cohort,
                board_spec["name"],
                board_spec["description"],
                board_spec.get("anonymous_allowed", False),
            )
            for thread_spec in board_spec["threads"]:
                _seed_thread(board, thread_spec, people)
    log.info("demo data created: %d users, %d cohorts", len(USERS), len(COHORTS))
    return [(username, PASSWORDS[role], role) for username, _name, role in USERS]


def _seed_thread(board, spec, people) -> None:
    """One thread with its replies; ``reply_to`` counts posts of the thread from 1."""
    thread = threads.create_thread(
        people[spec["author"]],
        board,
        spec["title"],
        spec["body"],
        spec["kind"],
        spec.get("anonymous", False),
    )
    posts = [threads.opening_post(thread)]
    for reply in spec.get("replies", []):
        target = reply.get("reply_to")
        post = threads.create_post(
            people[reply["author"]],
            thread,
            reply["body"],
            posts[target - 1].id if target else None,
            reply.get("anonymous", False),
        )
        posts.append(post)
    if spec.get("pinned"):
        moderator = people[spec["pinned"]]
        threads.moderate_thread(moderator, thread, pinned=True)
