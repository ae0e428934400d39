"""The thread and board pages' query budget: a fixed number of statements, and no more
than this (tests/test_pages_threads.py checks that the number does not grow with posts)."""

from tests.sql_support import page_statements

# Statements for a repeat view in the test set-up (one session for the whole test, so the
# thread, board and cohort are often in it already; in production, with a session per
# request, the thread page of the benchmark runs 19).
THREAD_PAGE = {"trainee": 11, "teacher": 14, "admin": 13}
BOARD_PAGE = {"trainee": 9, "teacher": 8, "admin": 7}


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
