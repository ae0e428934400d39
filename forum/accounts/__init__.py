"""Signing in and out, one's own account and language."""

from flask import Blueprint, request
from flask_login import current_user

from forum import transaction
from forum.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


def init_app(app) -> None:
    """Register the pages, the session's user loader and the last-seen time of each request."""
    from forum.accounts import services, views  # noqa: F401  (views register on bp; not at import, so models load alone)

    login_manager.user_loader(services.load_session_user)

    @app.before_request
    def _remember_activity():
        if current_user.is_authenticated and not request.path.startswith("/static/"):
            services.touch(current_user)
            if db.session.dirty:
                # Activity counts whatever the request then does (even a refused one).
                transaction.keep()

    app.register_blueprint(bp)
