"""What a thread page (or API response) needs from the discussion features, loaded in
a fixed number of queries whatever the number of posts: the brief, the summary, role
labels, marks on replies and the highlighted replies."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.discussion.materials import linked_materials
from forum.discussion.models import CaseBrief, CaseMaterial, PostMark, ThreadRole, ThreadSummary
from forum.extensions import db
from forum.permissions import (
    answer_first_applies,
    author_concealed,
    can_see_anonymous_author,
    can_view_teaching_notes,
    has_answered,
)
from forum.threads.models import Post
from forum.threads.services import visible_posts_query

# Which marks put a reply among the highlights shown first, per thread kind.
HIGHLIGHT_KINDS = {"question": ("accepted", "endorsed"), "research": ("key",), "case": ("key",)}
MARK_ORDER = {"accepted": 0, "endorsed": 1, "key": 2}


@dataclass
class DiscussionContext:
    """Per-thread, per-viewer discussion data; ``role_label``/``marks_for`` answer per post
    from memory."""

    thread: object
    sees_anonymous: bool = False
    sees_teaching_notes: bool = False
    brief: CaseBrief | None = None
    materials: list = field(default_factory=list)
    summary: ThreadSummary | None = None
    roles: list = field(default_factory=list)
    role_by_user: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)
    highlights: list = field(default_factory=list)
    # The viewer has to post a reply before seeing the others (answer before you see).
    must_answer_first: bool = False

    def role_label(self, post) -> str | None:
        """The author's role in this thread, unless that would unmask an anonymous post."""
        if post.author_id is None or author_concealed(post, None, sees_anonymous=self.sees_anonymous):
            return None
        return self.role_by_user.get(post.author_id)

    def marks_for(self, post) -> list[str]:
        return sorted(self.marks.get(post.id, ()), key=MARK_ORDER.get)


def load_context(thread, viewer, *, highlights: bool = True) -> DiscussionContext:
    """Load the discussion data of one thread for one viewer (at most ~7 queries)."""
    cohort = thread.board.cohort
    ctx = DiscussionContext(
        thread=thread,
        sees_anonymous=can_see_anonymous_author(viewer, cohort),
        sees_teaching_notes=can_view_teaching_notes(viewer, thread),
    )
    if thread.kind == "case":
        ctx.brief = db.session.execute(
            select(CaseBrief).where(CaseBrief.thread_id == thread.id)
        ).scalar_one_or_none()
        if ctx.brief is not None:
            ids = list(
                db.session.execute(
                    select(CaseMaterial.material_id)
                    .where(CaseMaterial.thread_id == thread.id)
                    .order_by(CaseMaterial.position, CaseMaterial.id)
                ).scalars()
            )
            ctx.materials = linked_materials(viewer, ids)
        ctx.roles = list(
            db.session.execute(
                select(ThreadRole)
                .where(ThreadRole.thread_id == thread.id)
                .options(joinedload(ThreadRole.user))
                .order_by(ThreadRole.label, ThreadRole.id)
            ).scalars()
        )
        ctx.role_by_user = {role.user_id: role.label for role in ctx.roles}
    if thread.kind in ("research", "case"):
        ctx.summary = db.session.execute(
            select(ThreadSummary).where(ThreadSummary.thread_id == thread.id)
        ).scalar_one_or_none()

    for post_id, kind in db.session.execute(
        select(PostMark.post_id, PostMark.kind)
        .join(Post, Post.id == PostMark.post_id)
        .where(Post.thread_id == thread.id)
    ).all():
        ctx.marks.setdefault(post_id, set()).add(kind)
    if answer_first_applies(viewer, thread):
        ctx.must_answer_first = not has_answered(viewer, thread)
    if highlights:
        ctx.highlights = _highlights(thread, viewer, ctx)
    return ctx


def _highlights(thread, viewer, ctx: DiscussionContext) -> list:
    """The marked replies shown first (accepted and endorsed answers; key contributions),
    as this viewer may see them (staff notes, answer first and hidden posts respected)."""
    kinds = HIGHLIGHT_KINDS.get(thread.kind, ())
    ids = [post_id for post_id, marks in ctx.marks.items() if marks & set(kinds)]
    if not ids:
        return []
    posts = list(
        db.session.execute(
            visible_posts_query(thread, viewer).where(Post.id.in_(ids), Post.deleted_at.is_(None))
        )
        .unique()
        .scalars()
    )
    posts.sort(key=lambda post: (min(MARK_ORDER[k] for k in ctx.marks[post.id] if k in kinds), post.number))
    return posts


def post_extras(ctx: DiscussionContext, post) -> dict:
    """The discussion fields the API adds to a post: role label, marks, staff note."""
    return {
        "role": ctx.role_label(post),
        "marks": ctx.marks_for(post),
        "staff_note": bool(post.staff_note),
    }
