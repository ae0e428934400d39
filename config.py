"""Configuration, read from the environment (``FORUM_`` prefix, ``DATABASE_URL``,
``REDIS_URL``, ``SECRET_KEY``). One class per environment; ``create_app`` picks one."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
_INSTANCE = Path(os.environ.get("FORUM_INSTANCE_PATH") or BASE_DIR / "instance")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    if not value:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{_INSTANCE / 'forum.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    INSTANCE_DIR = str(_INSTANCE)

    # Interface language: Chinese by default, English for the foreign classes.
    LANGUAGES = ["zh_CN", "en"]
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("FORUM_TIMEZONE", "Asia/Shanghai")

    # Cookies: HttpOnly and SameSite always; Secure wherever TLS terminates in front.
    SESSION_COOKIE_NAME = "forum_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("FORUM_SECURE_COOKIES", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * _env_int("FORUM_REMEMBER_DAYS", 30)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock

    # Input limits: every form, API field and upload has one.
    FORUM_UPLOAD_MAX_MB = _env_int("FORUM_UPLOAD_MAX_MB", 100)
    MAX_CONTENT_LENGTH = FORUM_UPLOAD_MAX_MB * 1024 * 1024 + 64 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    FORUM_TITLE_MAX = 200
    FORUM_POST_MAX = _env_int("FORUM_POST_MAX", 20000)
    FORUM_NAME_MAX = 120
    FORUM_DESCRIPTION_MAX = 2000
    FORUM_CSV_MAX_ROWS = 2000

    # Login throttling: failures per account or per address within the window.
    FORUM_LOGIN_MAX_FAILURES = _env_int("FORUM_LOGIN_MAX_FAILURES", 5)
    FORUM_LOGIN_WINDOW_SECONDS = _env_int("FORUM_LOGIN_WINDOW_SECONDS", 900)
    FORUM_TOKEN_MAX_AGE = _env_int("FORUM_TOKEN_MAX_AGE", 60 * 60 * 24 * 7)

    FORUM_PASSWORD_METHOD = "scrypt"
    FORUM_PER_PAGE = 20
    FORUM_POSTS_PER_PAGE = _env_int("FORUM_POSTS_PER_PAGE", 20)

    # Live rooms: cross-origin sockets are refused; None means same origin only.
    FORUM_SOCKET_ORIGINS = _env_list("FORUM_SOCKET_ORIGINS")
    FORUM_SOCKETIO_ASYNC_MODE = os.environ.get("FORUM_SOCKETIO_ASYNC_MODE", "threading")
    # The Redis pub/sub channel of the message queue: one per forum sharing a Redis.
    FORUM_SOCKETIO_CHANNEL = os.environ.get("FORUM_SOCKETIO_CHANNEL", "flask-socketio")
    FORUM_ROOM_MESSAGE_MAX = _env_int("FORUM_ROOM_MESSAGE_MAX", 2000)
    # Per user, across rooms: at most COUNT messages within SECONDS.
    FORUM_ROOM_RATE_COUNT = _env_int("FORUM_ROOM_RATE_COUNT", 5)
    FORUM_ROOM_RATE_SECONDS = _env_int("FORUM_ROOM_RATE_SECONDS", 5)
    # Room messages are the teaching record: kept forever unless an admin sets days here.
    FORUM_ROOM_RETENTION_DAYS = _env_int("FORUM_ROOM_RETENTION_DAYS", 0) or None

    FORUM_SEARCH_INDEX_DIR = os.environ.get(
        "FORUM_SEARCH_INDEX_DIR", str(_INSTANCE / "search-index")
    )
    FORUM_MATERIALS_DIR = os.environ.get(
        "FORUM_MATERIALS_DIR", str(_INSTANCE / "materials")
    )
    # "thread": an in-process worker (embedded set-up); "external": `flask forum worker`.
    FORUM_WORKER = os.environ.get("FORUM_WORKER", "thread")
    # Set to 1 behind a reverse proxy (nginx) that sets X-Forwarded-For/-Proto/-Host.
    FORUM_PROXY_FIX = _env_bool("FORUM_PROXY_FIX", False)
    FORUM_SITE_NAME = os.environ.get("FORUM_SITE_NAME", "")


class DevelopmentConfig(Config):
    # The embedded set-up keeps a generated key in instance/ (see create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("FORUM_TEST_DATABASE_URL", "sqlite://")
    REDIS_URL = None
    FORUM_WORKER = "inline"
    # Fast hashing keeps the suite quick; production keeps werkzeug's scrypt default.
    FORUM_PASSWORD_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("FORUM_SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FORUM_SOCKETIO_ASYNC_MODE = os.environ.get("FORUM_SOCKETIO_ASYNC_MODE", "gevent")
    FORUM_WORKER = os.environ.get("FORUM_WORKER", "external")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
