"""The index adapter: open or create the one index, hand out its one writer, and
share one searcher per process that is refreshed when the index changes.

Readers never block: Whoosh readers see the last committed generation. Writes go
through the worker (forum/search/worker.py) only; a second writer gets
:class:`IndexBusy` at once instead of waiting.
"""

import logging
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.index import LockError

from forum.search.schema import INDEX_NAME, SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
_OLD_FILES = re.compile(r"^_?forum_v(\d+)_")
FILTER_CACHE_SIZE = 64


class IndexBusy(Exception):
    """Another process or thread holds the index writer."""


class SearchIndex:
    """One index directory, with the searcher this process shares for it."""

    def __init__(self, directory: str):
        self.directory = Path(directory)
        self._lock = threading.RLock()
        self._index = None
        self._searcher = None
        self.filter_cache: OrderedDict = OrderedDict()

    # --- opening -------------------------------------------------------------------

    def exists(self) -> bool:
        return self.directory.is_dir() and whoosh_index.exists_in(str(self.directory), INDEX_NAME)

    def open(self, create: bool = False):
        """The Whoosh index (created empty when missing and ``create``), or None."""
        with self._lock:
            if self._index is None:
                if self.exists():
                    self._index = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
                elif create:
                    self.directory.mkdir(parents=True, exist_ok=True)
                    self._index = whoosh_index.create_in(str(self.directory), build_schema(), INDEX_NAME)
                    self._remove_old_versions()
            return self._index

    def _remove_old_versions(self) -> None:
        for path in self.directory.iterdir():
            match = _OLD_FILES.match(path.name)
            if match and int(match.group(1)) != SCHEMA_VERSION:
                path.unlink(missing_ok=True)

    def doc_count(self) -> int:
        with self.searching() as searcher:
            return searcher.doc_count() if searcher else 0

    # --- writing -------------------------------------------------------------------

    def writer(self, timeout: float = 0.0):
        """The index's only writer; raises IndexBusy when someone else holds it."""
        ix = self.open(create=True)
        try:
            # Not compound: Whoosh copies every part of a compound segment into memory
            # when reading it (64 MB per reader at 20,000 documents); plain files are read
            # in place.
            return ix.writer(timeout=timeout, compound=False)
        except LockError:
            raise IndexBusy(str(self.directory)) from None

    # --- reading -------------------------------------------------------------------

    @contextmanager
    def searching(self):
        """The process's shared searcher, refreshed if the index moved on (None if no index).

        Searches are serialized on it: they are CPU-bound, so on one process they would
        queue for the interpreter anyway, and one searcher keeps memory bounded.
        """
        with self._lock:
            searcher = self._searcher
            if searcher is None:
                ix = self.open()
                if ix is not None:
                    searcher = ix.searcher()
                    self.filter_cache.clear()
            elif not searcher.up_to_date():
                # A new searcher, not refresh(): refresh() reuses segment readers whose
                # deletions changed since, so an updated document would show twice.
                searcher.close()
                searcher = self.open().searcher()
                self.filter_cache.clear()
            self._searcher = searcher
            yield searcher

    def cached_filter(self, searcher, key, build):
        """A permission docset for this searcher generation, built once (LRU)."""
        cache = self.filter_cache
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = build(searcher)
        cache[key] = value
        if len(cache) > FILTER_CACHE_SIZE:
            cache.popitem(last=False)
        return value

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._index = None
            self.filter_cache.clear()


# Bounded: a test run creates many apps, each with its own index directory.
MAX_OPEN_INDEXES = 8
_indexes: OrderedDict[str, SearchIndex] = OrderedDict()
_registry_lock = threading.Lock()


def get_index(directory: str | None = None) -> SearchIndex:
    """The SearchIndex for a directory (default: the app's FORUM_SEARCH_INDEX_DIR)."""
    directory = str(Path(directory or current_app.config["FORUM_SEARCH_INDEX_DIR"]).resolve())
    with _registry_lock:
        found = _indexes.get(directory)
        if found is None:
            found = _indexes[directory] = SearchIndex(directory)
            while len(_indexes) > MAX_OPEN_INDEXES:
                _indexes.popitem(last=False)[1].close()
        _indexes.move_to_end(directory)
        return found


def forget_index(directory: str) -> None:
    """Drop a cached index object (after its files were replaced or removed)."""
    with _registry_lock:
        found = _indexes.pop(str(Path(directory).resolve()), None)
    if found is not None:
        found.close()
