"""JSON shapes of the forum's objects, as one viewer may see them.

Reused by every place that sends objects to a client (API, socket events):
``serialize_post(post, viewer)`` never shows an anonymous author to someone who may
not see it, in any field (author, last poster, editor). Every object with a page
carries ``id`` and ``url`` (the page's path).

One module per noun, each with the OpenAPI schemas of its shapes: ``common`` (page
URLs, references, schema building blocks), ``cohorts`` (cohorts, memberships, boards),
``users`` (accounts, the signed-in user), ``threads`` (threads and posts).
"""

from forum.api.serializers.cohorts import serialize_board, serialize_cohort, serialize_membership
from forum.api.serializers.common import (
    board_ref,
    board_url,
    cohort_ref,
    cohort_url,
    post_ref,
    post_url,
    thread_url,
    user_ref,
)
from forum.api.serializers.threads import serialize_post, serialize_thread
from forum.api.serializers.users import serialize_me, serialize_user

__all__ = [
    "board_ref",
    "board_url",
    "cohort_ref",
    "cohort_url",
    "post_ref",
    "post_url",
    "serialize_board",
    "serialize_cohort",
    "serialize_me",
    "serialize_membership",
    "serialize_post",
    "serialize_thread",
    "serialize_user",
    "thread_url",
    "user_ref",
]
