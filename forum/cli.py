"""`flask --app wsgi forum ...`: the commands of CONTRACT.md.

Each command exits non-zero with a one-line message on bad input: usage errors
(unknown option, bad choice, missing argument) and refusals from the services alike.
Other features add commands with ``@forum_cli.command(...)`` from their own ``cli.py``,
which their ``init_app`` imports.
"""

import sys

import click
from flask.cli import AppGroup

from forum import transaction
from forum.accounts import services
from forum.accounts.services import find_user
from forum.cohorts import services as cohort_services
from forum.cohorts.services import find_cohort
from forum.demo import seed
from forum.errors import ServiceError


def _one_line(error: click.UsageError) -> click.ClickException:
    # click lists choices on several lines; fold them into one.
    return click.ClickException(" ".join(error.format_message().split()))


class OneLineCommand(click.Command):
    """A command whose usage errors are one line (``Error: ...``), not a usage screen."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise _one_line(error) from None


class ForumGroup(AppGroup):
    """The ``forum`` group: its commands report usage errors on one line, and each is one
    unit of work (committed when it ends, rolled back whole when it fails)."""

    command_class = OneLineCommand

    def command(self, *args, **kwargs):
        wrap = super().command(*args, **kwargs)

        def decorator(fn):
            return wrap(transaction.unit_of_work(fn))

        return decorator

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            raise _one_line(error) from None


forum_cli = ForumGroup("forum", help="Manage the class forum.")


def fail(message: str):
    """Stop the command with a one-line message and exit status 1."""
    raise click.ClickException(message)


def run_service(func, *args, **kwargs):
    """Call a service; a ServiceError becomes a one-line message and exit status 1."""
    try:
        return func(*args, **kwargs)
    except ServiceError as error:
        fail(error.message)


def read_password() -> str:
    """The first line of standard input (a password is never an argument: shell history)."""
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("empty password: give it on standard input")
    return password


@forum_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "instructor", "trainee"]), required=True)
@click.option("--display-name", default=None, help="Name shown to others (default: USERNAME).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, role, display_name, password_stdin):
    """Create an account."""
    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = read_password()
    user = run_service(services.create_user, None, username, password, role, display_name)
    click.echo(f"created user {user.username} ({user.role})")


@forum_cli.command("import-users")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--cohort", default=None, help="Enrol every imported account in this cohort.")
@click.option("--password-stdin", is_flag=True, help="One starting password for rows without one.")
def import_users(csv_file, cohort, password_stdin):
    """Create many accounts from a UTF-8 CSV: username, display name, role[, password]."""
    target = None
    if cohort:
        target = find_cohort(cohort)
        if target is None:
            fail(f"no cohort {cohort}")
    try:
        data = csv_file.read(1_000_001).decode("utf-8-sig")
    except UnicodeDecodeError:
        fail("the CSV file is not UTF-8 text")
    default = read_password() if password_stdin else None
    created, passwords = run_service(services.import_users_csv, None, data, target, default)
    click.echo(f"created {len(created)} users")
    for username, password in passwords.items():
        click.echo(f"{username}\t{password}")


@forum_cli.command("create-cohort")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["national", "special", "foreign", "course"]), required=True)
@click.option("--year", type=int, default=None)
@click.option("--language", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def create_cohort(slug, name, kind, year, language):
    """Create a cohort (a class)."""
    cohort = run_service(cohort_services.create_cohort, None, slug, name, kind, year, language)
    click.echo(f"created cohort {cohort.slug}")


@forum_cli.command("add-member")
@click.argument("cohort_slug")
@click.argument("username")
@click.option("--role", type=click.Choice(["instructor", "trainee"]), required=True)
def add_member(cohort_slug, username, role):
    """Enrol a user in a cohort (or change their role there)."""
    cohort = cohort_services.find_cohort(cohort_slug)
    if cohort is None:
        fail(f"no cohort {cohort_slug}")
    user = find_user(username)
    if user is None:
        fail(f"no user {username}")
    run_service(cohort_services.add_membership, None, cohort, user, role)
    click.echo(f"{user.username} is now {role} in {cohort.slug}")


@forum_cli.command("seed-demo")
def seed_demo():
    """Fill an empty database with a believable demo and print the logins."""
    logins = run_service(seed)
    if logins is None:
        click.echo("demo data present; nothing changed (the demo logins are in README.md)")
        return
    click.echo("demo logins (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username:<16} {password:<20} {role}")

