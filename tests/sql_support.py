"""Counting the SQL statements a page runs (the query budgets of the thread and board
pages)."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded_statements():
    """Every statement sent to the database inside the block, in order."""
    from forum.extensions import db

    engine = db.engine
    statements = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


def page_statements(client, url, *, repeat_view: bool = False) -> list[str]:
    """The statements of one view of ``url`` (a 200). ``repeat_view``: view it once
    before, so a first view's one-off write (the reading position) is not counted."""
    if repeat_view:
        client.get(url)
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return statements
