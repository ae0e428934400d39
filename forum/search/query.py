"""The search box language, parsed into a Whoosh query.

    城市 规划            both words (each word: title or body)
    "总体规划 实施"       a phrase (words in this order, next to each other)
    -棚改  -"旧城 改造"   exclude a word or phrase
    海绵 OR 韧性          either
    type:material course:"城市规划" year:2024 author:wang cohort:mayors-2026
                         filters (also given as separate form fields)

A Chinese word is matched as itself (ranked first) or as its dictionary parts, so
总体规划 also finds "总体的规划" lower down, and 规划 finds 城市总体规划.
"""

import re
from dataclasses import dataclass, field

from whoosh import matching
from whoosh import query as Q
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher

from forum.search.analyzer import english_words, is_cjk_word, subwords, words

FILTER_NAMES = ("type", "cohort", "course", "year", "author", "sort")
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
TITLE_BOOST = 2.0
WHOLE_WORD_BOOST = 1.5
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u300c": '"', "\u300d": '"', "\uff02": '"'})
_TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<name>[a-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))', re.I)


@dataclass
class Clause:
    text: str
    phrase: bool = False


@dataclass
class ParsedQuery:
    # Each group is a list of alternatives (joined by OR); all groups must match.
    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded

    def english_terms(self) -> list[str]:
        """Plain English words of the query, for "did you mean"."""
        found = []
        for group in self.groups:
            for clause in group:
                if not clause.phrase:
                    found.extend(english_words(clause.text))
        return found


def parse(text: str) -> ParsedQuery:
    """Split the box's text into required groups, exclusions and filters."""
    parsed = ParsedQuery()
    text = (text or "")[:MAX_QUERY_CHARS].translate(_QUOTES)
    pending_or = False
    for match in _TOKEN.finditer(text):
        name = (match.group("name") or "").lower()
        value = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        if name in FILTER_NAMES and not match.group("neg"):
            if value.strip():
                parsed.filters[name] = value.strip()
            continue
        if name:  # an unknown "name:" is plain text (e.g. a time 10:30)
            value = f"{match.group('name')}:{value}"
        if not match.group("neg") and match.group("phrase") is None and value in ("OR", "|"):
            pending_or = bool(parsed.groups)
            continue
        clause = Clause(value.strip(), phrase=match.group("phrase") is not None)
        if not clause.text:
            continue
        if match.group("neg"):
            parsed.excluded.append(clause)
        elif pending_or:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        pending_or = False
    return parsed


class Phrase(Q.Phrase):
    """Whoosh's phrase query, with the words' postings intersected rarest first.

    Whoosh pairs them in written order, so for "有 种种 原则 人" the postings of 有 and 人
    (thousands of documents each) were read almost whole to meet the few documents that
    种种 and 原则 share; rarest first, they are skipped block by block to those few. The
    matches, spans and scores are the same.
    """

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise Q.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        reader = searcher.reader()
        terms, sizes = [], []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, word) not in reader:
                return matching.NullMatcher()  # a word that is nowhere: no phrase either
            terms.append(Q.Term(fieldname, word))
            sizes.append(reader.doc_frequency(fieldname, word))
        matchers = [term.matcher(searcher, context) for term in terms]
        found = _RarestFirstPhraseMatcher(matchers, sizes, slop=self.slop)
        return matching.WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found


class _RarestFirstPhraseMatcher(SpanNear2.SpanNear2Matcher):
    def __init__(self, matchers, sizes, slop=1):
        # SpanNear2Matcher's span check walks ``ms`` in phrase order; only the tree that
        # finds candidate documents is built differently.
        self.ms, self.sizes, self.slop, self.ordered, self.mindist = matchers, sizes, slop, True, 1
        order = sorted(range(len(matchers)), key=sizes.__getitem__)
        candidates = matchers[order[0]]
        for i in order[1:]:
            candidates = matching.IntersectionMatcher(candidates, matchers[i])
        SpanWrappingMatcher.__init__(self, candidates)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], self.sizes, slop=self.slop)


def _term(term: str, boost: float = 1.0):
    return Q.Or([Q.Term("title", term, boost=boost * TITLE_BOOST), Q.Term("body", term, boost=boost)])


def _word_query(term: str):
    """One analysed word: itself, or (Chinese, 3+ characters) all of its dictionary parts."""
    parts = subwords(term) if is_cjk_word(term) else []
    if not parts:
        return _term(term)
    return Q.Or([_term(term, WHOLE_WORD_BOOST), Q.And([_term(part) for part in parts])])


def clause_query(clause: Clause):
    """The Whoosh query for one clause, or None when it has no searchable word."""
    terms = [term for term, _pos, _start, _end in words(clause.text)]
    if not terms:
        return None
    if clause.phrase and len(terms) > 1:
        return Q.Or([Phrase("title", terms, boost=TITLE_BOOST), Phrase("body", terms)])
    queries = [_word_query(term) for term in dict.fromkeys(terms)][:MAX_CLAUSES]
    return queries[0] if len(queries) == 1 else Q.And(queries)


def build(parsed: ParsedQuery):
    """The text part of the query (Every() when only filters or exclusions were given)."""
    required = []
    for group in parsed.groups[:MAX_CLAUSES]:
        alternatives = [q for q in (clause_query(c) for c in group) if q is not None]
        if alternatives:
            required.append(alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives))
    if parsed.groups and not required:
        return Q.NullQuery  # only punctuation: nothing to find
    positive = Q.And(required) if len(required) > 1 else (required[0] if required else Q.Every())
    excluded = [q for q in (clause_query(c) for c in parsed.excluded[:MAX_CLAUSES]) if q is not None]
    if excluded:
        return Q.AndNot(positive, Q.Or(excluded) if len(excluded) > 1 else excluded[0])
    return positive


def highlight_terms(parsed: ParsedQuery) -> dict[str, list[str]]:
    """The words to mark in snippets, by field: those of the required groups only."""
    found: dict[str, list[str]] = {"title": [], "body": []}
    for group in parsed.groups[:MAX_CLAUSES]:
        for clause in group:
            query = clause_query(clause)
            if query is None:
                continue
            for fieldname, text in query.all_terms():
                if fieldname in found and text not in found[fieldname]:
                    found[fieldname].append(text)
    return found
