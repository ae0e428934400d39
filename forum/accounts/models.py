"""People and their sign-in records."""

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from forum.cohorts.models import Membership
from forum.extensions import db
from forum.utils import utcnow

USER_ROLES = ("admin", "instructor", "trainee")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    # Site role: admins run the site; "instructor"/"trainee" is the usual cohort role.
    role: Mapped[str] = mapped_column(String(16), default="trainee")
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped on password change, so older API tokens and remember cookies stop working.
    token_version: Mapped[int] = mapped_column(default=1)

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def get_id(self) -> str:
        return f"{self.id}:{self.token_version}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("FORUM_PASSWORD_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.token_version = (self.token_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def cohort_roles(self) -> dict[int, str]:
        """Cohort id -> membership role, loaded once per user object (one query)."""
        cached = self.__dict__.get("_cohort_roles")
        if cached is None:
            rows = db.session.execute(
                db.select(Membership.cohort_id, Membership.role).where(
                    Membership.user_id == self.id
                )
            ).all()
            cached = {cohort_id: role for cohort_id, role in rows}
            self.__dict__["_cohort_roles"] = cached
        return cached

    def forget_cohort_roles(self) -> None:
        self.__dict__.pop("_cohort_roles", None)


class LoginFailure(db.Model):
    """One failed sign-in, kept for the throttling window."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_login_failures_username_created_at", "username", "created_at"),
        Index("ix_login_failures_address_created_at", "address", "created_at"),
    )


