"""Index documents built from the database: one per thread, post, room message and
material (a material's pages joined, with each page's start offset kept so a hit
can name its page). Access tokens say who may find each one (see access.py)."""

from datetime import UTC

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload, selectinload

from forum.cohorts.models import Board
from forum.extensions import db
from forum.materials.models import Material, MaterialPage
from forum.rooms.models import Room, RoomMessage
from forum.sanitize import plain_text
from forum.threads.models import Post, Thread
from forum.utils import utcnow

MAX_MATERIAL_CHARS = 1_000_000
PAGE_SEPARATOR = "\n\n"


def _epoch(value) -> int:
    return int(value.replace(tzinfo=UTC).timestamp()) if value else 0


def _year(value) -> str:
    return str(value.year) if value else ""


def _answer_first_hides_replies(thread) -> bool:
    if not getattr(thread, "answer_first", False):
        return False
    due = getattr(thread, "answer_due_at", None)
    return due is None or due > utcnow()


def thread_access(thread) -> set[str]:
    """Who finds a thread: its cohort, or only staff (hidden) and the asker (private, held)."""
    cohort_id = thread.board.cohort_id
    tokens = {f"m{cohort_id}"}
    private = getattr(thread, "private", False)
    if not private and not thread.hidden:
        tokens.add(f"c{cohort_id}")
    elif thread.author_id and (private or getattr(thread, "held", False)):
        tokens.add(f"u{thread.author_id}")
    return tokens


def post_access(post) -> set[str]:
    """Who finds a post: as for its thread, narrowed for hidden posts, staff notes and
    "answer first" replies (their authors, the asker and staff until the thread opens)."""
    thread = post.thread
    staff = f"m{thread.board.cohort_id}"
    if getattr(post, "staff_note", False):
        return {staff}
    own = {f"u{post.author_id}"} if post.author_id else set()
    if post.hidden:
        return {staff} | own
    if post.number > 1 and _answer_first_hides_replies(thread):
        asker = {f"u{thread.author_id}"} if thread.author_id else set()
        return {staff} | own | asker
    return thread_access(thread)


def thread_document(thread) -> dict:
    cohort_id = thread.board.cohort_id
    return {
        "key": f"thread:{thread.id}",
        "type": "thread",
        "obj_id": thread.id,
        "extra": {"kind": thread.kind, "cohort_id": cohort_id},
        "access": " ".join(sorted(thread_access(thread))),
        "cohort": f"c{cohort_id}",
        "parent": f"t{thread.id}",
        "author": "" if thread.anonymous or not thread.author_id else str(thread.author_id),
        "year": _year(thread.created_at),
        "created": _epoch(thread.created_at),
        "title": thread.title,
        "body": "",
        "words": thread.title,
    }


def post_document(post) -> dict | None:
    if post.deleted_at is not None:
        return None
    thread = post.thread
    cohort_id = thread.board.cohort_id
    body = plain_text(post.body_html)
    return {
        "key": f"post:{post.id}",
        "type": "post",
        "obj_id": post.id,
        "extra": {
            "thread_id": thread.id,
            "number": post.number,
            "label": thread.title,
            "cohort_id": cohort_id,
        },
        "access": " ".join(sorted(post_access(post))),
        "cohort": f"c{cohort_id}",
        "parent": f"t{thread.id}",
        "author": "" if post.anonymous or not post.author_id else str(post.author_id),
        "year": _year(post.created_at),
        "created": _epoch(post.created_at),
        "title": "",
        "body": body,
        "words": body,
    }


def message_document(message) -> dict | None:
    if message.deleted_at is not None:
        return None
    room = message.room
    body = plain_text(message.body_html)
    return {
        "key": f"message:{message.id}",
        "type": "message",
        "obj_id": message.id,
        "extra": {"room_id": room.id, "label": room.name, "cohort_id": room.cohort_id},
        "access": f"c{room.cohort_id} m{room.cohort_id}",
        "cohort": f"c{room.cohort_id}",
        "parent": f"r{room.id}",
        "author": str(message.author_id or ""),
        "year": _year(message.created_at),
        "created": _epoch(message.created_at),
        "title": "",
        "body": body,
        "words": body,
    }


def material_document(material, pages) -> dict:
    """One document for a material: title fields, and every page's text with its offset."""
    parts, starts, offset = [], [], 0
    for number, text in pages:
        if offset >= MAX_MATERIAL_CHARS:
            break
        text = text[: MAX_MATERIAL_CHARS - offset]
        starts.append((offset, number))
        parts.append(text)
        offset += len(text) + len(PAGE_SEPARATOR)
    tokens = {f"c{cohort.id}" for cohort in material.cohorts}
    if material.college_wide:
        tokens.add("all")
    if material.uploaded_by_id:
        tokens.add(f"u{material.uploaded_by_id}")
    course = material.course
    title_text = " ".join(
        part
        for part in (
            material.title,
            material.tags.replace(",", " "),
            course.name if course else "",
            material.lecturer,
            material.original_filename,
        )
        if part
    )
    body = PAGE_SEPARATOR.join(parts)
    return {
        "key": f"material:{material.id}",
        "type": "material",
        "obj_id": material.id,
        "extra": {"label": material.title, "pages": starts, "kind": material.kind},
        "access": " ".join(sorted(tokens)) or "nobody",
        "cohort": " ".join(sorted(f"c{cohort.id}" for cohort in material.cohorts)),
        "parent": "",
        "course": str(material.course_id or ""),
        "author": str(material.uploaded_by_id or ""),
        "year": str(material.year or _year(material.created_at)),
        "created": _epoch(material.created_at),
        "title": title_text,
        "body": body,
        "_stored_body": "",
        "words": f"{title_text} {body}",
    }


# --- loading objects with what their documents need ------------------------------------

_statements: dict = {}


def _statement(name, build):
    """A select over the list parameter ``ids`` (``build(ids)`` makes it), built once per
    process: building one (eager-load options, an IN clause) costs more than running it
    for the ten hits of a search page."""
    stmt = _statements.get(name)
    if stmt is None:
        stmt = _statements[name] = build(bindparam("ids", expanding=True))
    return stmt


def _posts_statement(with_body: bool):
    def build(ids):
        options = [joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.cohort)]
        if not with_body:
            options += [defer(Post.body), defer(Post.body_html)]
        return select(Post).where(Post.id.in_(ids)).options(*options)

    return _statement(("posts", with_body), build)


def load_posts(ids, with_body: bool = True):
    """Posts with their thread, board and cohort (bodies only when indexing needs them)."""
    return db.session.execute(_posts_statement(with_body), {"ids": list(ids)}).scalars().all()


def _threads_statement():
    def build(ids):
        return (
            select(Thread)
            .where(Thread.id.in_(ids))
            .options(joinedload(Thread.board).joinedload(Board.cohort))
        )

    return _statement("threads", build)


def load_threads(ids):
    return db.session.execute(_threads_statement(), {"ids": list(ids)}).scalars().all()


def load_materials(ids):
    def build(ids):
        return (
            select(Material)
            .where(Material.id.in_(ids))
            .options(selectinload(Material.cohorts), joinedload(Material.course))
        )

    return db.session.execute(_statement("materials", build), {"ids": list(ids)}).scalars().all()


def page_texts(wanted: dict[int, set[int]]) -> dict[int, dict[int, str]]:
    """{material id: {page number: text}} for the wanted pages of several materials."""

    def build(ids):
        return (
            select(MaterialPage.material_id, MaterialPage.number, MaterialPage.text)
            .where(MaterialPage.material_id.in_(ids))
            .where(MaterialPage.number.in_(bindparam("numbers", expanding=True)))
        )

    numbers = sorted({number for page_numbers in wanted.values() for number in page_numbers})
    texts: dict = {}
    rows = db.session.execute(_statement("page_texts", build), {"ids": list(wanted), "numbers": numbers})
    for material_id, number, text in rows:
        if number in wanted[material_id]:
            texts.setdefault(material_id, {})[number] = text
    return texts


def material_pages(material_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(MaterialPage.number, MaterialPage.text)
        .where(MaterialPage.material_id == material_id)
        .order_by(MaterialPage.number)
    ).all()
    return [(number, text) for number, text in rows]


def room_models():
    """(Room, RoomMessage)."""
    return Room, RoomMessage


def load_messages(ids, with_body: bool = True):
    models = room_models()
    if models is None:
        return []
    return db.session.execute(_messages_statement(with_body), {"ids": list(ids)}).scalars().all()


def _messages_statement(with_body: bool):
    def build(ids):
        options = [joinedload(RoomMessage.room).joinedload(Room.cohort)]
        if not with_body:
            options += [defer(RoomMessage.body), defer(RoomMessage.body_html)]
        return select(RoomMessage).where(RoomMessage.id.in_(ids)).options(*options)

    return _statement(("messages", with_body), build)


def _material_hits_statement():
    def build(ids):
        return select(Material).where(Material.id.in_(ids)).options(joinedload(Material.course))

    return _statement("material hits", build)


def hit_statement(kind: str):
    """The select of a search page's hits of one kind, over the list parameter ``ids``:
    with what a hit shows loaded (a post's thread, board and cohort; a message's room and
    cohort; a material's course), bodies left out. The caller narrows it to what the
    reader may see."""
    if kind == "post":
        return _posts_statement(with_body=False)
    if kind == "thread":
        return _threads_statement()
    if kind == "message":
        return _messages_statement(with_body=False)
    return _material_hits_statement()
