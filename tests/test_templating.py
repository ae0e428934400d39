"""The template helpers that thread and board pages call per post: same output as the
plain way of computing it, however often they are called."""

from datetime import timedelta

import pytest
from flask import render_template_string, session, url_for
from flask_babel import format_timedelta, refresh
from markupsafe import Markup

from forum import templating

DELTAS = [
    0,
    1,
    30,
    59,
    59.6,
    60,
    89,
    90,
    3569,
    3599,
    3600,
    5400,
    86399,
    86400,
    6 * 86400 + 43199,
    7 * 86400,
    29 * 86400 + 50000,
    30 * 86400,
    364 * 86400,
    365 * 86400,
    900 * 86400,
]


def _plain_when(value, now):
    relative = format_timedelta(value - now, add_direction=True, threshold=1.0)
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        templating.iso(value), templating.datetime_full(value), relative
    )


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_when_matches_babel_before_and_after_time_moves(app, monkeypatch, language):
    now = templating.utcnow().replace(microsecond=250_000)
    values = [now - timedelta(seconds=s) for s in DELTAS] + [now + timedelta(seconds=s) for s in DELTAS[1:]]
    with app.test_request_context("/"):
        session["locale"] = language
        refresh()
        for step in (0, 0, 0.5, 1, 61, 3600, 86400 * 3):  # repeated: the second round is cached
            moved = now + timedelta(seconds=step)
            monkeypatch.setattr(templating, "utcnow", lambda moved=moved: moved)
            for value in values:
                rendered = render_template_string("{{ when(value) }}", value=value)
                assert rendered == _plain_when(value, moved), (value, moved)
        assert render_template_string("{{ when(None) }}") == '<time datetime="" title=""></time>'


def test_when_depends_on_the_language(app):
    value = templating.utcnow() - timedelta(hours=3)
    rendered = {}
    for language in ("en", "zh_CN"):
        with app.test_request_context("/"):
            session["locale"] = language
            refresh()  # the app context (and Flask-Babel's choice in it) outlives the request
            rendered[language] = render_template_string("{{ when(value) }}", value=value)
    english, chinese = rendered["en"], rendered["zh_CN"]
    assert "3 hours ago" in english and english != chinese


@pytest.mark.parametrize(
    "endpoint, name, values",
    [
        ("threads.post", "post_id", {}),
        ("threads.edit_post", "post_id", {}),
        ("threads.thread", "reply_to", {"thread_id": 7}),
        ("threads.thread", "quote", {"thread_id": 7}),
        ("moderation.report_post", "post_id", {}),
    ],
)
def test_id_url_is_url_for(app, endpoint, name, values):
    with app.test_request_context("/"):
        build = templating.IdURL(endpoint, name, **values)
        for value in (1, 42, 9876543210123, 10**15):
            assert build(value) == url_for(endpoint, **values, **{name: value})


def test_id_url_under_a_prefix(app):
    with app.test_request_context("/", base_url="http://localhost/forum"):
        assert templating.IdURL("threads.edit_post", "post_id")(5) == "/forum/posts/5/edit"
