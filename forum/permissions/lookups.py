"""Objects looked up from an id, slug or username sent by a client, refused as "not
found" (so that existence does not leak) when the user may not see them."""

from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.cohorts.models import Board, Cohort
from forum.courses.models import Course
from forum.errors import NotFound
from forum.extensions import db
from forum.materials.models import Material
from forum.moderation.models import Mute, ReviewItem, WatchedWord
from forum.permissions.cohorts import can_view_board, can_view_cohort
from forum.permissions.materials import can_view_material
from forum.permissions.moderation import can_manage_watched_words, can_mute_in_cohort, can_work_queue
from forum.permissions.posts import can_view_post
from forum.permissions.rooms import can_view_room, can_view_room_message
from forum.permissions.threads import can_view_thread
from forum.permissions.viewer import viewer_of
from forum.rooms.models import Room, RoomMessage
from forum.threads.models import Post, Thread

# Every id column is at most a signed 64-bit integer: a larger id is simply not found.
CLIENT_ID_MAX = 2**63 - 1


def client_id(value) -> int:
    """A client-sent id (an int, or a string of ASCII digits) as an int from 1 to
    ``CLIENT_ID_MAX``; anything else is simply not found."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= CLIENT_ID_MAX:
        raise NotFound()
    return value


def client_key(value, max_length: int = 64) -> str:
    """A client-sent slug or username that can be looked up at all (PostgreSQL refuses
    NUL characters in a query; an overlong one cannot match); else not found."""
    if not isinstance(value, str) or len(value) > max_length or "\x00" in value:
        raise NotFound()
    return value


def _get_or_404(model, value, allowed, **options):
    """The ``model`` row with the client-sent id ``value`` if ``allowed(row)``; else not found."""
    row = db.session.get(model, client_id(value), **options)
    if row is None or not allowed(row):
        raise NotFound()
    return row


def get_cohort_or_404(slug: str, for_user):
    slug = client_key(slug)
    cohort = db.session.execute(db.select(Cohort).filter_by(slug=slug)).scalar_one_or_none()
    if cohort is None or not can_view_cohort(for_user, cohort):
        raise NotFound()
    return cohort


def get_board_or_404(board_id, for_user):
    return _get_or_404(Board, board_id, lambda board: can_view_board(for_user, board))


def get_thread_or_404(thread_id, for_user):
    # The board and cohort in the same query: the check below and every thread page read them.
    return _get_or_404(
        Thread,
        thread_id,
        lambda thread: can_view_thread(for_user, thread),
        options=[joinedload(Thread.board).joinedload(Board.cohort)],
    )


def get_post_or_404(post_id, for_user):
    return _get_or_404(Post, post_id, lambda post: can_view_post(for_user, post))


def get_user_or_404(username: str, for_user):
    """Users are visible to the site's members; only admins list everybody."""
    username = client_key(username)
    user = db.session.execute(db.select(User).filter_by(username=username.lower())).scalar_one_or_none()
    if user is None or not viewer_of(for_user).signed_in:
        raise NotFound()
    return user


def get_room_or_404(room_id, for_user):
    """The room with this id if the user may see it."""
    return _get_or_404(Room, room_id, lambda room: can_view_room(for_user, room))


def get_room_message_or_404(message_id, room, for_user):
    """A live message of this room (deleted ones are gone) if the user may see the room."""
    return _get_or_404(
        RoomMessage,
        message_id,
        lambda message: message.room_id == room.id and can_view_room_message(for_user, message),
    )


def get_mute_or_404(mute_id, for_user):
    """A mute by id, for someone who may manage mutes in its cohort."""
    return _get_or_404(
        Mute, mute_id, lambda mute: can_mute_in_cohort(for_user, db.session.get(Cohort, mute.cohort_id))
    )


def get_review_item_or_404(item_id, for_user):
    """A queue entry (report or held content), for a moderator of its cohort."""
    return _get_or_404(
        ReviewItem, item_id, lambda item: can_work_queue(for_user, db.session.get(Cohort, item.cohort_id))
    )


def get_watched_word_or_404(word_id, for_user):
    return _get_or_404(WatchedWord, word_id, lambda _word: can_manage_watched_words(for_user))


def get_course_or_404(course_id, for_user):
    """A course of the catalogue by a client-sent id; every signed-in member may read it."""
    return _get_or_404(Course, course_id, lambda _course: viewer_of(for_user).signed_in)


def get_material_or_404(material_id, for_user):
    """The material with this id if the user may see it."""
    return _get_or_404(Material, material_id, lambda material: can_view_material(for_user, material))
