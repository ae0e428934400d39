"""The indexing worker and the index's consistency: one writer, a worker killed in the
middle of a commit, start-up catch-up (missing, older schema, behind the database),
``reindex``, and the in-process worker thread of the embedded set-up."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent


def search(client, user, q, **params):
    response = client.api("get", "/api/v1/search", user=user, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_second_writer_is_refused_at_once(app, world, client):
    from forum.search.index import IndexBusy, get_index

    search(client, world.trainee, "规划")  # the inline worker creates the index
    first = get_index().writer()
    try:
        started = time.monotonic()
        with pytest.raises(IndexBusy):
            get_index().writer()
        assert time.monotonic() - started < 1.0
        # Readers never block on the writer.
        assert search(client, world.trainee, "总体规划")["total"] == 2
    finally:
        first.cancel()


def test_missing_index_is_rebuilt_at_start(app, world, client, make_post):
    import shutil

    from forum.search.consistency import catch_up
    from forum.search.index import forget_index, get_index

    make_post(world.thread, world.trainee, "乡村治理的积分制")
    assert search(client, world.trainee, "积分制")["total"] == 1
    directory = app.config["FORUM_SEARCH_INDEX_DIR"]
    forget_index(directory)
    shutil.rmtree(directory)
    assert not get_index().exists()
    assert catch_up()["rebuilt"] == 3  # a thread and its two posts
    assert search(client, world.trainee, "积分制")["total"] == 1


def test_an_older_schema_version_is_replaced(app, world, client):
    from whoosh import fields, index

    from forum.search.consistency import catch_up
    from forum.search.index import forget_index

    directory = Path(app.config["FORUM_SEARCH_INDEX_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    index.create_in(str(directory), fields.Schema(key=fields.ID(stored=True)), indexname="forum_v0")
    assert any(p.name.startswith("_forum_v0_") for p in directory.iterdir())
    forget_index(str(directory))
    assert "rebuilt" in catch_up()
    assert not any("forum_v0" in p.name for p in directory.iterdir())
    assert search(client, world.trainee, "总体规划")["total"] == 2


def test_an_index_behind_the_database_catches_up(app, world, client, make_post):
    from forum.search.consistency import catch_up
    from forum.search.index import get_index
    from forum.search.worker import process_pending

    post = make_post(world.thread, world.trainee, "基层减负的经验")
    assert search(client, world.trainee, "基层减负")["total"] == 1
    writer = get_index().writer()
    writer.delete_by_term("key", f"post:{post.id}")
    writer.add_document(key="post:99999", type="post", obj_id=99999, access="c1", body="幽灵文档")
    writer.commit()
    assert search(client, world.trainee, "基层减负")["total"] == 0
    assert catch_up()["queued"] == 2
    assert process_pending() == 2
    assert search(client, world.trainee, "基层减负")["total"] == 1
    assert search(client, world.admin, "幽灵文档")["total"] == 0


def test_reindex_command(runner, world, client):
    result = runner.invoke(args=["forum", "reindex"])
    assert result.exit_code == 0, result.output
    assert "reindexed 2 objects" in result.output
    assert search(client, world.trainee, "总体规划")["total"] == 2


def _bulk_posts(db, world, count: int) -> None:
    """Many posts (and their index jobs) written at once, as a big import would."""
    from forum.search.models import IndexJob
    from forum.threads.models import Post

    rows = [
        {
            "thread_id": world.thread.id,
            "author_id": world.trainee.id,
            "number": n + 2,
            "body": f"第{n}条 编号{n:05d} 城市治理经验交流 marker{n}",
            "body_html": f"<p>第{n}条 编号{n:05d} 城市治理经验交流 marker{n}</p>",
            "anonymous": False,
            "hidden": False,
            "hidden_reason": "",
        }
        for n in range(count)
    ]
    db.session.execute(insert(Post), rows)
    db.session.commit()
    ids = db.session.execute(select(Post.id).where(Post.number > 1)).scalars().all()
    db.session.execute(insert(IndexJob), [{"kind": "post", "target_id": i, "attempts": 0} for i in ids])
    db.session.commit()


def _worker(app, database_url, *args):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "worker-test",
            "FORUM_SEARCH_INDEX_DIR": app.config["FORUM_SEARCH_INDEX_DIR"],
            "FORUM_MATERIALS_DIR": app.config["FORUM_MATERIALS_DIR"],
            "FORUM_INSTANCE_PATH": app.config["INSTANCE_DIR"],
            "FORUM_WORKER": "external",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "forum", "worker", *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.live
def test_a_worker_killed_mid_commit_leaves_an_index_that_opens_and_catches_up(
    app, db, world, client, database_url
):
    from forum.search.index import forget_index, get_index
    from forum.search.models import IndexJob

    search(client, world.trainee, "总体规划")  # index the world first (inline)
    total = 1200
    _bulk_posts(db, world, total)
    worker = _worker(app, database_url)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in worker.stdout], daemon=True).start()
    seen = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert worker.poll() is None, "".join(seen[-20:])
                continue
            seen.append(line)
            if "committing" in line:
                worker.send_signal(signal.SIGKILL)  # in the middle of writing the segment
                break
        else:
            pytest.fail("the worker never committed: " + "".join(seen[-20:]))
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL, "".join(seen[-20:])
    # Jobs are kept until their commit: all of them are still queued.
    db.session.expire_all()
    assert db.session.execute(select(func.count(IndexJob.id))).scalar_one() == total
    forget_index(app.config["FORUM_SEARCH_INDEX_DIR"])
    assert get_index().exists()
    with get_index().searching() as searcher:  # the index opens and answers
        assert searcher.doc_count() >= 2
    app.config["FORUM_WORKER"] = "external"  # search must not run the jobs itself here
    assert search(client, world.trainee, f"marker{total - 1}")["total"] == 0
    restarted = _worker(app, database_url, "--once")
    output, _ = restarted.communicate(timeout=180)
    assert restarted.returncode == 0, output
    assert db.session.execute(select(func.count(IndexJob.id))).scalar_one() == 0
    assert search(client, world.trainee, f"marker{total - 1}")["total"] == 1
    assert search(client, world.trainee, "城市治理经验交流")["total"] == total


@pytest.fixture
def thread_worker_app(database_url, tmp_path):
    from conftest import ForumClient, make_app

    app = make_app(database_url, tmp_path, FORUM_WORKER="thread")
    app.test_client_class = ForumClient
    with app.app_context():
        yield app
        worker = app.extensions["forum_worker"]
        worker.shutdown()
        if worker.thread is not None:
            worker.thread.join(10)
        from forum.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_the_in_process_worker_thread_indexes_in_the_background(thread_worker_app, world, make_post):
    client = thread_worker_app.test_client()
    assert client.get("/login").status_code == 200  # the first request starts the worker
    worker = thread_worker_app.extensions["forum_worker"]
    assert worker.thread is not None and worker.thread.is_alive()
    make_post(world.thread, world.trainee, "后台线程建立的索引：营商环境")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if search(client, world.trainee, "营商环境")["total"] == 1:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the worker thread did not index the post")
