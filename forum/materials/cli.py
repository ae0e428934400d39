"""`flask forum import-materials PATH... [--cohort SLUG] [--course NAME]`."""

import logging
from collections import Counter
from pathlib import Path

import click
from tqdm import tqdm

from forum import transaction
from forum.cli import fail, forum_cli
from forum.cohorts.services import find_cohort
from forum.errors import ServiceError
from forum.materials import services
from forum.search.worker import process_pending

log = logging.getLogger(__name__)


def _files(paths: list[Path]) -> list[Path]:
    """Files named, and files inside folders (recursively, hidden ones left out), in order."""
    found = []
    for path in paths:
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                relative = item.relative_to(path).parts
                if item.is_file() and not item.is_symlink() and not any(p.startswith(".") for p in relative):
                    found.append(item)
        else:
            found.append(path)
    return found


@forum_cli.command("import-materials")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cohort", default=None, help="Share every imported material with this cohort (slug).")
@click.option("--course", default=None, help="Put every imported material in this course.")
@click.option("--college-wide", is_flag=True, help="Share every imported material with the whole college.")
@click.option("--wait", is_flag=True, help="Extract and index here before returning (else the worker does).")
def import_materials(paths, cohort, course, college_wide, wait):
    """Add files or folders (recursively) to the library, stored once by content."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {missing[0]}")
    target = None
    if cohort:
        target = find_cohort(cohort)
        if target is None:
            fail(f"no cohort {cohort}")
    files = _files(list(paths))
    if not files:
        fail("no files to import")
    imported, duplicates, skipped = 0, 0, []
    for path in tqdm(files, desc="import", unit="file", disable=None):
        try:
            # One unit of work per file: a refused file leaves the others imported.
            with transaction.unit(), path.open("rb") as handle:
                _material, created = services.upload_material(
                    None, handle, path.name, cohort=target, course=course, college_wide=college_wide
                )
            if created:
                imported += 1
            else:
                duplicates += 1
        except ServiceError as error:
            skipped.append((path, error.message))
        except OSError as error:
            skipped.append((path, f"cannot read: {error.strerror or error}"))
    click.echo(f"imported {imported}, already in the library {duplicates}, skipped {len(skipped)}")
    for reason, count in Counter(reason for _p, reason in skipped).most_common():
        click.echo(f"  {count} skipped: {reason}")
    for path, reason in skipped:
        click.echo(f"  skipped {path}: {reason}")
    if wait:
        done = process_pending(timeout=60.0)
        click.echo(f"indexed ({done} jobs)")
    if skipped and not imported and not duplicates:
        raise SystemExit(1)
