"""``flask --app wsgi rooms purge``: apply the retention period to room messages."""

import logging

import click

from forum import transaction
from forum.rooms import bp, services

log = logging.getLogger(__name__)
bp.cli.short_help = "Live rooms."


@bp.cli.command("purge")
@transaction.unit_of_work
def purge():
    """Delete room messages older than FORUM_ROOM_RETENTION_DAYS (kept forever when unset)."""
    removed = services.purge_expired()
    click.echo(f"{removed} room message(s) past the retention period deleted.")
