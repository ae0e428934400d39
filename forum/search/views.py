"""The search page."""

from flask import render_template, request
from flask_login import current_user, login_required

from forum import permissions
from forum.cohorts.models import Cohort
from forum.errors import ServiceError
from forum.extensions import db
from forum.search import bp, services
from forum.search.schema import TYPES


@bp.route("/search")
@login_required
def search():
    """One box over materials, threads, posts and room messages, with filters."""
    args = request.args
    q = args.get("q", "")[:500]
    filters = {
        name: args.get(name, "").strip() for name in ("type", "cohort", "course", "year", "author", "sort")
    }
    page = args.get("page", 1, type=int) or 1
    results, error = None, None
    if q.strip() or any(v for k, v in filters.items() if k != "sort"):
        try:
            results = services.search(current_user, q, page=min(max(page, 1), services.MAX_PAGE), **filters)
        except ServiceError as problem:  # answered with a 400: the request rolls back
            error = problem.message
    stmt = permissions.visible_cohorts(db.select(Cohort).order_by(Cohort.name), current_user)
    cohorts = db.session.execute(stmt).scalars().all()
    return render_template(
        "search/search.html", q=q, filters=filters, results=results, error=error, types=TYPES, cohorts=cohorts
    ), 400 if error else 200
