"""``flask --app wsgi forum purge-rooms`` (also ``flask --app wsgi rooms purge``): apply
the retention period to room messages."""

import logging

import click

from forum.cli import forum_cli
from forum.rooms import bp, services

log = logging.getLogger(__name__)
bp.cli.short_help = "Live rooms."


@forum_cli.command("purge-rooms")
def purge():
    """Delete room messages older than FORUM_ROOM_RETENTION_DAYS (kept forever when unset)."""
    removed = services.purge_expired()
    click.echo(f"{removed} room message(s) past the retention period deleted.")


bp.cli.add_command(purge, "purge")  # the older name, ``flask rooms purge``
