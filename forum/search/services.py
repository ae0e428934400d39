"""Searching: the box's query with the caller's permissions, highlighted snippets,
"did you mean", and similar threads for the new-thread form.

Permissions are applied twice: inside the search (each document carries access
tokens, and only documents matching the caller's tokens are matched or counted),
then once more when the page's own hits are loaded, through the view rules' SQL twins
(``visible_posts`` and the like), so a document whose visibility changed a moment ago
(the worker has not caught up) is not loaded, shown or counted.
"""

import logging
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from whoosh import query as Q
from whoosh.idsets import BitSet

from forum import permissions, validation
from forum.accounts.models import User
from forum.cohorts.models import Cohort
from forum.courses.models import Course
from forum.errors import ServiceError
from forum.extensions import db
from forum.search import query as search_query
from forum.search import results as result_builder
from forum.search.analyzer import words
from forum.search.index import get_index
from forum.search.results import SearchHit
from forum.search.schema import TYPES
from forum.search.worker import run_inline
from forum.threads.models import Thread

log = logging.getLogger(__name__)
MAX_PAGE = 500
MAX_PER_PAGE = 50
SORTS = ("relevance", "date")


@dataclass
class SearchResults:
    query: str
    total: int = 0
    page: int = 1
    per_page: int = 10
    hits: list[SearchHit] = field(default_factory=list)
    suggestion: str | None = None
    filters: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


def access_tokens(user) -> list[str] | None:
    """The access tokens a user holds (None: every document, for admins)."""
    cohorts = permissions.visible_cohort_ids(user)
    if cohorts is None:
        return None
    moderated = permissions.moderated_cohort_ids(user) or []
    return ["all", f"u{user.id}"] + [f"c{c}" for c in cohorts] + [f"m{c}" for c in moderated]


def _allowed_docs(index, searcher, tokens):
    if tokens is None:
        return None
    key = tuple(tokens)

    def build(s):
        # A bit set: a few KB per cached filter even for a large index.
        return BitSet(s.docs_for_query(Q.Or([Q.Term("access", t) for t in tokens])), size=s.doc_count_all())

    return index.cached_filter(searcher, key, build)


def _filter_queries(user, filters: dict) -> list | None:
    """Whoosh terms for the filters; None when a filter names nothing the user may see."""
    terms = []
    if filters.get("type"):
        terms.append(Q.Term("type", filters["type"]))
    if filters.get("year"):
        terms.append(Q.Term("year", str(filters["year"])))
    if filters.get("cohort"):
        cohort = db.session.execute(
            select(Cohort).filter_by(slug=filters["cohort"].lower())
        ).scalar_one_or_none()
        if cohort is None or not permissions.can_view_cohort(user, cohort):
            return None
        terms.append(Q.Term("cohort", f"c{cohort.id}"))
    if filters.get("course"):
        pattern = f"%{filters['course'].lower()}%"
        ids = (
            db.session.execute(select(Course.id).where(func.lower(Course.name).like(pattern))).scalars().all()
        )
        if not ids:
            return None
        terms.append(Q.Or([Q.Term("course", str(i)) for i in ids]))
    if filters.get("author"):
        author = db.session.execute(
            select(User).filter_by(username=filters["author"].lower())
        ).scalar_one_or_none()
        if author is None:
            return None
        terms.append(Q.Term("author", str(author.id)))
    return terms


def _clean_filters(parsed_filters: dict, given: dict) -> dict:
    filters = {**parsed_filters, **{k: v for k, v in given.items() if v not in (None, "")}}
    clean = {}
    if filters.get("type"):
        clean["type"] = validation.choice(str(filters["type"]), "type", TYPES)
    if filters.get("year"):
        clean["year"] = validation.integer(filters["year"], "year", minimum=1900, maximum=2200)
    for name in ("cohort", "course", "author"):
        if filters.get(name):
            clean[name] = validation.text(str(filters[name]), name, max_length=200)
    clean["sort"] = validation.choice(str(filters.get("sort") or "relevance"), "sort", SORTS)
    return clean


def search(user, q: str = "", *, page: int = 1, per_page: int = 10, **filters) -> SearchResults:
    """Search everything the user may see; filters: type, cohort, course, year, author, sort."""
    if not permissions.can_search(user):
        raise ServiceError("unauthorized", _("Sign in to search."), 401)
    q = validation.text(q or "", "q", max_length=search_query.MAX_QUERY_CHARS, min_length=0)
    page = validation.integer(page, "page", minimum=1, maximum=MAX_PAGE)
    per_page = validation.integer(per_page, "per_page", minimum=1, maximum=MAX_PER_PAGE)
    parsed = search_query.parse(q)
    clean = _clean_filters(parsed.filters, filters)
    results = SearchResults(query=q, page=page, per_page=per_page, filters=clean)
    filter_terms = {k: v for k, v in clean.items() if k != "sort"}
    if parsed.is_empty and not filter_terms:
        return results
    extra = _filter_queries(user, filter_terms)
    if extra is None:
        return results
    run_inline()
    text_query = search_query.build(parsed)
    whoosh_query = Q.And([text_query, *extra]) if extra else text_query
    index = get_index()
    tokens = access_tokens(user)
    with index.searching() as searcher:
        if searcher is None:
            return results
        allowed = _allowed_docs(index, searcher, tokens)
        if allowed is not None and not allowed:
            return results  # nothing visible (Whoosh would read an empty filter as "no filter")
        # optimize=False: the total is needed anyway, and counting in the same pass is
        # cheaper than Whoosh's block skipping followed by a second pass to count.
        options = {"filter": allowed, "optimize": False}
        if clean["sort"] == "date":
            options.update(sortedby="created", reverse=True)
        found = searcher.search(whoosh_query, limit=page * per_page, **options)
        results.total = len(found)
        raw = result_builder.collect(
            searcher, found[(page - 1) * per_page : page * per_page], search_query.highlight_terms(parsed)
        )
        if results.total == 0 and parsed.english_terms():
            results.suggestion = _suggest(searcher, parsed, q, extra, allowed)
    results.hits = result_builder.finish(user, raw)
    # A hit the index still lists for this user but the database no longer shows them
    # (the worker has not caught up yet) is not counted either.
    results.total -= len(raw) - len(results.hits)
    return results


def _suggest(searcher, parsed, q: str, extra, allowed) -> str | None:
    """A corrected query for mistyped English words, only if it finds something visible."""
    corrected = q
    changed = False
    for word in dict.fromkeys(parsed.english_terms()):
        if searcher.doc_frequency("words", word):
            continue
        for candidate in searcher.suggest("words", word, limit=5, maxdist=2, prefix=1):
            attempt = re.sub(rf"(?i)(?<![a-z]){re.escape(word)}(?![a-z])", candidate, corrected)
            test_query = search_query.build(search_query.parse(attempt))
            if extra:
                test_query = Q.And([test_query, *extra])
            if searcher.search(test_query, limit=1, filter=allowed).scored_length():
                corrected, changed = attempt, True
                break
    return corrected if changed else None


def similar_threads(title: str, user, limit: int = 5) -> list:
    """Threads the user may see whose titles share words with ``title`` (new-thread form)."""
    if not permissions.can_search(user) or not isinstance(title, str) or not title.strip():
        return []
    terms = list(dict.fromkeys(t for t, _p, _s, _e in words(title[:200]) if len(t) > 1 or t.isdigit()))[:16]
    if not terms:
        return []
    limit = max(1, min(int(limit), 20))
    run_inline()
    index = get_index()
    with index.searching() as searcher:
        if searcher is None:
            return []
        allowed = _allowed_docs(index, searcher, access_tokens(user))
        if allowed is not None and not allowed:
            return []
        text = Q.Or([Q.Term("title", t) for t in terms])
        found = searcher.search(Q.And([Q.Term("type", "thread"), text]), limit=limit * 2, filter=allowed)
        ids = [hit["obj_id"] for hit in found]
    if not ids:
        return []
    stmt = permissions.visible_threads(select(Thread).where(Thread.id.in_(ids)), user)
    threads = {t.id: t for t in db.session.execute(stmt).scalars()}
    return [threads[i] for i in ids if i in threads][:limit]

