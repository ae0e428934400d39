"""Turning a page of Whoosh hits into what the page and the API show: fresh titles and
URLs from the database, a last permission check in the same queries (the permissions'
SQL twins), snippets, page numbers."""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, has_request_context, url_for
from markupsafe import escape

from forum import permissions
from forum.extensions import db
from forum.search import documents, snippets
from forum.search.schema import TYPES
from forum.threads.models import Post


@dataclass
class SearchHit:
    type: str
    id: int
    title: str
    url: str
    snippet_html: str
    score: float
    page: int | None = None
    created_at: datetime | None = None
    where: str = ""

    def as_json(self) -> dict:
        data = {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "snippet_html": self.snippet_html,
            "score": round(self.score, 4),
        }
        if self.type == "material":
            data["page"] = self.page
        return data


def epoch_to_datetime(value) -> datetime | None:
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None) if value else None


def collect(searcher, hits, terms: dict[str, list[str]]) -> list[dict]:
    """Plain data for each hit, read while the searcher is open (offsets, stored text);
    ``terms``: the query's words by field, looked up in the hits' postings."""
    raw = []
    for hit in hits:
        stored = hit.fields()
        raw.append(
            {
                "docnum": hit.docnum,
                "type": stored["type"],
                "id": stored["obj_id"],
                "extra": stored.get("extra") or {},
                "score": float(hit.score or 0.0),
                "created": stored.get("created"),
                "title": stored.get("title", ""),
                "body": stored.get("body", ""),
            }
        )
    body = snippets.term_spans(searcher, [item["docnum"] for item in raw], "body", terms.get("body", []))
    for item in raw:
        item["body_spans"] = body[item["docnum"]]
    # The title is the snippet only when there is no body text to show (a thread).
    bare = [item["docnum"] for item in raw if _title_snippet(item)]
    title = snippets.term_spans(searcher, bare, "title", terms.get("title", []))
    for item in raw:
        item["title_spans"] = title.get(item["docnum"], [])
    return raw


def _title_snippet(item) -> bool:
    return item["type"] != "material" and not item["body_spans"] and not item["body"]


def _visible(kind: str, stmt, user):
    """``stmt`` (a page's hits of one kind) narrowed by the view rule's SQL twin."""
    if kind == "post":
        return permissions.visible_posts(stmt, user).where(Post.deleted_at.is_(None))
    if kind == "thread":
        return permissions.visible_threads(stmt, user)
    if kind == "message":
        return permissions.visible_room_messages(stmt, user)
    return permissions.visible_materials(stmt, user)


def _load(kind: str, ids: list[int], user) -> dict:
    """The hits of one kind that the user may see now, in one query: a hit whose index
    entry is behind the database (hidden, made private, moved, unshared or deleted since
    it was indexed) is simply not loaded."""
    if not ids or kind not in TYPES:
        return {}
    stmt = _visible(kind, documents.hit_statement(kind), user)
    return {obj.id: obj for obj in db.session.execute(stmt, {"ids": ids}).scalars()}


def _material_snippet(item, page_texts) -> tuple[str, int]:
    number, local, (begin, end) = item["best_page"]
    text = page_texts.get(number, "")
    local = [span for span in local if span[1] <= len(text)]
    return snippets.render(text, local, begin, end), number


def _page_texts(material_ids_pages) -> dict:
    wanted = {material_id: numbers for material_id, numbers in material_ids_pages.items() if numbers}
    return documents.page_texts(wanted) if wanted else {}


def _url(kind: str, obj, page: int | None) -> str:
    if kind == "thread":
        return url_for("threads.thread", thread_id=obj.id)
    if kind == "post":
        return url_for("threads.post", post_id=obj.id)
    if kind == "message":
        return url_for("rooms.room", room_id=obj.room_id) + f"#m-{obj.id}"
    if page:
        return url_for("materials.material", material_id=obj.id, page=page) + f"#page-{page}"
    return url_for("materials.material", material_id=obj.id)


def _title(kind: str, obj) -> str:
    if kind == "post":
        return obj.thread.title
    if kind == "message":
        return obj.room.name
    return obj.title


def _where(kind: str, obj) -> str:
    if kind in ("post", "thread"):
        thread = obj.thread if kind == "post" else obj
        return thread.board.cohort.name
    if kind == "message":
        return obj.room.cohort.name
    return obj.course.name if obj.course else ""


def finish(user, raw: list[dict]) -> list:
    """SearchHits for the raw hits that the user may still see, in the same order."""
    if not has_request_context():  # the CLI or a benchmark: URLs still need a request
        with current_app.test_request_context():
            return finish(user, raw)
    by_kind: dict[str, list[int]] = {}
    for item in raw:
        by_kind.setdefault(item["type"], []).append(item["id"])
    objects = {kind: _load(kind, ids, user) for kind, ids in by_kind.items()}
    materials = [
        item for item in raw if item["type"] == "material" and item["id"] in objects.get("material", {})
    ]
    for item in materials:
        item["best_page"] = snippets.best_page(item["body_spans"], item["extra"].get("pages") or [])
    page_texts = _page_texts({item["id"]: {item["best_page"][0]} for item in materials})
    hits = []
    for item in raw:
        kind = item["type"]
        obj = objects.get(kind, {}).get(item["id"])
        if obj is None:  # gone, or no longer visible to the user
            continue
        page = None
        if kind == "material":
            snippet, page = _material_snippet(item, page_texts.get(obj.id, {}))
        elif item["body_spans"] or item["body"]:
            (begin, end), _score = snippets.best_window(item["body_spans"])
            snippet = snippets.render(item["body"], item["body_spans"], begin, end)
        else:
            title = item["title"]
            snippet = snippets.render(title, item["title_spans"], 0, len(title)) if title else str(escape(""))
        hits.append(
            SearchHit(
                type=kind,
                id=obj.id,
                title=_title(kind, obj),
                url=_url(kind, obj, page),
                snippet_html=snippet,
                score=item["score"],
                page=page,
                created_at=epoch_to_datetime(item["created"]),
                where=_where(kind, obj),
            )
        )
    return hits
