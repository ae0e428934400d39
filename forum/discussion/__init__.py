"""Discussion features for case teaching: case briefs, answer before you see, role play,
key contributions and summaries, accepted and endorsed answers, private questions,
staff notes and announcement boards."""

from flask import Blueprint

bp = Blueprint("discussion", __name__)

from forum.discussion import views  # noqa: E402,F401
