"""Moderation pages: the review queue, reports, featured posts, thread restructuring,
mutes and warnings, watched words and the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)


@bp.app_context_processor
def _moderation_helpers():
    """Template helpers every page may call (lazily: nothing runs unless used)."""

    def unseen_warning_count() -> int:
        from flask_login import current_user

        from forum.moderation.queue import unseen_warning_count as count

        if not current_user.is_authenticated or current_user.is_admin:
            return 0
        return count(current_user)

    def review_queue_count(cohort) -> int:
        from flask_login import current_user

        from forum.moderation.queue import open_count

        return open_count(current_user, cohort)

    return {"unseen_warning_count": unseen_warning_count, "review_queue_count": review_queue_count}


def _load_views() -> None:
    # Imported by register_blueprints, not here: the posting services import this
    # package's filters, and the views import those services.
    from forum.moderation import views, views_admin, views_threads  # noqa: F401
