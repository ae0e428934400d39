"""Fail when a msgid of the code or templates has no Chinese translation.

Extracts the catalogue from the source as `make translations` does (babel.cfg, the same
keywords), then checks forum/translations/zh (the zh_CN catalogue): every msgid translated (plural forms
too), none fuzzy, placeholders kept. Prints one line per problem; exit status 1 if any.

    .venv/bin/python scripts/i18n_check.py [--locale zh|en]
"""

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def source_dir(path: str) -> bool:
    """Walk every folder but hidden ones and caches: babel's default also skips folders
    starting with ``_``, which would leave out ``templates/_macros`` and ``_partials``."""
    name = Path(path).name
    return not (name.startswith(".") or name == "__pycache__")


def extract(root: Path = ROOT) -> Catalog:
    """The catalogue as the source has it now (msgids with their locations)."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(root / "babel.cfg"))
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, directory_filter=source_dir
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def problems(locale: str = "zh", root: Path = ROOT) -> list[str]:
    """One line per msgid missing, empty, fuzzy or broken in the locale's catalogue."""
    po_path = root / "forum" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return [f"{po_path.relative_to(root)} is missing: run `make translations`"]
    with open(po_path, "rb") as handle:
        translated = read_po(handle, locale=locale)
    found = []
    for message in extract(root):
        if not message.id:
            continue
        where = ", ".join(f"{name}:{line}" for name, line in message.locations[:2])
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        entry = translated.get(message.id, message.context)
        strings = entry.string if entry is not None else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(strings):
            found.append(f"untranslated: {msgid!r} ({where})")
        elif entry.fuzzy:
            found.append(f"fuzzy: {msgid!r} ({where})")
    for message, errors in translated.check():
        for error in errors:
            found.append(f"broken: {message.id!r}: {error}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="zh")
    args = parser.parse_args()
    found = problems(args.locale)
    for line in found:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"{len(found)} problem(s) in the {args.locale} catalogue\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
