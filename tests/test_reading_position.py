"""The thread page reads the reading position and the first unread post in one query:
the same answers as ``read_position`` and ``first_unread_number`` asked one by one."""

import pytest


def _separately(user, thread):
    from forum.engagement import reading

    last = reading.read_position(user, thread)
    return last, (reading.first_unread_number(user, thread, last) if last is not None else None)


@pytest.mark.parametrize("answer_first", [False, True])
def test_reading_position_matches_the_separate_queries(app, cls, make_post, db, answer_first):
    from forum.engagement import reading
    from forum.threads.services import delete_post, moderate_post

    thread = cls.thread
    thread.answer_first = answer_first
    db.session.commit()
    posts = [
        make_post(thread, author, f"reply {n}") for n, author in enumerate([cls.teacher, cls.classmate] * 4)
    ]
    moderate_post(cls.teacher, posts[2], hidden=True, reason="off topic")
    delete_post(cls.teacher, posts[3])
    viewers = [cls.trainee, cls.classmate, cls.teacher, cls.admin]
    assert reading.reading_position(cls.admin, thread) == (None, None)  # never opened
    for user in viewers:  # as posting left them
        assert reading.reading_position(user, thread) == _separately(user, thread)
    answers = set()
    for last in (0, 1, 2, 3, 4, 5, 7, 9):
        for user in viewers:
            reading.mark_read(user, thread, last)
            expected = _separately(user, thread)
            assert reading.reading_position(user, thread) == expected, (user.username, last)
            answers.add(expected[1])
    assert len(answers) > 3  # the cases differ: hidden, deleted, own posts, answer first
