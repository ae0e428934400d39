"""Fixtures: an app on the migrated schema (SQLite, or PostgreSQL when
``FORUM_TEST_DATABASE_URL`` is set), clients, and factories for the forum's objects.

Optional services are switched on by variables; without them their tests skip
with a reason, unless ``FORUM_TEST_REQUIRE_ALL=1`` (CI), where a missing service
fails the run instead of hiding it.
"""

import contextvars
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from itertools import count
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")
# A PostgreSQL server for tests that need one of their own (e.g. migrations), also in the
# SQLite run of `make test`: FORUM_TEST_POSTGRES_URL, else the test database itself.
PG_SERVER_URL = os.environ.get("FORUM_TEST_POSTGRES_URL") or PG_URL
REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL", "")


def _per_worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own
    (``test_gw0`` ...), created on first use, so truncating one never races another."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _per_worker_database(PG_URL)
CHROMIUM = os.environ.get("FORUM_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("FORUM_TEST_REQUIRE_ALL") == "1"
PASSWORD = "correct horse 1"
_seq = count(1)


def _need(condition: bool, reason: str):
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in this run but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def need_redis():
    """Skip (or fail under FORUM_TEST_REQUIRE_ALL) without FORUM_TEST_REDIS_URL."""
    _need(bool(REDIS_URL), "no Redis: set FORUM_TEST_REDIS_URL=redis://127.0.0.1:6379/0")
    return REDIS_URL


@pytest.fixture
def need_postgres():
    """A PostgreSQL URL (FORUM_TEST_POSTGRES_URL or FORUM_TEST_DATABASE_URL); never drop its
    database: create a scratch database of your own on that server."""
    _need(bool(PG_SERVER_URL), "no PostgreSQL: set FORUM_TEST_POSTGRES_URL=postgresql+psycopg://...")
    return PG_SERVER_URL


@pytest.fixture(scope="session")
def chromium_path():
    _need(
        Path(CHROMIUM).exists(),
        f"no Chromium at {CHROMIUM}: apt-get install chromium (or set FORUM_TEST_CHROMIUM)",
    )
    return CHROMIUM


# --- the migrated schema, built once per run --------------------------------------------


def _upgrade(url: str) -> None:
    from flask_migrate import upgrade

    from forum import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="head")
    from forum.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory):
    """SQLite: a migrated database file to copy per test. PostgreSQL: the URL, migrated."""
    if PG_URL:
        from sqlalchemy import create_engine

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    _upgrade(f"sqlite:///{path}")
    return path


def _truncate_all(app):
    from forum.extensions import db

    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(schema_template, tmp_path):
    if PG_URL:
        return PG_URL
    target = tmp_path / "forum.sqlite3"
    shutil.copyfile(schema_template, target)
    return f"sqlite:///{target}"


def make_app(database_url, tmp_path, **overrides):
    from forum import create_app

    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FORUM_SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "FORUM_MATERIALS_DIR": str(tmp_path / "materials"),
        "INSTANCE_DIR": str(tmp_path),
    }
    settings.update(overrides)
    return create_app("testing", **settings)


@pytest.fixture
def app_overrides():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_overrides):
    app = make_app(database_url, tmp_path, **app_overrides)
    app.test_client_class = ForumClient
    app.test_cli_runner_class = ForumCliRunner
    from forum.extensions import db

    if PG_URL:
        _truncate_all(app)
    # The test's own context, for its set-up and its direct service calls. Requests made
    # through ``ForumClient`` never share it: each runs in an app context of its own.
    ctx = app.test_request_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db(app):
    from forum.extensions import db

    return db


def commit():
    """End the test's unit of work, as a request does: what the test made through
    services becomes visible to others. The factories below call it, and so does every
    request or CLI command of ``ForumClient`` / ``ForumCliRunner`` before it starts; call it
    yourself before anything else reads the database (a live server, a socket client)."""
    from forum.extensions import db

    db.session.commit()


@pytest.fixture(name="commit")
def commit_fixture(app):
    """``commit()``: see the module-level ``commit``."""
    return commit


# --- clients --------------------------------------------------------------------------


def _before_outside_work():
    """A request or a CLI command starts: what the test did through services so far is one
    unit of work, committed, so the request sees it (as work before a request would be)."""
    from flask import has_app_context

    if has_app_context():
        commit()


def _after_outside_work():
    """After a request or a CLI command (each in a context of its own), the test's own
    context forgets what it had loaded and cached: its session is expired and its ``g``
    (e.g. a reader's active mutes) emptied, so the test's next direct call reads the
    database as the request left it."""
    from flask import g, has_app_context

    from forum.extensions import db

    if has_app_context():
        db.session.expire_all()
        g.__dict__.clear()


class ForumCliRunner(FlaskCliRunner):
    """Each command runs outside the test's context, in an app context of its own and
    outside any request, as ``flask ...`` does."""

    def invoke(self, *args, **kwargs):
        _before_outside_work()
        result = contextvars.Context().run(super().invoke, *args, **kwargs)
        _after_outside_work()
        return result


class ForumClient(FlaskClient):
    """A test client that can fill in the CSRF token of a form, as the browser does."""

    def open(self, *args, **kwargs):
        """Each request runs outside the test's context (in an empty ``contextvars``
        context), so Flask pushes an app context of its own for it, as on a real server.

        Flask would otherwise reuse the test's context for the request, sharing ``g``
        (Flask-Login's user, Flask-Babel's locale, the CSRF token) and the database session
        between the test's direct service calls and every request and client of the test.
        The test's own work is committed first (``_before_outside_work``), so the request
        sees it; afterwards the test starts afresh (``_after_outside_work``) and reads what
        the request stored.
        """
        _before_outside_work()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _after_outside_work()
        return response

    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.get("csrf_token")
            if raw is None:
                raw = hashlib.sha1(os.urandom(64)).hexdigest()
                sess["csrf_token"] = raw
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def form(self, url, data=None, **kwargs):
        """POST a form with its CSRF token."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def login(self, user_or_name, password: str = PASSWORD, remember: bool = False):
        username = getattr(user_or_name, "username", user_or_name)
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self.form("/login", data)

    def api(self, method, url, user=None, token=None, **kwargs):
        """Call the JSON API as ``user`` (a bearer token is made for them)."""
        headers = kwargs.pop("headers", {})
        if user is not None and token is None:
            from forum.accounts.services import issue_token

            token = issue_token(user)
            commit()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.open(url, method=method.upper(), headers=headers, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """``login(user)`` -> a new client signed in as that user."""

    def _login(user, password=PASSWORD):
        c = app.test_client()
        response = c.login(user, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return _login


# --- factories ------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    from forum.accounts import services

    def _make_user(username=None, role="trainee", display_name=None, password=PASSWORD):
        username = username or f"user{next(_seq)}"
        user = services.create_user(None, username, password, role, display_name)
        commit()
        return user

    return _make_user


@pytest.fixture
def make_cohort(app):
    from forum.cohorts import services

    def _make_cohort(slug=None, name=None, kind="national", year=2026, language="zh", members=None):
        slug = slug or f"cohort-{next(_seq)}"
        cohort = services.create_cohort(None, slug, name or slug.title(), kind, year, language)
        for user, role in (members or {}).items():
            services.add_membership(None, cohort, user, role)
        commit()
        return cohort

    return _make_cohort


@pytest.fixture
def make_board(app):
    from forum.cohorts import services

    def _make_board(cohort, name=None, description="", anonymous_allowed=False):
        board = services.create_board(None, cohort, name or f"Board {next(_seq)}", description, anonymous_allowed)
        commit()
        return board

    return _make_board


@pytest.fixture
def make_thread(app):
    from forum.threads import services

    def _make_thread(board, author, title=None, body="Opening post.", kind="discussion", anonymous=False):
        thread = services.create_thread(author, board, title or f"Thread {next(_seq)}", body, kind, anonymous)
        commit()
        return thread

    return _make_thread


@pytest.fixture
def make_post(app):
    from forum.threads import services

    def _make_post(thread, author, body="A reply.", reply_to=None, anonymous=False):
        post = services.create_post(author, thread, body, reply_to, anonymous)
        commit()
        return post

    return _make_post


@pytest.fixture
def world(make_user, make_cohort, make_board, make_thread):
    """A small cohort: admin, its instructor and trainee, an outsider trainee of another
    cohort, and that other cohort's instructor; one board with one thread."""
    admin = make_user("admin", "admin", "Site Admin")
    teacher = make_user("teacher", "instructor", "王老师")
    trainee = make_user("trainee", "trainee", "李学员")
    outsider = make_user("outsider", "trainee", "Outsider")
    other_teacher = make_user("otherteacher", "instructor", "Other Teacher")
    cohort = make_cohort("mayors-2026", "市长研究班", members={teacher: "instructor", trainee: "trainee"})
    other = make_cohort("foreign-2026", "Foreign Class", kind="foreign", language="en",
                        members={outsider: "trainee", other_teacher: "instructor"})
    board = make_board(cohort, "案例讨论", anonymous_allowed=True)
    other_board = make_board(other, "General")
    thread = make_thread(board, trainee, "城市总体规划的实施", "我们城市的总体规划……")
    return type("World", (), dict(
        admin=admin, teacher=teacher, trainee=trainee, outsider=outsider,
        other_teacher=other_teacher, cohort=cohort, other=other, board=board,
        other_board=other_board, thread=thread,
    ))


# --- a real server, for Socket.IO and browser tests -----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The forum served by ``tests/serve.py`` (gevent, as in production) in a subprocess."""

    def __init__(self, database_url, tmp_path, extra_env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "FORUM_SERVE_DATABASE_URL": database_url,
            "FORUM_SERVE_INSTANCE": str(tmp_path),
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "PYTHONPATH": str(ROOT),
        })
        env.update(extra_env or {})
        self.log = open(tmp_path / f"server-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "serve.py")], env=env, cwd=ROOT,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start: {(tmp_path / f'server-{self.port}.log').read_text()[-2000:]}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def live_server(app, database_url, tmp_path):
    """``live_server()`` starts a server on the test's database (call twice for two)."""
    servers = []

    def _start(**extra_env):
        commit()  # the server reads the database on its own connections
        server = LiveServer(database_url, tmp_path, {k: str(v) for k, v in extra_env.items()})
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()


@pytest.fixture
def cls(world, make_user):
    """The world plus a second trainee ("classmate", 张同学) in the same cohort."""
    from forum.cohorts.services import add_membership

    world.classmate = make_user("classmate", "trainee", "张同学")
    add_membership(None, world.cohort, world.classmate, "trainee")
    commit()
    return world
