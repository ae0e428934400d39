"""The `flask forum ...` commands of CONTRACT.md: what they create, and a one-line
refusal (non-zero exit) for every kind of bad input."""

import pytest
from conftest import PASSWORD
from sqlalchemy import func, select


def forum(runner, *args, input=None):
    return runner.invoke(args=["forum", *args], input=input)


def assert_refused(result, *fragments):
    """Non-zero exit, one line on stderr naming the problem, nothing on stdout."""
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), lines[0]
    assert result.stdout.strip() == ""


def count(db, model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# --- create-user ---------------------------------------------------------------------------


def test_create_user_then_sign_in(runner, client):
    result = forum(
        runner,
        "create-user",
        "Zhang.San",
        "--role",
        "trainee",
        "--display-name",
        "张三",
        "--password-stdin",
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "zhang.san" in result.stdout
    from forum.accounts.services import find_user

    user = find_user("zhang.san")
    assert (user.display_name, user.role) == ("张三", "trainee")
    assert client.login("zhang.san", "a long password").status_code == 302


def test_create_user_display_name_defaults_to_username(runner):
    result = forum(runner, "create-user", "admin2", "--role", "admin", "--password-stdin", input=PASSWORD)
    assert result.exit_code == 0, result.output
    from forum.accounts.services import find_user

    assert find_user("admin2").display_name == "admin2"
    assert find_user("admin2").is_admin


@pytest.mark.parametrize(
    "args, stdin, fragment",
    [
        (["bob", "--role", "superuser", "--password-stdin"], PASSWORD, "role"),
        (["bob", "--password-stdin"], PASSWORD, "--role"),
        (["bob", "--role", "trainee"], PASSWORD, "password-stdin"),
        (["bob", "--role", "trainee", "--password-stdin"], "", "password"),
        (["bob", "--role", "trainee", "--password-stdin"], "\n", "password"),
        (["bob", "--role", "trainee", "--password-stdin"], "short\n", "8"),
        (["bad name", "--role", "trainee", "--password-stdin"], PASSWORD, "username"),
        (["张三", "--role", "trainee", "--password-stdin"], PASSWORD, "username"),
        (["x" * 80, "--role", "trainee", "--password-stdin"], PASSWORD, "username"),
        (
            ["bob", "--role", "trainee", "--display-name", "n" * 500, "--password-stdin"],
            PASSWORD,
            "display_name",
        ),
        (["bob", "--role", "trainee", "--password-stdin", "--colour", "red"], PASSWORD, "colour"),
        ([], None, "username"),
    ],
)
def test_create_user_refuses_bad_input(runner, db, args, stdin, fragment):
    from forum.accounts.models import User

    result = forum(runner, "create-user", *args, input=stdin)
    assert_refused(result, fragment)
    assert count(db, User) == 0


def test_create_user_refuses_a_taken_username(runner, make_user):
    make_user("bob")
    result = forum(runner, "create-user", "BOB", "--role", "trainee", "--password-stdin", input=PASSWORD)
    assert_refused(result, "bob", "taken")


# --- create-cohort -------------------------------------------------------------------------


def test_create_cohort(runner):
    result = forum(
        runner,
        "create-cohort",
        "mayors-46",
        "--name",
        "第46期市长研究班",
        "--kind",
        "national",
        "--year",
        "2027",
        "--language",
        "zh",
    )
    assert result.exit_code == 0, result.output
    from forum.cohorts.services import find_cohort

    cohort = find_cohort("mayors-46")
    assert (cohort.name, cohort.kind, cohort.year, cohort.language) == (
        "第46期市长研究班",
        "national",
        2027,
        "zh",
    )


def test_create_cohort_defaults(runner):
    result = forum(runner, "create-cohort", "seminar", "--name", "Seminar", "--kind", "foreign")
    assert result.exit_code == 0, result.output
    from forum.cohorts.services import find_cohort

    cohort = find_cohort("seminar")
    assert (cohort.year, cohort.language) == (None, "zh")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["Bad Slug!", "--name", "X", "--kind", "national"], "slug"),
        (["a_b", "--name", "X", "--kind", "national"], "slug"),
        (["班级", "--name", "X", "--kind", "national"], "slug"),
        (["ok-slug", "--name", "X", "--kind", "evening"], "kind"),
        (["ok-slug", "--kind", "national"], "--name"),
        (["ok-slug", "--name", "X"], "--kind"),
        (["ok-slug", "--name", "   ", "--kind", "national"], "name"),
        (["ok-slug", "--name", "N" * 300, "--kind", "national"], "name"),
        (["ok-slug", "--name", "X", "--kind", "national", "--year", "next"], "year"),
        (["ok-slug", "--name", "X", "--kind", "national", "--year", "1800"], "year"),
        (["ok-slug", "--name", "X", "--kind", "national", "--language", "fr"], "language"),
    ],
)
def test_create_cohort_refuses_bad_input(runner, db, args, fragment):
    from forum.cohorts.models import Cohort

    assert_refused(forum(runner, "create-cohort", *args), fragment)
    assert count(db, Cohort) == 0


def test_create_cohort_refuses_a_taken_slug(runner, make_cohort):
    make_cohort("mayors-46")
    assert_refused(
        forum(runner, "create-cohort", "mayors-46", "--name", "X", "--kind", "national"), "mayors-46"
    )


# --- add-member --------------------------------------------------------------------------


def test_add_member_and_change_role(runner, make_user, make_cohort, login):
    user = make_user("lihua")
    cohort = make_cohort("mayors-46")
    result = forum(runner, "add-member", "mayors-46", "lihua", "--role", "trainee")
    assert result.exit_code == 0, result.output
    user.forget_cohort_roles()
    assert user.cohort_roles == {cohort.id: "trainee"}
    result = forum(runner, "add-member", "mayors-46", "LiHua", "--role", "instructor")
    assert result.exit_code == 0, result.output
    user.forget_cohort_roles()
    assert user.cohort_roles == {cohort.id: "instructor"}


def test_add_member_refusals(runner, db, make_user, make_cohort):
    from forum.cohorts import services
    from forum.cohorts.models import Membership

    make_user("lihua")
    archived = make_cohort("old-class")
    services.update_cohort(None, archived, archived=True)
    make_cohort("mayors-46")
    assert_refused(forum(runner, "add-member", "nope", "lihua", "--role", "trainee"), "nope")
    assert_refused(forum(runner, "add-member", "mayors-46", "nobody", "--role", "trainee"), "nobody")
    assert_refused(forum(runner, "add-member", "mayors-46", "lihua", "--role", "admin"), "role")
    assert_refused(forum(runner, "add-member", "mayors-46", "lihua"), "--role")
    assert_refused(forum(runner, "add-member", "mayors-46"), "username")
    assert_refused(forum(runner, "add-member", "old-class", "lihua", "--role", "trainee"), "archived")
    assert count(db, Membership) == 0


# --- import-users ------------------------------------------------------------------------


def write(tmp_path, text, name="people.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_users_into_a_cohort(runner, tmp_path, make_cohort, client):
    cohort = make_cohort("mayors-46")
    csv_file = write(
        tmp_path,
        "username,display_name,role\nwang.wu,王五,trainee\nzhao.liu,赵六,instructor,own password 1\n",
    )
    result = forum(runner, "import-users", csv_file, "--cohort", "mayors-46")
    assert result.exit_code == 0, result.output
    assert "created 2 users" in result.stdout
    # A generated one-time password is printed for the row without one, and it works.
    generated = dict(line.split("\t") for line in result.stdout.splitlines() if "\t" in line)
    assert set(generated) == {"wang.wu"}
    assert client.login("wang.wu", generated["wang.wu"]).status_code == 302
    from forum.accounts.services import find_user

    assert find_user("zhao.liu").cohort_roles == {cohort.id: "instructor"}
    assert find_user("wang.wu").cohort_roles == {cohort.id: "trainee"}


def test_import_users_with_one_starting_password(runner, tmp_path, client):
    csv_file = write(tmp_path, "\ufeffa.one,A One,trainee\nb.two,B Two,trainee\n")
    result = forum(runner, "import-users", csv_file, "--password-stdin", input="starting pass 9\n")
    assert result.exit_code == 0, result.output
    assert "\t" not in result.stdout
    assert client.login("b.two", "starting pass 9").status_code == 302


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("a.one,A One,emperor\n", "role"),
        ("a.one,A One,trainee\nA.ONE,Again,trainee\n", "twice"),
        ("a.one,A One\n", "line 1"),
        ("username,display_name,role\n", "no rows"),
        ("", "no rows"),
        ("a.one,A One,trainee\nbad name,B,trainee\n", "line 2"),
        ("a.one,A One,trainee,short\n", "8"),
    ],
)
def test_import_users_refuses_bad_files_whole(runner, db, tmp_path, content, fragment):
    from forum.accounts.models import User

    assert_refused(forum(runner, "import-users", write(tmp_path, content)), fragment)
    assert count(db, User) == 0


def test_import_users_other_refusals(runner, db, tmp_path, make_user):
    from forum.accounts.models import User

    make_user("taken")
    good = write(tmp_path, "a.one,A One,trainee\n")
    assert_refused(
        forum(runner, "import-users", write(tmp_path, "a.one,A,trainee\ntaken,T,trainee\n", "t.csv")), "taken"
    )
    assert_refused(forum(runner, "import-users", good, "--cohort", "missing"), "missing")
    assert_refused(forum(runner, "import-users", str(tmp_path / "absent.csv")), "absent.csv")
    assert_refused(
        forum(runner, "import-users", write(tmp_path, "王五,x,trainee\n", "gbk.csv", "gbk")), "utf-8"
    )
    assert_refused(forum(runner, "import-users", good, "--password-stdin", input="\n"), "password")
    assert count(db, User) == 1


# --- seed-demo and the group --------------------------------------------------------------


def test_seed_demo_once_then_no_op(runner, db, client):
    from forum.accounts.models import User
    from forum.cohorts.models import Board, Cohort
    from forum.threads.models import Post, Thread

    result = forum(runner, "seed-demo")
    assert result.exit_code == 0, result.output
    logins = [line.split() for line in result.stdout.splitlines()[1:]]
    roles = {role for _name, _password, role in logins}
    assert roles == {"admin", "instructor", "trainee"}
    assert all(len(password) >= 8 for _name, password, _role in logins)

    cohorts = db.session.execute(select(Cohort).order_by(Cohort.id)).scalars().all()
    assert [(c.kind, c.language) for c in cohorts] == [("national", "zh"), ("foreign", "en")]
    assert count(db, Board) >= 5
    kinds = set(db.session.execute(select(Thread.kind)).scalars())
    assert {"case", "research", "question"} <= kinds
    assert count(db, Post) >= 3 * count(db, Thread)
    bodies = " ".join(db.session.execute(select(Post.body)).scalars())
    for topic in ("海绵城市", "老旧小区改造", "城市更新", "城市总体规划", "smart city", "resilience"):
        assert topic in bodies
    assert count(db, Post, Post.anonymous.is_(True)) >= 1
    assert count(db, Thread, Thread.pinned.is_(True)) >= 2
    html = " ".join(db.session.execute(select(Post.body_html)).scalars())
    assert "<table>" in html and "<strong>" in html and "<ol>" in html

    # Every printed login works.
    for username, password, _role in logins:
        assert client.login(username, password).status_code == 302, username
        client.form("/logout")

    users = count(db, User)
    again = forum(runner, "seed-demo")
    assert again.exit_code == 0
    assert "present" in again.stdout and "README" in again.stdout
    assert count(db, User) == users


def test_seed_demo_leaves_a_database_with_accounts_alone(runner, db, make_user):
    from forum.cohorts.models import Cohort

    make_user("someone")
    result = forum(runner, "seed-demo")
    assert result.exit_code == 0
    assert "present" in result.stdout
    assert count(db, Cohort) == 0


def test_unknown_command_is_one_line(runner):
    assert_refused(forum(runner, "frobnicate"), "frobnicate")
