"""`flask --app wsgi forum ...`: the commands of CONTRACT.md.

Each command exits non-zero with a one-line message on bad input.
"""

import sys

import click
from flask.cli import AppGroup

from forum.errors import ServiceError

forum_cli = AppGroup("forum", help="Manage the class forum.")


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def run_service(func, *args, **kwargs):
    """Call a service; a ServiceError becomes a one-line message and exit status 1."""
    try:
        return func(*args, **kwargs)
    except ServiceError as error:
        fail(error.message)


@forum_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "instructor", "trainee"]), required=True)
@click.option("--display-name", default=None, help="Name shown to others (default: USERNAME).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, role, display_name, password_stdin):
    """Create an account."""
    from forum.accounts import services

    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    user = run_service(services.create_user, None, username, password, role, display_name)
    click.echo(f"created user {user.username} ({user.role})")


@forum_cli.command("import-users")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--cohort", default=None, help="Enrol every imported account in this cohort.")
@click.option("--password-stdin", is_flag=True, help="One starting password for rows without one.")
def import_users(csv_file, cohort, password_stdin):
    """Create many accounts from a CSV: username, display name, role[, password]."""
    from forum.accounts import services
    from forum.cohorts.services import find_cohort

    target = None
    if cohort:
        target = find_cohort(cohort)
        if target is None:
            fail(f"no cohort {cohort}")
    default = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    created, passwords = run_service(
        services.import_users_csv, None, csv_file.read(1_000_001), target, default
    )
    click.echo(f"created {len(created)} users")
    for username, password in passwords.items():
        click.echo(f"{username}\t{password}")


@forum_cli.command("create-cohort")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["national", "special", "foreign", "course"]), required=True)
@click.option("--year", type=int, default=None)
@click.option("--language", type=click.Choice(["zh", "en"]), default="zh")
def create_cohort(slug, name, kind, year, language):
    """Create a cohort (a class)."""
    from forum.cohorts import services

    cohort = run_service(services.create_cohort, None, slug, name, kind, year, language)
    click.echo(f"created cohort {cohort.slug}")


@forum_cli.command("add-member")
@click.argument("cohort_slug")
@click.argument("username")
@click.option("--role", type=click.Choice(["instructor", "trainee"]), required=True)
def add_member(cohort_slug, username, role):
    """Enrol a user in a cohort (or change their role there)."""
    from forum.accounts.services import find_user
    from forum.cohorts import services

    cohort = services.find_cohort(cohort_slug)
    if cohort is None:
        fail(f"no cohort {cohort_slug}")
    user = find_user(username)
    if user is None:
        fail(f"no user {username}")
    run_service(services.add_membership, None, cohort, user, role)
    click.echo(f"{user.username} is now {role} in {cohort.slug}")


@forum_cli.command("seed-demo")
def seed_demo():
    """Fill an empty database with a believable demo and print the logins."""
    from forum.demo import seed

    logins = run_service(seed)
    if logins is None:
        click.echo("demo data already present; nothing changed")
        return
    click.echo("demo logins (username / password):")
    for username, password, role in logins:
        click.echo(f"  {username:<12} {password:<16} {role}")
