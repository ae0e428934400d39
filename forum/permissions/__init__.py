"""Who may do what: the one place where access is decided.

Views, the JSON API, socket events, the CLI and templates (as Jinja globals) all ask
these functions. ``can_*`` answer a question; ``get_*_or_404`` look an object up
from an id sent by a client and refuse it (as "not found", so that existence does
not leak) when the user may not see it.
"""

from flask_login import AnonymousUserMixin

from forum.errors import NotFound
from forum.extensions import db


def _signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUserMixin) and user.is_authenticated


def cohort_role(user, cohort_id: int) -> str | None:
    """The user's membership role in a cohort ("instructor", "trainee") or None."""
    if not _signed_in(user):
        return None
    return user.cohort_roles.get(cohort_id)


def visible_cohort_ids(user) -> list[int] | None:
    """Cohort ids whose content the user may read; None means every cohort (admins)."""
    if not _signed_in(user):
        return []
    if user.is_admin:
        return None
    return sorted(user.cohort_roles)


def moderated_cohort_ids(user) -> list[int] | None:
    """Cohort ids where the user moderates; None means every cohort (admins)."""
    if not _signed_in(user):
        return []
    if user.is_admin:
        return None
    return sorted(cid for cid, role in user.cohort_roles.items() if role == "instructor")


# --- site -----------------------------------------------------------------------------


def can_manage_site(user) -> bool:
    """Create users and cohorts, change memberships anywhere, site settings."""
    return _signed_in(user) and user.is_admin


# --- cohorts and boards ------------------------------------------------------------------


def can_view_cohort(user, cohort) -> bool:
    if not _signed_in(user):
        return False
    return user.is_admin or cohort.id in user.cohort_roles


def can_moderate_cohort(user, cohort) -> bool:
    """Instructors of the cohort and admins moderate it (archived or not)."""
    if not _signed_in(user):
        return False
    return user.is_admin or user.cohort_roles.get(cohort.id) == "instructor"


def can_write_in_cohort(user, cohort) -> bool:
    """Any write by a member: refused everywhere once a cohort is archived."""
    return can_view_cohort(user, cohort) and not cohort.archived


def can_manage_cohort(user, cohort) -> bool:
    """Add boards and rooms, enrol members: the cohort's instructors and admins."""
    return can_moderate_cohort(user, cohort) and not cohort.archived


def can_manage_members(user, cohort) -> bool:
    return can_manage_cohort(user, cohort)


def can_view_board(user, board) -> bool:
    return can_view_cohort(user, board.cohort)


def can_manage_board(user, board) -> bool:
    return can_manage_cohort(user, board.cohort)


def can_create_thread(user, board) -> bool:
    if is_muted(user, board.cohort):
        return False
    if getattr(board, "kind", "discussion") == "announcement":
        # Announcement boards: only the cohort's instructors (and admins) start threads.
        return can_manage_board(user, board)
    return can_write_in_cohort(user, board.cohort)


def can_post_anonymously(user, board) -> bool:
    """Anonymity protects trainees' candour; staff always post under their name."""
    return (
        board.anonymous_allowed
        and can_write_in_cohort(user, board.cohort)
        and cohort_role(user, board.cohort_id) == "trainee"
    )


# --- threads and posts ---------------------------------------------------------------


def can_view_thread(user, thread) -> bool:
    cohort = thread.board.cohort
    if not can_view_cohort(user, cohort):
        return False
    if thread.private and thread.author_id != user.id and not can_moderate_cohort(user, cohort):
        # A private question: only its asker and the cohort's staff.
        return False
    if thread.hidden and thread.held and _signed_in(user) and thread.author_id == user.id:
        return True  # held for review: its author sees it (marked as waiting)
    return not thread.hidden or can_moderate_cohort(user, cohort)


def can_moderate_thread(user, thread) -> bool:
    return can_moderate_cohort(user, thread.board.cohort)


def can_reply(user, thread) -> bool:
    cohort = thread.board.cohort
    if not can_view_thread(user, thread) or cohort.archived or is_muted(user, cohort):
        return False
    return not thread.locked or can_moderate_cohort(user, cohort)


def can_view_post(user, post) -> bool:
    if not can_view_thread(user, post.thread):
        return False
    if post.staff_note and not can_view_staff_notes(user, post.thread):
        return False
    if not answer_first_allows(user, post):
        return False
    if post.hidden and not can_moderate_thread(user, post.thread):
        # The author still sees a hidden post, with the reason it was hidden.
        return _signed_in(user) and post.author_id == user.id
    return True


def can_see_hidden_posts(user, thread) -> bool:
    return can_moderate_thread(user, thread)


def can_see_anonymous_author(user, cohort) -> bool:
    return can_moderate_cohort(user, cohort)


def can_edit_post(user, post) -> bool:
    thread = post.thread
    if post.is_deleted or not can_view_post(user, post) or thread.board.cohort.archived:
        return False
    if can_moderate_thread(user, thread):
        return True
    if is_muted(user, thread.board.cohort):
        return False
    return post.author_id == user.id and not thread.locked and not post.hidden


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post)


# --- lookups from client-sent ids ------------------------------------------------------


def _usable_key(value, max_length: int = 64) -> bool:
    """A client-sent slug or username that can be looked up at all (PostgreSQL refuses
    NUL characters in a query; an overlong one cannot match)."""
    return isinstance(value, str) and len(value) <= max_length and "\x00" not in value


def get_cohort_or_404(slug: str, for_user):
    from forum.cohorts.models import Cohort

    if not _usable_key(slug):
        raise NotFound()
    cohort = db.session.execute(db.select(Cohort).filter_by(slug=slug)).scalar_one_or_none()
    if cohort is None or not can_view_cohort(for_user, cohort):
        raise NotFound()
    return cohort


def get_board_or_404(board_id: int, for_user):
    from forum.cohorts.models import Board

    board = db.session.get(Board, board_id)
    if board is None or not can_view_board(for_user, board):
        raise NotFound()
    return board


def get_thread_or_404(thread_id: int, for_user):
    from sqlalchemy.orm import joinedload

    from forum.cohorts.models import Board
    from forum.threads.models import Thread

    # The board and cohort in the same query: the check below and every thread page read them.
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.board).joinedload(Board.cohort)])
    if thread is None or not can_view_thread(for_user, thread):
        raise NotFound()
    return thread


def get_post_or_404(post_id: int, for_user):
    from forum.threads.models import Post

    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(for_user, post):
        raise NotFound()
    return post


def get_user_or_404(username: str, for_user):
    """Users are visible to the site's members; only admins list everybody."""
    from forum.accounts.models import User

    if not _usable_key(username):
        raise NotFound()
    user = db.session.execute(
        db.select(User).filter_by(username=username.lower())
    ).scalar_one_or_none()
    if user is None or not _signed_in(for_user):
        raise NotFound()
    return user


# --- pages: permissions computed once per page -------------------------------------------


class ThreadPagePermissions:
    """What a viewer may do on one thread page, decided once for the whole page.

    The per-post answers give the same result as ``can_edit_post`` / ``can_delete_post``
    for the posts of this thread, without repeating the cohort and role checks per post.
    """

    def __init__(self, user, thread):
        cohort = thread.board.cohort
        self.user_id = user.id if _signed_in(user) else None
        self.archived = bool(cohort.archived)
        self.locked = bool(thread.locked)
        self.can_view = can_view_thread(user, thread)
        self.can_moderate = can_moderate_thread(user, thread)
        self.can_moderate_now = self.can_moderate and not self.archived
        self.can_reply = can_reply(user, thread)
        self.can_post_anonymously = can_post_anonymously(user, thread.board)
        self.sees_anonymous = can_see_anonymous_author(user, cohort)
        self.sees_hidden = can_see_hidden_posts(user, thread)
        self.muted = is_muted(user, cohort)

    def can_edit(self, post) -> bool:
        """Same answer as ``can_edit_post(user, post)`` for a post of this thread (keep
        them in step: tests/test_permissions_pages.py compares the two)."""
        if post.is_deleted or self.archived or not self.can_view or self.user_id is None:
            return False
        if self.can_moderate:
            return True
        if self.muted:
            return False
        return post.author_id == self.user_id and not self.locked and not post.hidden

    def can_delete(self, post) -> bool:
        return self.can_edit(post) and post.number != 1

    def can_quote(self, post) -> bool:
        return self.can_reply and not post.is_deleted and not post.hidden


def thread_page_permissions(user, thread) -> ThreadPagePermissions:
    """The page-level permission flags of a thread page for this viewer."""
    return ThreadPagePermissions(user, thread)


# --- live rooms -----------------------------------------------------------------------


def can_view_room(user, room) -> bool:
    """Members of the room's cohort (and admins) read a room, open or closed."""
    return can_view_cohort(user, room.cohort)


def can_create_room(user, cohort) -> bool:
    """Instructors of the cohort (and admins) open rooms; never in an archived cohort."""
    return can_manage_cohort(user, cohort)


def can_moderate_room(user, room) -> bool:
    """Delete messages, pin, slow mode, mute, close and reopen: the cohort's instructors."""
    return can_moderate_cohort(user, room.cohort)


def can_post_in_room(user, room) -> bool:
    """Send a message: a member, in an open room of a cohort that is not archived.

    Mutes, slow mode and the rate limit are per-moment states checked by the service.
    """
    return room.status == "open" and can_write_in_cohort(user, room.cohort) and not is_muted(user, room.cohort)


def can_manage_room(user, room) -> bool:
    """Close, reopen or append the transcript: moderators while the cohort is not archived."""
    return can_moderate_room(user, room) and not room.cohort.archived


def is_room_exempt_from_slow_mode(user, room) -> bool:
    """Slow mode holds trainees back, not the people running the session."""
    return can_moderate_room(user, room)


def get_room_or_404(room_id, for_user):
    """The room with this id if the user may see it (the id comes from a client)."""
    from forum.rooms.models import Room

    if isinstance(room_id, bool) or not isinstance(room_id, int) or room_id < 1:
        raise NotFound()
    room = db.session.get(Room, room_id)
    if room is None or not can_view_room(for_user, room):
        raise NotFound()
    return room


def get_room_message_or_404(message_id, room, for_user):
    """A live message of this room (deleted ones are gone) if the user may see the room."""
    from forum.rooms.models import RoomMessage

    if isinstance(message_id, bool) or not isinstance(message_id, int) or message_id < 1:
        raise NotFound()
    message = db.session.get(RoomMessage, message_id)
    if message is None or message.room_id != room.id or message.deleted_at is not None:
        raise NotFound()
    if not can_view_room(for_user, room):
        raise NotFound()
    return message


# --- discussion features: case threads, answer first, private questions, staff notes -------
# (forum/discussion; helper F1)

DISCUSSION_MARK_KINDS = ("accepted", "endorsed", "key")


def _cohort_open(thread) -> bool:
    return not thread.board.cohort.archived


def can_view_staff_notes(user, thread) -> bool:
    """Staff-only notes inside a thread: the cohort's instructors and admins."""
    return can_moderate_thread(user, thread)


def can_write_staff_note(user, thread) -> bool:
    return can_moderate_thread(user, thread) and _cohort_open(thread)


def can_view_teaching_notes(user, thread) -> bool:
    """A case brief's teaching notes are for the cohort's staff only."""
    return can_moderate_thread(user, thread)


def can_change_thread_settings(user, thread) -> bool:
    """Answer first, its due date, private or not: the cohort's staff."""
    return can_moderate_thread(user, thread) and _cohort_open(thread)


def can_edit_case_brief(user, thread) -> bool:
    return thread.kind == "case" and can_change_thread_settings(user, thread)


def can_assign_roles(user, thread) -> bool:
    """Role play: the cohort's staff give trainees a role in a case thread."""
    return thread.kind == "case" and can_change_thread_settings(user, thread)


def can_write_summary(user, thread) -> bool:
    """The pinned "conclusions so far" of a research (or case) thread."""
    return thread.kind in ("research", "case") and can_change_thread_settings(user, thread)


def can_ask_privately(user, board) -> bool:
    """A question only the asker and the cohort's staff see."""
    return can_create_thread(user, board)


def _markable(post) -> bool:
    return post.number > 1 and not post.is_deleted and not post.hidden and not post.staff_note


def can_accept_answer(user, post) -> bool:
    """Question threads: the asker or the cohort's staff accept one reply."""
    thread = post.thread
    if thread.kind != "question" or not _markable(post) or not _cohort_open(thread):
        return False
    if can_moderate_thread(user, thread):
        return True
    return _signed_in(user) and thread.author_id == user.id and can_view_post(user, post)


def can_endorse_post(user, post) -> bool:
    """The cohort's staff endorse any reply."""
    return _markable(post) and can_change_thread_settings(user, post.thread)


def can_mark_key_contribution(user, post) -> bool:
    return post.thread.kind in ("research", "case") and can_endorse_post(user, post)


def can_mark_post(user, post, kind: str) -> bool:
    """One entry point for the three marks ("accepted", "endorsed", "key")."""
    checks = {"accepted": can_accept_answer, "endorsed": can_endorse_post, "key": can_mark_key_contribution}
    check = checks.get(kind)
    return bool(check and check(user, post))


class DiscussionPagePermissions:
    """The discussion actions of one viewer on one thread page, decided once per page;
    the per-post answers equal ``can_mark_post`` for this thread's posts."""

    def __init__(self, user, thread):
        moderator = can_moderate_thread(user, thread)
        open_ = _cohort_open(thread)
        self.can_settings = moderator and open_
        self.can_edit_brief = can_edit_case_brief(user, thread)
        self.can_assign_roles = can_assign_roles(user, thread)
        self.can_write_summary = can_write_summary(user, thread)
        self.can_write_staff_note = can_write_staff_note(user, thread)
        self.sees_teaching_notes = can_view_teaching_notes(user, thread)
        asker = _signed_in(user) and thread.author_id == user.id and can_write_in_cohort(user, thread.board.cohort)
        self._marks = {
            "accepted": thread.kind == "question" and open_ and (moderator or asker),
            "endorsed": self.can_settings,
            "key": thread.kind in ("research", "case") and self.can_settings,
        }
        self.any_tools = self.can_settings

    def may_mark(self, kind: str) -> bool:
        """Whether the viewer gives this kind of mark in this thread at all."""
        return self._marks.get(kind, False)

    def can_mark(self, post, kind: str) -> bool:
        return self._marks.get(kind, False) and _markable(post)


def discussion_page_permissions(user, thread) -> DiscussionPagePermissions:
    """The page-level discussion permission flags of a thread page for this viewer."""
    return DiscussionPagePermissions(user, thread)


def can_see_role_label(user, post) -> bool:
    """A role label would name the author of an anonymous post, so trainees don't see it there."""
    return not post.anonymous or can_see_anonymous_author(user, post.thread.board.cohort)


def answer_first_applies(user, thread) -> bool:
    """Whether this viewer must post a reply before seeing the thread's other replies.

    The thread's author and the cohort's staff always see everything; once the
    first-answer due date has passed, the thread is open to everyone.
    """
    from forum.utils import utcnow

    if not thread.answer_first or not _signed_in(user) or thread.author_id == user.id:
        return False
    if thread.answer_due_at is not None and thread.answer_due_at <= utcnow():
        return False
    return not can_moderate_thread(user, thread)


def has_answered(user, thread) -> bool:
    """The user has a reply in the thread that counts as their own answer."""
    from sqlalchemy import exists, select

    from forum.threads.models import Post

    if not _signed_in(user):
        return False
    return db.session.execute(
        select(exists().where(*_answer_conditions(Post, user.id, thread.id)))
    ).scalar_one()


def _answer_conditions(post_cls, user_id, thread_id):
    """A post that counts as a trainee's answer: a visible reply of theirs, not deleted."""
    return (
        post_cls.thread_id == thread_id,
        post_cls.author_id == user_id,
        post_cls.number > 1,
        post_cls.deleted_at.is_(None),
        post_cls.hidden.is_(False),
        post_cls.staff_note.is_(False),
    )


def answer_first_allows(user, post) -> bool:
    """Answer before you see: the opening post and one's own posts are always readable."""
    if post.number == 1 or (_signed_in(user) and post.author_id == user.id):
        return True
    if not answer_first_applies(user, post.thread):
        return True
    return has_answered(user, post.thread)


def thread_posts_clause(user, thread):
    """SQL condition on Post for one thread's posts as this viewer sees them (staff notes,
    answer first); None when nothing is filtered. Hidden posts are filtered separately."""
    from sqlalchemy import and_, exists, or_
    from sqlalchemy.orm import aliased

    from forum.threads.models import Post

    if can_view_staff_notes(user, thread):
        return None
    conditions = [Post.staff_note.is_(False)]
    if answer_first_applies(user, thread):
        answer = aliased(Post)
        conditions.append(
            or_(Post.number == 1, Post.author_id == user.id,
                exists().where(*_answer_conditions(answer, user.id, thread.id)))
        )
    return and_(*conditions)


def visible_threads_clause(user):
    """SQL condition on Thread for listings across boards and cohorts (home, search,
    profiles): the viewer's cohorts; hidden and private threads only where allowed."""
    from sqlalchemy import and_, false, or_, select, true

    from forum.cohorts.models import Board
    from forum.threads.models import Thread

    if not _signed_in(user):
        return false()
    visible = visible_cohort_ids(user)
    if visible is None:
        return true()
    staff_boards = select(Board.id).where(Board.cohort_id.in_(moderated_cohort_ids(user)))
    return and_(
        Thread.board_id.in_(select(Board.id).where(Board.cohort_id.in_(visible))),
        or_(
            Thread.hidden.is_(False),
            Thread.board_id.in_(staff_boards),
            and_(Thread.held.is_(True), Thread.author_id == user.id),  # as can_view_thread
        ),
        or_(Thread.private.is_(False), Thread.author_id == user.id, Thread.board_id.in_(staff_boards)),
    )


def visible_posts_clause(user):
    """SQL condition on Post for listings across threads; the statement must join Thread
    (``Post.thread_id == Thread.id``). Applies the thread conditions, hidden posts, staff
    notes and answer first. Deleted posts are the caller's choice."""
    from sqlalchemy import and_, exists, or_, select, true
    from sqlalchemy.orm import aliased

    from forum.cohorts.models import Board
    from forum.threads.models import Post, Thread
    from forum.utils import utcnow

    if not _signed_in(user):
        return visible_threads_clause(user)
    if visible_cohort_ids(user) is None:
        return true()
    staff = Thread.board_id.in_(select(Board.id).where(Board.cohort_id.in_(moderated_cohort_ids(user))))
    answered = exists().where(*_answer_conditions(aliased(Post), user.id, Thread.id))
    return and_(
        visible_threads_clause(user),
        or_(Post.hidden.is_(False), Post.author_id == user.id, staff),
        or_(Post.staff_note.is_(False), staff),
        or_(
            Thread.answer_first.is_(False), Post.number == 1, Post.author_id == user.id,
            Thread.author_id == user.id, staff,
            and_(Thread.answer_due_at.is_not(None), Thread.answer_due_at <= utcnow()),
            answered,
        ),
    )


# --- moderation and reports (issue 6): mutes, queue, audit, participation ----------------


def is_muted(user, cohort) -> bool:
    """A trainee muted in the cohort right now: may read, may not post or chat."""
    if not _signed_in(user) or user.is_admin:
        return False
    cohort_id = getattr(cohort, "id", cohort)
    if user.cohort_roles.get(cohort_id) != "trainee":
        return False
    from forum.moderation.mutes import active_mutes
    from forum.utils import utcnow

    until = active_mutes(user).get(cohort_id)
    return until is not None and until > utcnow()


def can_mute_in_cohort(user, cohort) -> bool:
    """Mute and unmute trainees, warn them: the cohort's instructors and admins."""
    return can_manage_cohort(user, cohort)


def can_be_muted(user, cohort) -> bool:
    """Only trainees can be muted (staff are never silenced in their own cohort)."""
    return _signed_in(user) and not user.is_admin and cohort_role(user, cohort.id) == "trainee"


def can_report_post(user, post) -> bool:
    """Any member who sees a post may report it, except its own author."""
    thread = post.thread
    return (
        can_view_post(user, post)
        and not post.is_deleted
        and post.author_id != user.id
        and not thread.board.cohort.archived
    )


def can_work_queue(user, cohort) -> bool:
    """Read and resolve a cohort's reports and held content."""
    return can_moderate_cohort(user, cohort)


def can_feature_post(user, post) -> bool:
    return can_moderate_thread(user, post.thread) and not post.thread.board.cohort.archived


def can_move_thread(user, thread, board=None) -> bool:
    """Moderators move within their cohort; only admins move a thread to another cohort."""
    if not can_moderate_thread(user, thread) or thread.board.cohort.archived:
        return False
    if board is None:
        return True
    if board.cohort_id != thread.board.cohort_id:
        return can_manage_site(user) and not board.cohort.archived
    return True


def can_restructure_thread(user, thread) -> bool:
    """Merge, split and assign threads: the cohort's moderators while it is open."""
    return can_moderate_thread(user, thread) and not thread.board.cohort.archived


def can_be_assigned(user, cohort) -> bool:
    """A thread is assigned to one of the cohort's instructors."""
    return _signed_in(user) and cohort_role(user, cohort.id) == "instructor"


def can_view_audit(user, cohort=None) -> bool:
    """A cohort's audit log: its instructors and admins; the whole site's log: admins."""
    if cohort is None:
        return can_manage_site(user)
    return can_moderate_cohort(user, cohort)


def can_manage_watched_words(user) -> bool:
    return can_manage_site(user)


def can_view_participation(user, cohort) -> bool:
    """The participation report (teaching inspection): the cohort's instructors, admins."""
    return can_moderate_cohort(user, cohort)


def get_mute_or_404(mute_id, for_user):
    """A mute by id, for someone who may manage mutes in its cohort."""
    from forum.cohorts.models import Cohort
    from forum.moderation.models import Mute

    mute = db.session.get(Mute, _client_id(mute_id))
    if mute is None or not can_mute_in_cohort(for_user, db.session.get(Cohort, mute.cohort_id)):
        raise NotFound()
    return mute


def get_review_item_or_404(item_id, for_user):
    """A queue entry (report or held content), for a moderator of its cohort."""
    from forum.cohorts.models import Cohort
    from forum.moderation.models import ReviewItem

    item = db.session.get(ReviewItem, _client_id(item_id))
    if item is None or not can_work_queue(for_user, db.session.get(Cohort, item.cohort_id)):
        raise NotFound()
    return item


def get_watched_word_or_404(word_id, for_user):
    from forum.moderation.models import WatchedWord

    word = db.session.get(WatchedWord, _client_id(word_id))
    if word is None or not can_manage_watched_words(for_user):
        raise NotFound()
    return word


def _client_id(value) -> int:
    """A client-sent id as a positive int; anything else is simply not found."""
    if isinstance(value, bool):
        raise NotFound()
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if value < 1 or value > 2**31 - 1:
        raise NotFound()
    return value


# --- engagement: reactions, revisions, mentions, reading state, watches (helper F2) ------


def can_react(user, post) -> bool:
    """React to a post one may see: not one's own, not a removed one, not when archived."""
    if not _signed_in(user) or post.author_id == user.id:
        return False
    if post.is_deleted or post.hidden or post.thread.board.cohort.archived:
        return False
    return can_view_post(user, post)


def can_view_revisions(user, post) -> bool:
    """Earlier versions of a post and who edited it: its author and the cohort's staff."""
    if not can_view_post(user, post):
        return False
    return can_moderate_thread(user, post.thread) or post.author_id == user.id


def can_mention_in(user, cohort) -> bool:
    """List a cohort's members to @mention them: the cohort's own members (and admins)."""
    return can_view_cohort(user, cohort)


def can_watch_thread(user, thread) -> bool:
    return can_view_thread(user, thread)


def can_watch_board(user, board) -> bool:
    return can_view_board(user, board)


def listed_threads_clause(user, thread_cls, board_cls):
    """SQL filter: threads the user may see (hidden ones for moderators, private ones for
    their asker and the cohort's staff), for counts over many threads in one query.
    The statement must join ``board_cls`` to ``thread_cls``."""
    from sqlalchemy import false, or_, true

    if not _signed_in(user):
        return false()
    visible = visible_cohort_ids(user)
    moderated = moderated_cohort_ids(user)
    clause = true() if visible is None else board_cls.cohort_id.in_(visible or [-1])
    if moderated is None:
        return clause
    staff = board_cls.cohort_id.in_(moderated or [-1])
    own = thread_cls.author_id == user.id
    clause = clause & or_(staff, thread_cls.hidden.is_(False) | (own & thread_cls.held.is_(True)))
    return clause & or_(staff, own, thread_cls.private.is_(False))


def counted_posts_clause(post_cls, board_cls, *, everything: bool):
    """SQL filter: posts that count as unread for the user (never deleted ones; hidden
    posts and staff notes only for the cohort's staff; in an answer-first thread, the
    others' replies only once the user may read them). The statement joins Thread.

    The user's values are bind parameters, given by ``counted_posts_params(user)``, so that
    a statement using the filter is built once (building it costs more than running it);
    ``everything`` is that dictionary's value of the same name (an admin's filter)."""
    from sqlalchemy import and_, bindparam, exists, or_
    from sqlalchemy.orm import aliased

    from forum.threads.models import Post, Thread

    clause = post_cls.deleted_at.is_(None)
    if everything:
        return clause
    user_id = bindparam("counted_user_id")
    readable = or_(  # as answer_first_allows
        Thread.answer_first.is_(False),
        post_cls.number == 1,
        Thread.author_id == user_id,
        and_(Thread.answer_due_at.is_not(None), Thread.answer_due_at <= bindparam("counted_now")),
        exists().where(*_answer_conditions(aliased(Post), user_id, Thread.id)),
    )
    ordinary = post_cls.hidden.is_(False) & post_cls.staff_note.is_(False) & readable
    return clause & or_(board_cls.cohort_id.in_(bindparam("counted_moderated", expanding=True)), ordinary)


def counted_posts_params(user) -> dict:
    """The bind parameters of ``counted_posts_clause`` for this signed-in user."""
    from forum.utils import utcnow

    moderated = moderated_cohort_ids(user)
    return {
        "everything": moderated is None,
        "counted_user_id": user.id,
        "counted_moderated": moderated or [-1],
        "counted_now": utcnow(),
    }


# --- materials library and search (forum/materials, forum/search; helper E) -----------------


def can_search(user) -> bool:
    """Every signed-in member searches; what they find is limited to what they may see."""
    return _signed_in(user)


def can_view_material(user, material) -> bool:
    """Admins, its uploader, everyone for college-wide material, else the cohorts it is shared with."""
    if not _signed_in(user):
        return False
    if user.is_admin or material.college_wide or material.uploaded_by_id == user.id:
        return True
    roles = user.cohort_roles
    return any(cohort.id in roles for cohort in material.cohorts)


def can_upload_material(user) -> bool:
    """Instructors (by site role or in any cohort) and admins add to the library."""
    if not _signed_in(user):
        return False
    return user.is_admin or user.role == "instructor" or "instructor" in user.cohort_roles.values()


def can_share_material_with(user, cohort) -> bool:
    """Sharing with a cohort: its instructors and admins, while it is not archived."""
    return can_manage_cohort(user, cohort)


def can_share_college_wide(user) -> bool:
    """The whole college sees it: admins and instructors by site role."""
    return _signed_in(user) and (user.is_admin or user.role == "instructor")


def can_edit_material(user, material) -> bool:
    """Its uploader, admins, and the instructors of a cohort it is shared with."""
    if not _signed_in(user):
        return False
    if user.is_admin or material.uploaded_by_id == user.id:
        return True
    return any(user.cohort_roles.get(cohort.id) == "instructor" for cohort in material.cohorts)


def visible_materials_clause(user):
    """SQL condition on Material for the library list (the same rule as can_view_material)."""
    from sqlalchemy import false, or_, select

    from forum.materials.models import Material, material_shares

    if not _signed_in(user):
        return false()
    if user.is_admin:
        return None
    shared = select(material_shares.c.material_id).where(
        material_shares.c.cohort_id.in_(sorted(user.cohort_roles) or [-1])
    )
    return or_(Material.college_wide.is_(True), Material.uploaded_by_id == user.id, Material.id.in_(shared))


def can_manage_courses(user) -> bool:
    """Add courses to the college's catalogue and edit them: admins."""
    return can_manage_site(user)


def get_course_or_404(course_id, for_user):
    """A course of the catalogue by a client-sent id; every signed-in member may read it."""
    from forum.materials.models import Course

    course = db.session.get(Course, _client_id(course_id))
    if course is None or not _signed_in(for_user):
        raise NotFound()
    return course


def get_material_or_404(material_id, for_user):
    """The material with this id if the user may see it (the id comes from a client)."""
    from forum.materials.models import Material

    if isinstance(material_id, bool) or not isinstance(material_id, int) or material_id < 1:
        raise NotFound()
    material = db.session.get(Material, material_id)
    if material is None or not can_view_material(for_user, material):
        raise NotFound()
    return material


JINJA_GLOBALS = {
    name: value
    for name, value in dict(globals()).items()
    if name.startswith(("can_", "cohort_role"))
}
