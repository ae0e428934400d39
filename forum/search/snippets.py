"""Highlighted snippets from stored character offsets: no re-tokenizing.

The index keeps each word's start and end character (``chars=True``), so for the
ten hits of a page we read the matched terms' offsets from the postings and cut a
bounded window around the densest cluster of them.
"""

from bisect import bisect_right

from markupsafe import escape
from whoosh.reading import TermNotFound

SNIPPET_CHARS = 160
LEAD_CHARS = 40
MAX_SPANS = 400


def term_spans(searcher, docnums, fieldname: str, terms) -> dict[int, list[tuple[int, int, int]]]:
    """(start, end, term number) of the given terms in each document's field, in order.

    One postings reader per term walks the page's documents in index order, so a common
    term's postings are read once per page, not once per hit.
    """
    found: dict[int, list] = {docnum: [] for docnum in docnums}
    if not found:
        return found
    order = sorted(found)
    for number, term in enumerate(terms):
        try:
            matcher = searcher.postings(fieldname, term)
        except TermNotFound:  # a term absent from this field
            continue
        for docnum in order:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            spans = found[docnum]
            if matcher.id() == docnum and len(spans) <= MAX_SPANS:
                spans.extend((start, end, number) for _pos, start, end in matcher.value_as("characters"))
    for spans in found.values():
        spans.sort()
    return found


def best_window(spans, size: int = SNIPPET_CHARS) -> tuple[tuple[int, int], tuple[int, int]]:
    """The window of ``size`` characters with the most distinct matched terms (then the
    most matches), starting a little before its first match; and that score."""
    if not spans:
        return (0, size), (0, 0)
    best, best_score, j = spans[0][0], (0, 0), 0
    counts: dict[int, int] = {}
    for i, (start, _end, _term) in enumerate(spans):
        if j < i:
            j, counts = i, {}
        while j < len(spans) and spans[j][1] <= start + size - LEAD_CHARS:
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
            j += 1
        score = (len(counts), j - i)
        if score > best_score:
            best, best_score = start, score
        term = spans[i][2]
        if counts.get(term):
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
    begin = max(0, best - LEAD_CHARS)
    return (begin, begin + size), best_score


def render(text: str, spans, begin: int, end: int) -> str:
    """Escaped text[begin:end] with the spans inside marked; ellipses where cut."""
    end = min(end, len(text))
    begin = max(0, min(begin, end))
    parts, cursor = [], begin
    merged: list[list[int]] = []
    for start, stop, *_term in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    for start, stop in merged:
        parts.append(str(escape(text[cursor:start])))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    parts.append(str(escape(text[cursor:end])))
    html = "".join(parts).replace("\n", " ")
    if begin > 0:
        html = "…" + html
    if end < len(text):
        html += "…"
    return html


def best_page(spans, starts) -> tuple[int, list, tuple[int, int]]:
    """For a material's text: the page whose best window scores highest, that page's
    spans (offsets relative to the page) and the window."""
    if not starts:
        window, _score = best_window(spans)
        return 1, spans, window
    offsets = [start for start, _number in starts]
    by_page: dict[int, list] = {}
    for span in spans:
        index = max(0, bisect_right(offsets, span[0]) - 1)
        by_page.setdefault(index, []).append(span)
    if not by_page:
        return starts[0][1], [], (0, SNIPPET_CHARS)
    choice = None
    for index, page_spans in sorted(by_page.items()):
        base = offsets[index]
        local = [(s - base, e - base, t) for s, e, t in page_spans]
        window, score = best_window(local)
        if choice is None or score > choice[0]:
            choice = (score, starts[index][1], local, window)
    _score, number, local, window = choice
    return number, local, window
