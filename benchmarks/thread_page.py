"""Thread page (50 posts) and board page (50 threads) against a floor.

The forum runs as in production (README "Deployment"): gunicorn with gevent-websocket's
``GeventWebSocketWorker``, one worker, ``FORUM_ENV=production``, on a SQLite file seeded
here (a thread of 50 posts by several people, some anonymous, edited, replying, with
reactions; a board of 50 threads). In the same server process, a bare Flask app mounted
at ``/_floor`` returns the very same HTML from memory: the floor. The load (``-c``
keep-alive connections from one gevent client process) alternates between the four
addresses in short phases, round after round, so both see the same machine. Printed per
page: requests/s, p50 and p99 latency, and the ratio forum/floor of requests/s.

A third page, the reader's own account page (the layout, a small form and no thread
data), shows what the cheapest signed-in page of the forum costs against its own floor:
the part of the ratio that the session, the user, the layout and Flask's request handling
take before a thread is even loaded.

    .venv/bin/python benchmarks/thread_page.py --seconds 3 --rounds 5 -c 8

``--server wsgi`` serves with ``python wsgi.py``'s set-up (Flask-SocketIO on gevent)
instead of gunicorn.
"""

import sys

if "--serve" in sys.argv or "--load" in sys.argv:  # server or load process: gevent first
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench password 1"
PAGES = ("thread", "board", "account")


# --- the server process ------------------------------------------------------------------------


def server_app():
    """The production app with the floor mounted at /_floor (gunicorn's app factory)."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from forum import create_app

    app = create_app("production", FORUM_PER_PAGE=50, FORUM_POSTS_PER_PAGE=50)
    floor = Flask("floor")
    pages = {name: Path(os.environ["BENCH_DIR"], f"{name}.html").read_bytes() for name in PAGES}

    @floor.route("/<name>")
    def page(name):
        """The same bytes the forum sent, from memory."""
        return pages[name], 200, {"Content-Type": "text/html; charset=utf-8"}

    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/_floor": floor})
    return app


def serve_wsgi(port: int) -> None:
    """``python wsgi.py``: Flask-SocketIO's gevent server (gevent-websocket handler)."""
    from forum.extensions import socketio

    socketio.run(server_app(), host="127.0.0.1", port=port, log_output=False)


# --- the load process ----------------------------------------------------------------------------


def load(url: str, seconds: float, connections: int, cookie: str) -> dict:
    """Keep ``connections`` keep-alive connections busy on one address; latencies in ms."""
    import http.client
    from urllib.parse import urlsplit

    import gevent

    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Cookie": cookie, "Accept": "text/html"}
        while True:
            start = time.perf_counter()
            if start >= deadline:
                break
            try:
                conn.request("GET", parts.path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            latencies.append((time.perf_counter() - start) * 1000)
        conn.close()

    began = time.perf_counter()
    gevent.joinall([gevent.spawn(client) for _ in range(connections)])
    return {
        "count": len(latencies),
        "seconds": time.perf_counter() - began,
        "latencies": latencies,
        "errors": errors[0],
    }


# --- the conductor -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "FORUM_ENV": "production",
            "SECRET_KEY": "benchmark-secret-key",
            "DATABASE_URL": f"sqlite:///{workdir / 'forum.sqlite3'}",
            "FORUM_INSTANCE_PATH": str(workdir),
            "FORUM_SEARCH_INDEX_DIR": str(workdir / "search-index"),
            "FORUM_MATERIALS_DIR": str(workdir / "materials"),
            "FORUM_SECURE_COOKIES": "0",
            "FORUM_WORKER": "external",
            "FORUM_POSTS_PER_PAGE": "50",
            "BENCH_DIR": str(workdir),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def seed(env: dict) -> dict:
    """Migrate and fill the database; returns the ids of the pages to load."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from forum import create_app, transaction
    from forum.accounts.services import create_user
    from forum.cohorts.services import add_membership, create_board, create_cohort
    from forum.engagement.services import set_reaction
    from forum.threads.services import create_post, create_thread, edit_post

    app = create_app("production", FORUM_WORKER="external")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        teacher = create_user(None, "teacher", PASSWORD, "instructor", "王老师")
        people = [create_user(None, f"trainee{n}", PASSWORD, "trainee", f"学员{n}") for n in range(6)]
        cohort = create_cohort(None, "bench-2026", "基准测试班", "national", 2026)
        add_membership(None, cohort, teacher, "instructor")
        for person in people:
            add_membership(None, cohort, person, "trainee")
        board = create_board(None, cohort, "案例讨论", "", anonymous_allowed=True)
        text = (
            "我认为**城市更新**要先做调研，再定方案。第一，摸清历史街区的现状；第二，"
            "听取居民意见；第三，[参考材料](/materials/1)。\n\n> 引用前面的观点\n\n- 一点\n- 两点\n"
        )
        thread = create_thread(people[0], board, "城市总体规划的实施：五十个回复", text, "case")
        posts = []
        for n in range(49):
            author = people[n % len(people)] if n % 5 else teacher
            reply_to = posts[n // 2].id if n % 3 == 0 and posts else None
            post = create_post(
                author,
                thread,
                f"第 {n} 条回复。" + text,
                reply_to,
                anonymous=bool(n % 7 == 3 and author is not teacher),
            )
            posts.append(post)
            if n % 4 == 0:
                edit_post(author, post, post.body + "\n\n（已补充）")
        for n, post in enumerate(posts):
            for person in people[: n % 4]:
                if person.id != post.author_id:
                    set_reaction(person, post, "agree")
        for n in range(49):
            create_thread(people[n % len(people)], board, f"讨论题目 {n}：基层治理的经验", text)
        ids = {"thread": thread.id, "board": board.id}
        transaction.commit()  # the services only flush
    from forum.extensions import db

    with app.app_context():
        db.engine.dispose()
    return ids


def sign_in(base: str, username: str) -> str:
    """A session cookie for ``username`` (through the login form, as a browser)."""
    import requests

    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = session.post(
        f"{base}/login",
        data={"csrf_token": token, "username": username, "password": PASSWORD},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def fetch(base: str, path: str, cookie: str) -> bytes:
    import requests

    response = requests.get(base + path, headers={"Cookie": cookie}, timeout=30)
    assert response.status_code == 200, (path, response.status_code)
    return response.content


def start_server(kind: str, env: dict, port: int):
    if kind == "gunicorn":
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-k",
            "geventwebsocket.gunicorn.workers.GeventWebSocketWorker",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "2",
            "benchmarks.thread_page:server_app()",
        ]
    else:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_load(url: str, seconds: float, connections: int, cookie: str, env: dict) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--load", url, str(seconds), str(connections)]
    result = subprocess.run(command, input=cookie, capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one phase")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--server", choices=("gunicorn", "wsgi"), default="gunicorn")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    env = environment(workdir)
    ids = seed(env)
    paths = {"thread": f"/threads/{ids['thread']}", "board": f"/boards/{ids['board']}", "account": "/account"}
    # The floor serves the HTML the forum renders for this reader (written before it starts).
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for name in PAGES:
        (workdir / f"{name}.html").write_bytes(b"")
    server = start_server(args.server, env, port)
    try:
        cookie = sign_in(base, "trainee5")
        for name in PAGES:
            (workdir / f"{name}.html").write_bytes(fetch(base, paths[name], cookie))
    finally:
        stop(server)
    server = start_server(args.server, env, port)
    try:
        html = {name: fetch(base, paths[name], cookie) for name in PAGES}
        floor = {name: fetch(base, f"/_floor/{name}", cookie) for name in PAGES}
        assert html["thread"].count(b'<article class="post') == 50, "the thread page must show 50 posts"
        assert html["board"].count(b'class="thread-row') == 50, "the board page must list 50 threads"
        for name in PAGES:
            assert abs(len(html[name]) - len(floor[name])) < 200, "the floor must send the same page"
        targets = {}
        for name in PAGES:
            targets[name] = base + paths[name]
            targets[f"{name} floor"] = f"{base}/_floor/{name}"
        results = {label: {"count": 0, "seconds": 0.0, "latencies": [], "errors": 0} for label in targets}
        for url in targets.values():  # warm up
            run_load(url, 1.0, args.connections, cookie, env)
        for _ in range(args.rounds):
            for label, url in targets.items():
                phase = run_load(url, args.seconds, args.connections, cookie, env)
                for key in ("count", "seconds", "errors"):
                    results[label][key] += phase[key]
                results[label]["latencies"].extend(phase["latencies"])
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"server: {args.server} (gevent-websocket, 1 worker, FORUM_ENV=production, SQLite); "
        f"{args.connections} connections; {args.rounds} rounds x {args.seconds:g} s per address"
    )
    print(f"{'address':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    rps = {}
    for label, data in results.items():
        rps[label] = data["count"] / data["seconds"] if data["seconds"] else 0.0
        print(
            f"{label:<15} {rps[label]:8.1f} {percentile(data['latencies'], 0.50):8.1f} "
            f"{percentile(data['latencies'], 0.99):8.1f} {data['errors']:7d}"
        )
    for name in PAGES:
        print(f"ratio {name} page / floor: {rps[name] / rps[f'{name} floor']:.2f}")
    summary = {
        label: {
            "rps": rps[label],
            "p50_ms": percentile(d["latencies"], 0.5),
            "p99_ms": percentile(d["latencies"], 0.99),
        }
        for label, d in results.items()
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "thread_page.json").write_text(
        json.dumps(
            {
                "args": vars(args),
                "results": summary,
                "median_latency_ms": {k: statistics.median(v["latencies"]) for k, v in results.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve_wsgi(int(sys.argv[sys.argv.index("--serve") + 1]))
    elif "--load" in sys.argv:
        at = sys.argv.index("--load")
        print(
            json.dumps(
                load(sys.argv[at + 1], float(sys.argv[at + 2]), int(sys.argv[at + 3]), sys.stdin.read())
            )
        )
    else:
        main()
