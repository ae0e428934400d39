"""The class forum: an intranet discussion and learning forum for cohorts of officials."""

import logging
import os
import secrets
from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

import forum.models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
from config import CONFIGS
from forum import (
    accounts,
    admin,
    api,
    cohorts,
    courses,
    discussion,
    engagement,
    errorpages,
    materials,
    moderation,
    records,
    reports,
    rooms,
    search,
    threads,
    transaction,
)
from forum.extensions import babel, csrf, db, login_manager, migrate, socketio

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent

# Each feature registers its blueprint, commands, template helpers and receivers in
# init_app, in this order (the course pages join the admin blueprint before it registers).
FEATURES = (
    accounts,
    cohorts,
    threads,
    courses,
    admin,
    api,
    rooms,
    discussion,
    materials,
    search,
    moderation,
    reports,
    engagement,
    records,
)


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build an app: configuration, extensions, blueprints, error handlers, commands."""
    # Not at the top: this package runs before any of its modules, and models must load alone.
    from forum import cli, permissions, sockets, templating  # noqa: F401  (sockets: the /live namespace)

    config_name = config_name or os.environ.get("FORUM_ENV", "development")
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(Path(CONFIGS[config_name].INSTANCE_DIR)),
    )
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    _configure_secret_key(app, config_name)
    if app.config.get("FORUM_PROXY_FIX"):
        # Behind nginx: the client's address (login throttling) and scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    register_extensions(app)
    transaction.init_app(app)
    errorpages.register(app)
    app.cli.add_command(cli.forum_cli)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(templating.GLOBALS)
    app.jinja_env.filters.update(templating.FILTERS)
    app.jinja_env.globals["get_locale"] = page_language
    templating.install_gettext(app)
    register_request_hooks(app)
    for feature in FEATURES:
        feature.init_app(app)
    return app


def _configure_secret_key(app: Flask, config_name: str) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if config_name == "production":
        raise RuntimeError("SECRET_KEY must be set in production.")
    # The embedded set-up keeps one generated key, so sessions survive a restart.
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _select_locale() -> str:
    if not request:
        return "en"
    api_user = g.get("api_user")
    if api_user is not None and api_user.locale:
        return api_user.locale
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in ("zh_CN", "en"):
        return chosen
    return "zh_CN"


def register_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :]).parent.mkdir(
            parents=True, exist_ok=True
        )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(ROOT / "forum" / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    # Flask-Login's own notice ("Please log in to access this page.") is English only and
    # says "log in"; the pages say "sign in", in the reader's language.
    login_manager.login_message = "Please sign in."  # a msgid of forum/errorpages.py
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"
    socketio.init_app(
        app,
        async_mode=app.config["FORUM_SOCKETIO_ASYNC_MODE"],
        message_queue=app.config.get("REDIS_URL"),
        channel=app.config.get("FORUM_SOCKETIO_CHANNEL") or "flask-socketio",
        cors_allowed_origins=app.config.get("FORUM_SOCKET_ORIGINS"),
        manage_session=False,
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if app.config["SQLALCHEMY_DATABASE_URI"] not in ("sqlite://", "sqlite:///:memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _on_savepoint(connection, _name):
        # pysqlite begins a transaction only before a write: a SAVEPOINT sent first would
        # start one itself, and releasing it would commit the whole unit of work. Begin
        # the transaction here instead (reads before the unit's first write stay outside
        # it, as before, so they hold no snapshot a later write could find stale).
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")


def page_language() -> str:
    """The page's language as the forum names it: "zh_CN" or "en" (templates compare it).

    Babel itself calls zh_CN "zh_Hans_CN", so ``str(get_locale())`` never equals "zh_CN";
    the catalogue lives in forum/translations/zh/, which gettext finds for either name.
    """
    locale = get_locale()
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"


def register_request_hooks(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        # Everything comes from this server: the policy enforces it in the browser too.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

