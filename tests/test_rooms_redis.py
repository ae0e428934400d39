"""Scale-out: two server processes on one Redis message queue, clients split across
them. With the queue every message reaches every client exactly once; without it,
each process only reaches its own clients (the test shows the loss, so it can tell)."""

import uuid
from collections import Counter

import pytest

from tests.rooms_support import close_all, connect, received_within, send, wait_for

pytestmark = pytest.mark.live
PER_CLIENT = 2


@pytest.fixture
def people(world, make_user):
    """Four members of one cohort and their room."""
    from forum.cohorts.services import add_membership
    from forum.extensions import db
    from forum.rooms.services import create_room

    members = [world.teacher, world.trainee]
    for n in range(2):
        user = make_user(f"scale{n}", "trainee", f"Scale {n}")
        add_membership(None, world.cohort, user, "trainee")
        members.append(user)
    room = create_room(world.teacher, world.cohort, "Two processes")
    db.session.commit()
    return members, room


def _run(servers, members, room):
    """Clients alternate between the servers; each sends PER_CLIENT messages.
    Returns (clients, the server index of each, ids sent per server, join acks)."""
    clients, homes, acks = [], [], []
    for n, user in enumerate(members):
        home = n % len(servers)
        client = connect(servers[home], user)
        acks.append(client.call("join", {"room_id": room.id}))
        clients.append(client)
        homes.append(home)
    sent = {home: [] for home in range(len(servers))}
    for round_ in range(PER_CLIENT):
        for client, home in zip(clients, homes, strict=True):
            ack = send(client, room.id, f"round {round_}")
            assert "id" in ack, ack
            sent[home].append(ack["id"])
    return clients, homes, sent, acks


def _collect(client, expected: set, timeout=15.0) -> Counter:
    """Every message event until each expected id has arrived, plus a short look for extras."""
    counts = Counter()
    while not expected <= set(counts):
        counts[wait_for(client, "message", timeout=timeout)["id"]] += 1
    for extra in received_within(client, "message", 0.5):
        counts[extra["id"]] += 1
    return counts


def test_every_message_reaches_every_client_once_through_redis(need_redis, live_server, people):
    members, room = people
    channel = f"forum-test-{uuid.uuid4().hex[:12]}"  # parallel runs on one Redis stay apart
    servers = [
        live_server(FORUM_SERVE_REDIS_URL=need_redis, FORUM_SOCKETIO_CHANNEL=channel) for _ in range(2)
    ]
    clients, _homes, sent, acks = _run(servers, members, room)
    try:
        everything = set(sent[0]) | set(sent[1])
        assert len(everything) == len(members) * PER_CLIENT
        for client in clients:
            counts = _collect(client, everything)
            assert set(counts) == everything and set(counts.values()) == {1}, counts
        # Presence is shared too: the last to join sees all four, whichever process it is on.
        assert acks[-1]["presence"]["count"] == len(members)
    finally:
        close_all(*clients)


def test_without_the_queue_the_other_process_hears_nothing(live_server, people):
    members, room = people
    servers = [live_server(), live_server()]
    clients, homes, sent, acks = _run(servers, members, room)
    try:
        for client, home in zip(clients, homes, strict=True):
            own, other = set(sent[home]), set(sent[1 - home])
            counts = _collect(client, own)
            assert set(counts) == own, counts  # the other process's messages never arrive
            assert not set(counts) & other
        # They are stored all the same: a catch-up finds them.
        history = clients[0].call("history", {"room_id": room.id, "after": 0})["history"]
        assert {m["id"] for m in history} == set(sent[0]) | set(sent[1])
        assert acks[-1]["presence"]["count"] == len(members) // 2
    finally:
        close_all(*clients)
