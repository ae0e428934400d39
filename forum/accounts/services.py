"""Accounts: creating people, signing in (with throttling), passwords, API tokens."""

import csv
import io
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select

from forum import transaction, validation
from forum.accounts.models import USER_ROLES, LoginFailure, User
from forum.cohorts import services as cohort_services
from forum.errors import ServiceError
from forum.extensions import db
from forum.utils import utcnow

log = logging.getLogger(__name__)

LOCALES = ("zh_CN", "en")


def find_user(username: str) -> User | None:
    if not isinstance(username, str):
        return None
    return db.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def check_new_user(username, display_name, role, password):
    """Validate a new account's fields; returns them cleaned."""
    username = validation.username(username)
    display_name = validation.text(
        display_name if display_name not in (None, "") else username,
        "display_name",
        max_length=current_app.config["FORUM_NAME_MAX"],
    )
    role = validation.choice(role, "role", USER_ROLES)
    password = validation.password(password)
    if find_user(username) is not None:
        raise ServiceError(
            "exists", _("The username %(name)s is taken.", name=username), 409, "username"
        )
    return username, display_name, role, password


def create_user(actor, username, password, role="trainee", display_name=None) -> User:
    """Create one account (admins only; the CLI acts as the system, actor None)."""
    username, display_name, role, password = check_new_user(
        username, display_name, role, password
    )
    user = User(username=username, display_name=display_name, role=role, token_version=0)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("user %s created by %s", username, getattr(actor, "username", "system"))
    return user


def parse_users_csv(data: str):
    """Rows of ``username,display_name,role[,password]`` (a header row is optional)."""
    limit = current_app.config["FORUM_CSV_MAX_ROWS"]
    reader = csv.reader(io.StringIO(data))
    rows = []
    for line_no, row in enumerate(reader, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if line_no == 1 and row[0].strip().lower() in {"username", "用户名"}:
            continue
        if len(rows) >= limit:
            raise ServiceError("too_many", _("At most %(n)d rows at once.", n=limit))
        if len(row) < 3:
            raise ServiceError(
                "invalid",
                _("Line %(n)d: expected username, display name and role.", n=line_no),
            )
        rows.append((line_no, [cell.strip() for cell in row]))
    if not rows:
        raise ServiceError("required", _("The CSV file has no rows."))
    return rows


def import_users_csv(actor, data: str, cohort=None, default_password: str | None = None):
    """Create every account of a CSV at once (all or nothing); enrol them in ``cohort``.

    Returns ``(created, passwords)``: the users and the generated one-time passwords
    (only for rows that gave none and when no default was given).
    """
    if not isinstance(data, str) or len(data) > 1_000_000:
        raise ServiceError("invalid", _("The CSV file is too large."))
    rows = parse_users_csv(data)
    seen = set()
    prepared = []
    for line_no, cells in rows:
        username, display_name, role = cells[0], cells[1], cells[2].lower()
        password = cells[3] if len(cells) > 3 and cells[3] else default_password
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(9)
        try:
            values = check_new_user(username, display_name, role, password)
        except ServiceError as error:
            raise ServiceError(error.code, _("Line %(n)d: %(msg)s", n=line_no, msg=error.message), error.status) from None
        if values[0] in seen:
            raise ServiceError("duplicate", _("Line %(n)d: %(name)s appears twice.", n=line_no, name=values[0]))
        seen.add(values[0])
        prepared.append((values, generated))
    created, passwords = [], {}
    for (username, display_name, role, password), generated in prepared:
        user = User(username=username, display_name=display_name, role=role, token_version=0)
        user.set_password(password)
        db.session.add(user)
        created.append(user)
        if generated:
            passwords[username] = password
    db.session.flush()
    if cohort is not None:
        for user in created:
            membership_role = "instructor" if user.role in ("instructor", "admin") else "trainee"
            cohort_services.add_membership(actor, cohort, user, membership_role)
    db.session.flush()
    return created, passwords


# --- signing in --------------------------------------------------------------------------


def _recent_failures(column, value) -> int:
    window = timedelta(seconds=current_app.config["FORUM_LOGIN_WINDOW_SECONDS"])
    return db.session.execute(
        select(func.count(LoginFailure.id)).where(
            column == value, LoginFailure.created_at >= utcnow() - window
        )
    ).scalar_one()


def is_throttled(username: str, address: str) -> bool:
    limit = current_app.config["FORUM_LOGIN_MAX_FAILURES"]
    username = (username or "").strip().lower()[:64]
    return (
        _recent_failures(LoginFailure.username, username) >= limit
        or _recent_failures(LoginFailure.address, address[:64]) >= limit * 4
    )


def authenticate(username, password, address: str) -> User:
    """Check credentials; refuses with 429 after too many failures per account or address."""
    if not isinstance(username, str) or not isinstance(password, str):
        raise ServiceError("invalid", _("Username and password must be text."))
    if len(username) > 256 or len(password) > 256 or "\x00" in username + password:
        raise ServiceError("bad_credentials", _("Wrong username or password."), 401)
    username = username.strip().lower()
    address = (address or "unknown")[:64]
    if is_throttled(username, address):
        minutes = current_app.config["FORUM_LOGIN_WINDOW_SECONDS"] // 60
        raise ServiceError(
            "too_many_attempts",
            _("Too many failed sign-ins. Try again in %(n)d minutes.", n=minutes),
            429,
        )
    user = find_user(username)
    if user is None or not user.check_password(password) or not user.active:
        prune_login_failures()
        db.session.add(LoginFailure(username=username[:64], address=address))
        transaction.keep()  # the refusal is the answer, but the failure must count
        raise ServiceError("bad_credentials", _("Wrong username or password."), 401)
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    user.last_seen_at = utcnow()
    db.session.flush()
    return user


def prune_login_failures() -> None:
    """Forget failures older than the throttling window: they no longer count, and
    without this the table only grows. Runs in the caller's unit of work."""
    window = timedelta(seconds=current_app.config["FORUM_LOGIN_WINDOW_SECONDS"])
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < utcnow() - window))


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; other sessions and API tokens stop working."""
    if not isinstance(current, str) or not user.check_password(current):
        raise ServiceError("bad_credentials", _("The current password is wrong."), 400, "current")
    new = validation.password(new, "new_password")
    user.set_password(new)
    db.session.flush()


def set_password(actor, user: User, new: str) -> None:
    """An admin resets someone's password."""
    user.set_password(validation.password(new))
    db.session.flush()


def set_locale(user: User, locale) -> None:
    user.locale = validation.choice(locale, "locale", LOCALES)
    db.session.flush()


def touch(user: User) -> None:
    """Record activity, at most once a minute per user (cheap on every request)."""
    now = utcnow()
    if user.last_seen_at is None or now - user.last_seen_at > timedelta(minutes=1):
        user.last_seen_at = now


# --- API tokens ------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="forum-api-token")


def issue_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "v": user.token_version})


def user_for_token(token) -> User | None:
    """The user a bearer token names, if it is genuine, unexpired and not revoked."""
    if not isinstance(token, str) or len(token) > 512:
        return None
    try:
        data = _serializer().loads(token, max_age=current_app.config["FORUM_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or user.token_version != data.get("v"):
        return None
    return user


def load_session_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``id:version`` so a password change ends old sessions."""
    try:
        uid, version = (int(part) for part in user_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid)
    if user is None or user.token_version != version or not user.active:
        return None
    return user


def search_users(actor, query: str = "", page: int = 1, per_page: int = 50):
    stmt = select(User).order_by(User.username)
    if query:
        like = f"%{query.strip().lower()[:64]}%"
        stmt = stmt.where(or_(User.username.like(like), func.lower(User.display_name).like(like)))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
