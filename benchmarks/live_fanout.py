"""Fan-out of one live room: N clients, K senders, M messages.

For each N it runs three servers: the forum (tests/serve.py: gevent + gevent-websocket,
SQLite, every message checked and stored before it is broadcast, search indexing left to
the external worker as in production); "bare", Flask-SocketIO on the same gevent set-up
with none of the forum (join a room, relay each message); and, as the floor, a bare
``websockets`` server that relays each frame to every connection. All get the same load
from the same client processes: asyncio ``websockets`` connections spread over P
processes, speaking Socket.IO's text frames (token, namespace ``/live``, ``join`` with its
ack, ``message`` events) to the first two and bare frames to the floor. ``--client
python-socketio`` drives the Socket.IO servers with python-socketio's own client instead
(several threads per connection: one process saturates near 500 connections, and its cost
then shows in the servers' latency, not the floor's). Printed per N: delivered/expected,
duplicates, latency p50/p99 from send to receive, server CPU seconds and CPU per delivery,
server RSS, and the ratios forum/floor and bare/floor; medians over the runs.

    .venv/bin/python benchmarks/live_fanout.py --sizes 50,200,500 --senders 5 --messages 100 --rate 20 --runs 3
"""

import sys

if "--bare-server" in sys.argv:  # the bare Flask-SocketIO server: gevent before anything else
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import multiprocessing as mp  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
log = logging.getLogger("live_fanout")


# --- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, process, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def floor_server(port: int) -> None:
    """The floor: accept websockets, relay every text frame to every connection."""
    from websockets.asyncio.server import broadcast, serve

    clients = set()

    async def handler(ws):
        clients.add(ws)
        try:
            async for frame in ws:
                broadcast(clients, frame)
        finally:
            clients.discard(ws)

    async def main():
        async with serve(handler, "127.0.0.1", port, max_size=64 * 1024, ping_interval=20):
            await asyncio.Future()

    asyncio.run(main())


def bare_server(port: int) -> None:
    """Flask-SocketIO on gevent with none of the forum (no auth, no database, no checks):
    ``join`` puts the connection in the room, each ``message`` is relayed to the room as
    it came. Between it and the floor is the Socket.IO stack; between it and the forum,
    the forum's own work."""
    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask("bare")
    sio = SocketIO(app, async_mode="gevent")

    @sio.on("join", namespace=NS)
    def join(data):
        join_room(f"room:{data['room_id']}")
        return {"ok": True}

    @sio.on("message", namespace=NS)
    def message(data):
        sio.emit("message", data, to=f"room:{data['room_id']}", namespace=NS)

    sio.run(app, host="127.0.0.1", port=port, log_output=False)


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- load clients (one process drives a slice of the connections) -------------------------------------


def _parse_key(key: str) -> float:
    return int(key.rsplit("-", 1)[1]) / 1e9


def worker(kind, url, port, room_id, tokens, gids, senders, plan, ready, go, results):
    """Connect ``len(tokens)`` clients, report ready, then send (senders) and receive.

    ``gids`` are the clients' numbers across all workers (receipts carry them)."""
    logging.basicConfig(level=logging.WARNING)
    receipts = []  # (client index, key, receive time)
    lock = threading.Lock()
    expected = plan["messages"]
    deadline_after_go = plan["duration"] + 30

    if kind in ("forum", "bare") and plan["client"] == "python-socketio":
        import socketio

        clients = []
        counts = [0] * len(tokens)
        done = threading.Event()

        def make_handler(i):
            def on_message(data):
                now = time.time()
                with lock:
                    receipts.append((gids[i], data["client_id"], now))
                    counts[i] += 1
                    if all(c >= expected for c in counts):
                        done.set()

            return on_message

        for i, token in enumerate(tokens):
            client = socketio.Client(reconnection=False)
            client.on("message", make_handler(i), namespace="/live")
            client.connect(
                url, namespaces=["/live"], transports=["websocket"], auth={"token": token}, wait_timeout=30
            )
            ack = client.call("join", {"room_id": room_id}, namespace="/live", timeout=60)
            assert ack.get("ok"), ack
            clients.append(client)
        ready.put(len(clients))
        go.wait()
        start = time.time()

        def send_loop(client, sender_no):
            for seq in range(plan["per_sender"]):
                at = start + (seq * plan["senders"] + sender_no) / plan["rate"]
                time.sleep(max(0.0, at - time.time()))
                key = f"b{sender_no}-{seq}-{time.time_ns()}"
                try:
                    client.emit(
                        "message",
                        {"room_id": room_id, "body": f"m {seq}", "client_id": key},
                        namespace="/live",
                    )
                except socketio.exceptions.SocketIOError:
                    return  # this sender lost its connection (an overloaded client process)

        threads = [threading.Thread(target=send_loop, args=(clients[i], s)) for i, s in senders]
        for t in threads:
            t.start()
        done.wait(deadline_after_go)
        for t in threads:
            t.join()
        time.sleep(0.5)  # late duplicates would show up here
        lost = sum(1 for c in clients if not c.connected)
        if lost:
            log.warning("%d of %d connections of this client process were lost", lost, len(clients))
        results.put(receipts)
        for client in clients:
            client.disconnect()
        return

    asyncio.run(raw_main(kind, port, room_id, tokens, gids, senders, plan, ready, go, results))


KINDS = ("forum", "bare", "floor")

# Socket.IO over one websocket, spoken directly (Engine.IO 4 / Socket.IO 5 text frames): the
# same asyncio ``websockets`` client as the floor's, so the two differ only in the server
# and the protocol's few bytes, not in the cost of the load clients.
NS = "/live"
EVENT = f"42{NS},"
ACK = f"43{NS},"


async def socketio_open(port: int, token: str, room_id: int):
    """Connect, open the namespace with the token, join the room; a websocket ready to use."""
    from websockets.asyncio.client import connect

    ws = await connect(f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", max_size=1 << 20)
    opening = await ws.recv()
    assert opening.startswith("0{"), opening
    await ws.send(f"40{NS}," + json.dumps({"token": token}))
    await _until(ws, lambda frame: frame.startswith(f"40{NS},"))
    await ws.send(f"{EVENT}1" + json.dumps(["join", {"room_id": room_id}]))
    ack = await _until(ws, lambda frame: frame.startswith(f"{ACK}1"))
    assert json.loads(ack[len(ACK) + 1 :])[0].get("ok"), ack
    return ws


async def _until(ws, wanted):
    """Read frames (answering pings, dropping presence events) until ``wanted`` matches."""
    while True:
        frame = await ws.recv()
        if frame == "2":
            await ws.send("3")
        elif frame.startswith(f"44{NS},"):
            raise RuntimeError(f"refused: {frame}")
        elif wanted(frame):
            return frame


async def raw_main(kind, port, room_id, tokens, gids, senders, plan, ready, go, results):
    from websockets.asyncio.client import connect

    receipts = []
    expected = plan["messages"]
    deadline_after_go = plan["duration"] + 30
    conns = []
    counts = [0] * len(tokens)
    done = asyncio.Event()

    def key_of(frame: str) -> str | None:
        if kind == "floor":
            return json.loads(frame)["k"]
        if frame.startswith(EVENT + '["message"'):
            return json.loads(frame[len(EVENT) :])[1]["client_id"]
        return None  # presence, typing: not counted

    async def reader(i, ws):
        async for frame in ws:
            now = time.time()
            if frame == "2":  # Engine.IO ping from the server
                await ws.send("3")
                continue
            key = key_of(frame)
            if key is None:
                continue
            receipts.append((gids[i], key, now))
            counts[i] += 1
            if all(c >= expected for c in counts):
                done.set()

    def encode(key: str, body: str) -> str:
        if kind == "floor":
            return json.dumps({"k": key, "body": body})
        return EVENT + json.dumps(["message", {"room_id": room_id, "body": body, "client_id": key}])

    for token in tokens:
        if kind == "floor":
            conns.append(await connect(f"ws://127.0.0.1:{port}", max_size=64 * 1024))
        else:
            conns.append(await socketio_open(port, token, room_id))
    tasks = [asyncio.create_task(reader(i, ws)) for i, ws in enumerate(conns)]
    ready.put(len(conns))
    await asyncio.get_running_loop().run_in_executor(None, go.wait)
    start = time.time()

    async def send_loop(ws, sender_no):
        for seq in range(plan["per_sender"]):
            at = start + (seq * plan["senders"] + sender_no) / plan["rate"]
            await asyncio.sleep(max(0.0, at - time.time()))
            key = f"b{sender_no}-{seq}-{time.time_ns()}"
            await ws.send(encode(key, f"m {seq}"))

    await asyncio.gather(*(send_loop(conns[i], s) for i, s in senders))
    try:
        await asyncio.wait_for(done.wait(), deadline_after_go)
    except TimeoutError:
        pass
    await asyncio.sleep(0.5)  # late duplicates would show up here
    lost = sum(1 for ws in conns if ws.close_code is not None)
    if lost:
        log.warning("%d of %d connections of this client process were lost", lost, len(conns))
    results.put(receipts)
    for t in tasks:
        t.cancel()
    for ws in conns:
        await ws.close()


# --- one measured run ------------------------------------------------------------------------------


def run_once(kind, n, args, pid, url, port, room_id, tokens) -> dict:
    ctx = mp.get_context("spawn")
    procs_n = max(args.procs, math.ceil(n / args.per_proc))
    slices = [list(range(i, n, procs_n)) for i in range(procs_n)]
    plan = {
        "messages": args.messages,
        "senders": args.senders,
        "per_sender": args.messages // args.senders,
        "rate": args.rate,
        "duration": args.messages / args.rate,
        "client": args.client,
    }
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    workers = []
    for idx in slices:
        mine = [(pos, idx[pos]) for pos in range(len(idx)) if idx[pos] < args.senders]
        p = ctx.Process(
            target=worker,
            args=(kind, url, port, room_id, [tokens[i] for i in idx], idx, mine, plan, ready, go, results),
        )
        p.start()
        workers.append(p)
    connected = sum(ready.get(timeout=300) for _ in workers)
    time.sleep(1.5)  # the forum's coalesced presence events of the joins go out first
    cpu0, t0 = proc_cpu(pid), time.time()
    go.set()
    receipts = []
    for _ in workers:
        receipts.extend(results.get(timeout=plan["duration"] + 120))
    cpu1, elapsed = proc_cpu(pid), time.time() - t0
    for p in workers:
        p.join(30)
    seen = {}
    for client, key, _at in receipts:
        seen[(client, key)] = seen.get((client, key), 0) + 1
    expected = connected * args.messages
    delivered = len(seen)
    latencies = sorted(at - _parse_key(key) for _client, key, at in receipts)
    cpu = cpu1 - cpu0
    return {
        "connected": connected,
        "expected": expected,
        "delivered": delivered,
        "duplicates": len(receipts) - delivered,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else float("nan"),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else float("nan"),
        "cpu_s": cpu,
        "cpu_us_per_delivery": 1e6 * cpu / max(1, delivered),
        "rss_mb": proc_rss_mb(pid),
        "elapsed_s": elapsed,
    }


# --- set-up: database, people, rooms ---------------------------------------------------------------------


def prepare(workdir: Path, n_max: int, rooms_needed: int):
    """A migrated SQLite database with one cohort of n_max members and the rooms."""
    os.environ.setdefault("FORUM_SOCKETIO_ASYNC_MODE", "threading")
    from flask_migrate import upgrade

    from forum import create_app
    from forum.accounts.models import User
    from forum.accounts.services import issue_token
    from forum.cohorts.models import Membership
    from forum.cohorts.services import create_cohort
    from forum.extensions import db
    from forum.rooms.services import create_room

    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        INSTANCE_DIR=str(workdir),
        FORUM_SEARCH_INDEX_DIR=str(workdir / "search"),
        FORUM_MATERIALS_DIR=str(workdir / "materials"),
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        cohort = create_cohort(None, "bench", "Bench", "national", 2026, "zh")
        teacher = User(
            username="benchteacher", display_name="Bench Teacher", role="instructor", password_hash="x"
        )
        db.session.add(teacher)
        users = [
            User(username=f"bench{i}", display_name=f"Bench {i}", role="trainee", password_hash="x")
            for i in range(n_max)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add(Membership(cohort_id=cohort.id, user_id=teacher.id, role="instructor"))
        db.session.add_all(Membership(cohort_id=cohort.id, user_id=u.id, role="trainee") for u in users)
        db.session.commit()
        rooms = [create_room(teacher, cohort, f"Bench room {i}").id for i in range(rooms_needed)]
        db.session.commit()  # the services only flush
        tokens = [issue_token(u) for u in users]
        db.engine.dispose()
    return url, tokens, rooms


def start_forum(workdir: Path, url: str):
    port = free_port()
    env = dict(
        os.environ,
        FORUM_SERVE_DATABASE_URL=url,
        FORUM_SERVE_INSTANCE=str(workdir),
        PORT=str(port),
        PYTHONPATH=str(ROOT),
        FORUM_ROOM_RATE_COUNT="100000000",
        FORUM_SERVE_WORKER="external",
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "serve.py")],
        env=env,
        cwd=ROOT,
        stdout=open(workdir / "forum.log", "a"),
        stderr=subprocess.STDOUT,
    )
    wait_port(port, process)
    return process, port


def start_floor(flag: str = "--floor-server"):
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, flag, str(port)], cwd=ROOT)
    wait_port(port, process)
    return process, port


def median(rows, key):
    return statistics.median(r[key] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--messages", type=int, default=100, help="messages per run, all senders together")
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second, all senders together")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--procs", type=int, default=4, help="client processes (at least)")
    parser.add_argument("--per-proc", type=int, default=125, help="connections per client process (at most)")
    parser.add_argument(
        "--client",
        choices=("raw", "python-socketio"),
        default="raw",
        help="forum load clients: Socket.IO frames over asyncio websockets, as the floor's clients "
        "(raw), or python-socketio's threaded client (several threads per connection)",
    )
    parser.add_argument("--floor-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        floor_server(args.floor_server)
        return
    if args.bare_server:
        bare_server(args.bare_server)
        return
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="live-fanout-"))
    try:
        url, tokens, rooms = prepare(workdir, max(sizes), len(sizes) * args.runs)
        log.disabled = False  # alembic's logging set-up switched it off
        forum, forum_port = start_forum(workdir, url)
        floor, floor_port = start_floor()
        bare, bare_port = start_floor("--bare-server")
        servers = {"forum": (forum, forum_port), "bare": (bare, bare_port), "floor": (floor, floor_port)}
        table = []
        room_iter = iter(rooms)
        try:
            for n in sizes:
                rows = {kind: [] for kind in KINDS}
                for run in range(args.runs):
                    for kind in KINDS:
                        process, port = servers[kind]
                        pid = process.pid
                        room_id = next(room_iter) if kind == "forum" else 1
                        r = run_once(
                            kind, n, args, pid, f"http://127.0.0.1:{forum_port}", port, room_id, tokens[:n]
                        )
                        rows[kind].append(r)
                        log.info(
                            "N=%d run %d %-5s delivered %d/%d dup %d p50 %.1f ms p99 %.1f ms cpu %.2f s "
                            "(%.1f us/delivery) rss %.0f MB",
                            n,
                            run + 1,
                            kind,
                            r["delivered"],
                            r["expected"],
                            r["duplicates"],
                            r["p50_ms"],
                            r["p99_ms"],
                            r["cpu_s"],
                            r["cpu_us_per_delivery"],
                            r["rss_mb"],
                        )
                table.append((n, rows))
        finally:
            for p, _port in servers.values():
                p.terminate()
                p.wait(10)
        print()
        print(
            f"senders={args.senders} messages={args.messages} rate={args.rate}/s runs={args.runs} "
            f"(medians); cpu = server process CPU seconds during the send phase"
        )
        header = (
            f"{'N':>4} {'server':<6} {'delivered/expected':>19} {'dup':>4} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'cpu s':>6} {'us/deliv':>9} {'rss MB':>7}"
        )
        print(header)
        for n, rows in table:
            for kind in KINDS:
                r = rows[kind]
                print(
                    f"{n:>4} {kind:<6} {int(median(r, 'delivered')):>9}/{int(median(r, 'expected')):<9} "
                    f"{int(max(x['duplicates'] for x in r)):>4} {median(r, 'p50_ms'):>8.1f} "
                    f"{median(r, 'p99_ms'):>8.1f} {median(r, 'cpu_s'):>6.2f} "
                    f"{median(r, 'cpu_us_per_delivery'):>9.1f} {median(r, 'rss_mb'):>7.0f}"
                )
            for kind in ("forum", "bare"):
                fo, fl = rows[kind], rows["floor"]
                print(
                    f"{n:>4} {kind}/floor  cpu/delivery "
                    f"x{median(fo, 'cpu_us_per_delivery') / median(fl, 'cpu_us_per_delivery'):.2f}"
                    f"  p50 x{median(fo, 'p50_ms') / median(fl, 'p50_ms'):.2f}"
                    f"  p99 x{median(fo, 'p99_ms') / median(fl, 'p99_ms'):.2f}"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
