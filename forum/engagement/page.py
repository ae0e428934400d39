"""What thread and board pages show from this feature, loaded per page in a fixed
number of queries whatever the number of posts or threads."""

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from flask import after_this_request, has_request_context, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from forum.cohorts.services import instructor_ids
from forum.discussion.context import load_context
from forum.engagement import reading, services
from forum.engagement.models import REACTION_KINDS
from forum.engagement.templating import REACTION_SYMBOLS, reaction_label
from forum.extensions import db
from forum.permissions import (
    can_react,
    can_view_revisions,
    discussion_page_permissions,
    thread_page_permissions,
)
from forum.threads import services as thread_services
from forum.threads.forms import ConfirmForm

log = logging.getLogger(__name__)


@dataclass
class ThreadEngagement:
    """Per-page, per-viewer data of a thread page: reactions, reading position, watch.

    Its per-post answers come from memory: the page checks permissions once.
    """

    reactions: dict = field(default_factory=dict)
    # The viewer's reading position before this page view (None: first visit).
    last_read: int | None = None
    # The first post (number) still unread before this view, if any.
    first_unread: int | None = None
    watch_level: str = "normal"
    can_moderate: bool = False
    can_react: bool = True
    viewer_id: int | None = None
    kinds: tuple = REACTION_KINDS
    symbols: dict = field(default_factory=lambda: dict(REACTION_SYMBOLS))
    # Translated once per page (a lookup per post and kind would cost more than the rest).
    labels: dict = field(default_factory=dict)
    csrf_token: str = ""

    def __post_init__(self):
        if not self.labels and has_request_context():
            self.labels = dict(_labels(str(get_locale())))
            self.csrf_token = generate_csrf()

    def reactions_for(self, post) -> dict:
        return self.reactions.get(post.id, {"counts": {}, "mine": []})

    def is_new(self, post) -> bool:
        """Posted since the viewer's last visit (never their own)."""
        if self.last_read is None or post.author_id == self.viewer_id:
            return False
        return post.number > self.last_read

    def may_react(self, post) -> bool:
        """Same answer as ``can_react`` for a visible post of this page."""
        return (
            self.can_react
            and self.viewer_id is not None
            and post.author_id != self.viewer_id
            and not post.is_deleted
            and not post.hidden
        )

    def sees_revisions(self, post) -> bool:
        """Same answer as ``can_view_revisions`` for an edited post shown on this page."""
        return post.edited_at is not None and (self.can_moderate or post.author_id == self.viewer_id)

    def post_html(self, post) -> Markup:
        """The block under a post's text: the "new" marker, the reaction buttons with their
        counts (the viewer's own pressed), the link to earlier versions. Built here rather
        than in a template loop: it runs for every post of the page."""
        if post.is_deleted:
            return Markup("")
        summary = self.reactions_for(post)
        counts, mine = summary["counts"], summary["mine"]
        may_react = self.may_react(post)
        is_new = self.is_new(post)
        revisions = self.sees_revisions(post)
        if not (may_react or counts or is_new or revisions):
            return Markup("")
        labels = self._escaped()
        parts = ['<div class="post-engagement">']
        if is_new:
            parts.append(f'<span class="marker marker-new" data-new-post>{labels["new"]}</span>')
        if may_react or counts:
            parts.append(
                f'<form method="post" action="/posts/{post.id}/react" class="reactions" '
                f'data-api="/api/v1/posts/{post.id}/reactions">'
                f'<input type="hidden" name="csrf_token" value="{labels["csrf"]}">'
            )
            for kind in self.kinds:
                n = counts.get(kind, 0)
                if not (may_react or n):
                    continue
                pressed = kind in mine
                parts.append(
                    f'<button type="submit" name="kind" value="{kind}" '
                    f'class="reaction{" is-mine" if pressed else ""}" '
                    f'aria-pressed="{"true" if pressed else "false"}"{"" if may_react else " disabled"} '
                    f'title="{labels[kind]}" data-kind="{kind}"><span aria-hidden="true">{self.symbols[kind]}</span> '
                    f'<span class="reaction-label">{labels[kind]}</span> '
                    f'<span class="reaction-count" data-count>{n or ""}</span></button>'
                )
            parts.append("</form>")
        if revisions:
            parts.append(
                f'<a class="revisions-link" href="/posts/{post.id}/revisions">{labels["revisions"]}</a>'
            )
        parts.append("</div>")
        return Markup("".join(parts))

    def _escaped(self) -> dict:
        cached = self.__dict__.get("_escaped_labels")
        if cached is None:
            cached = {key: str(escape(value)) for key, value in self.labels.items()}
            cached["csrf"] = str(escape(self.csrf_token))
            self.__dict__["_escaped_labels"] = cached
        return cached


@lru_cache(maxsize=16)
def _labels(locale: str) -> dict:
    """The page's reaction and marker labels in one language (a catalogue lookup each,
    eighteen in all through reaction_label, which no page view needs to repeat)."""
    labels = {kind: reaction_label(kind) for kind in REACTION_KINDS}
    labels.update(new=_("New"), revisions=_("Earlier versions"))
    return labels


def thread_extras(viewer, thread, posts, *, mark: bool = True, moderator: bool = False) -> ThreadEngagement:
    """Load reactions, the reading position and the watch level for a page of posts (three
    queries whatever the number of posts), then record reading up to the last post shown."""
    last_read, first_unread = reading.reading_position(viewer, thread)
    data = ThreadEngagement(
        reactions=services.reaction_summaries([p.id for p in posts], viewer),
        last_read=last_read,
        first_unread=first_unread,
        watch_level=services.thread_watch_level(viewer, thread),
        can_moderate=moderator,
        can_react=not thread.board.cohort.archived,
        viewer_id=viewer.id,
    )
    if mark and posts:
        highest = max(p.number for p in posts)
        if last_read is None or highest > last_read:
            _after_rendering(reading.mark_read, viewer, thread, highest)
    return data


def _after_rendering(write, *args) -> None:
    """Run a bookkeeping write once the page is rendered: committing earlier would expire
    the page's loaded objects and cost a query per post to reload them."""
    if not has_request_context():
        write(*args)
        return

    @after_this_request
    def _write(response):
        try:
            # A savepoint: a failed write undoes only itself, not the rest of the unit.
            with db.session.begin_nested():
                write(*args)
        except Exception:  # reading state is bookkeeping: never fail the page for it
            log.exception("recording the reading position failed")
        return response


def single_post_extras(viewer, post) -> ThreadEngagement:
    """The same data for one post (a live page inserting it): two queries."""
    return ThreadEngagement(
        reactions=services.reaction_summaries([post.id], viewer),
        can_moderate=can_view_revisions(viewer, post) and post.author_id != viewer.id,
        can_react=can_react(viewer, post) or post.author_id == viewer.id,
        viewer_id=viewer.id,
    )


def render_post_fragment(post):
    """One post as the thread page shows it to the current user (live pages insert it)."""
    thread = post.thread
    perms = thread_page_permissions(current_user, thread)

    return render_template(
        "engagement/live_post.html",
        post=post,
        thread=thread,
        perms=perms,
        staff_ids=instructor_ids(thread.board.cohort),
        author_of=lambda p: thread_services.author_label(p, perms.sees_anonymous),
        confirm_form=ConfirmForm(),
        engagement=single_post_extras(current_user, post),
        discussion=load_context(thread, current_user, highlights=False),
        dperms=discussion_page_permissions(current_user, thread),
    )
