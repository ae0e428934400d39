"""The thread and board pages' query budget: a fixed number of statements, and no more
than this (tests/test_pages_threads.py checks that the number does not grow with posts)."""

from tests.sql_support import page_statements

# Statements for a repeat view. Each request has a session of its own, as in production,
# so nothing the test loaded is in it already (the benchmark's thread page, with more
# posts and readers, runs 19).
THREAD_PAGE = {"trainee": 15, "teacher": 14, "admin": 13}
BOARD_PAGE = {"trainee": 13, "teacher": 12, "admin": 10}


def test_thread_page_query_budget(app, world, login, make_post):
    for i in range(6):
        make_post(world.thread, (world.teacher, world.trainee)[i % 2], f"第 {i} 条")
    for user in (world.trainee, world.teacher, world.admin):
        statements = page_statements(login(user), f"/threads/{world.thread.id}", repeat_view=True)
        assert len(statements) <= THREAD_PAGE[user.username], statements


def test_board_page_query_budget(app, world, login):
    for user in (world.trainee, world.teacher, world.admin):
        statements = page_statements(login(user), f"/boards/{world.board.id}", repeat_view=True)
        assert len(statements) <= BOARD_PAGE[user.username], statements
