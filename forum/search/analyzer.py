"""Bilingual text analysis: NFKC, traditional to simplified, jieba words, English stems.

Positions are WORD positions (the n-th word of the text), offsets are characters in
the ORIGINAL text, so phrase queries work and snippets need no re-tokenizing. In
index mode the shorter dictionary words inside a long Chinese word (jieba's search
mode: 总体, 规划 inside 总体规划) are emitted at the long word's position, so 规划
finds 城市总体规划 while a phrase still lines up word by word.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter2 import stem

MAX_WORD_CHARS = 40
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUNS = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_CJK_WORD = re.compile(rf"[{_CJK}]+")
_ASCII_WORD = re.compile(r"^[a-z]+$")
_jieba_lock = threading.Lock()
_jieba = None
_t2s_table: dict[int, str] | None = None


def _segmenter():
    """jieba's default tokenizer, loaded once per process (about a second)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba  # about a second to load: once per process, on first use

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba.dt
    return _jieba


def _t2s() -> dict[int, str]:
    """Character-level traditional-to-simplified table from OpenCC's own data (t2s).

    One character for one character keeps offsets exact; OpenCC's phrase table only
    picks variants, which changes nothing for matching since both sides go through it.
    """
    global _t2s_table
    if _t2s_table is None:
        import opencc  # its tables load on first use, once per process

        table = {}
        path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            source, _tab, targets = line.partition("\t")
            target = targets.split(" ")[0] if targets else ""
            if len(source) == 1 and len(target) == 1 and source != target:
                table[ord(source)] = target
        _t2s_table = table
    return _t2s_table


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_t2s()).lower()


def normalize(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when lengths differ, a map from folded to original offsets."""
    folded = _fold(text)
    if len(folded) == len(text):
        return folded, None
    parts, offsets = [], []
    for index, char in enumerate(text):
        piece = _fold(char)
        parts.append(piece)
        offsets.extend([index] * len(piece))
    offsets.append(len(text))
    return "".join(parts), offsets


def warm_up() -> None:
    """Load the dictionary and tables now (about a second), not inside the first request."""
    _segmenter()
    _t2s()


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    return stem(word) if _ASCII_WORD.match(word) else word


def subwords(word: str) -> list[str]:
    """Dictionary words of two and three characters inside a longer Chinese word."""
    if len(word) <= 2:
        return []
    freq = _segmenter().FREQ
    found = []
    for size in (2, 3):
        if len(word) <= size:
            break
        for i in range(len(word) - size + 1):
            gram = word[i : i + size]
            if freq.get(gram) and gram not in found:
                found.append(gram)
    return found


def is_cjk_word(word: str) -> bool:
    return _CJK_WORD.fullmatch(word) is not None


def words(text: str, with_subwords: bool = False):
    """Yield ``(term, position, startchar, endchar)`` for a text (offsets in ``text``)."""
    folded, offsets = normalize(text)
    cut = _segmenter().cut if _RUNS.search(folded) else None
    position = 0
    for match in _RUNS.finditer(folded):
        start = match.start()
        if match.lastgroup == "word":
            word = match.group()
            if len(word) <= MAX_WORD_CHARS:
                yield _mapped(stem_word(word), position, start, match.end(), offsets)
                position += 1
            continue
        for piece in cut(match.group(), HMM=True):
            end = start + len(piece)
            yield _mapped(piece, position, start, end, offsets)
            if with_subwords and len(piece) > 2:
                for sub in subwords(piece):
                    at = start + piece.index(sub)
                    yield _mapped(sub, position, at, at + len(sub), offsets)
            position += 1
            start = end


def _mapped(term, position, start, end, offsets):
    if offsets is None:
        return term, position, start, end
    return term, position, offsets[start], offsets[end - 1] + 1


def english_words(text: str):
    """Unstemmed English words (3+ letters), for "did you mean"."""
    folded = _fold(text)
    for match in _RUNS.finditer(folded):
        word = match.group("word")
        if word and 3 <= len(word) <= MAX_WORD_CHARS and _ASCII_WORD.match(word):
            yield word


class ForumTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`words`; sub-words only when indexing."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for term, position, startchar, endchar in words(value, with_subwords=mode == "index"):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + startchar
                token.endchar = start_char + endchar
            yield token


class SpellingTokenizer(Tokenizer):
    """Unstemmed English words, the vocabulary "did you mean" draws from."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for index, word in enumerate(english_words(value)):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + index
            yield token


def forum_analyzer():
    return ForumTokenizer()


def spelling_analyzer():
    return SpellingTokenizer()
