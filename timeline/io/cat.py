"""Documents as numbered tokens: CAT XML (the format of MEANTIME and of the
SemEval-2015 Task 4 corpora) and plain text cut into sentences and tokens.

A token is named by its document, its ``sentence`` number and its text, which
is how SemEval timelines name event mentions.  :func:`read_cat_document`
rebuilds the text from the tokens and keeps each token's character offsets.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import attrs

__all__ = [
    "CatDocument",
    "Token",
    "TokenIndex",
    "is_cat_file",
    "read_cat_document",
    "text_document",
]


@attrs.frozen
class Token:
    """One CAT token and where it landed in the rebuilt text."""

    t_id: str
    sentence: int
    number: int
    text: str
    start: int
    end: int


class TokenIndex:
    """Maps character offsets of a rebuilt text back to its tokens and sentences."""

    def __init__(self, tokens: Iterable[Token]) -> None:
        self.tokens: tuple[Token, ...] = tuple(sorted(tokens, key=lambda t: t.start))
        self._starts = [t.start for t in self.tokens]
        self._sentences: dict[int, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            self._sentences.setdefault(tok.sentence, []).append(i)

    def __len__(self) -> int:
        return len(self.tokens)

    def at(self, offset: int) -> Token | None:
        """The token covering character ``offset``, or None (a space, a newline)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.tokens[i].end:
            return self.tokens[i]
        return None

    def sentences(self) -> list[int]:
        """The sentence ids, in text order."""
        return sorted(self._sentences, key=lambda s: self._sentences[s][0])

    def sentence_tokens(self, sentence: int) -> tuple[Token, ...]:
        """The tokens of one sentence, in order (empty for an unknown id)."""
        return tuple(self.tokens[i] for i in self._sentences.get(sentence, ()))

    def next_token(self, token: Token) -> Token | None:
        """The token after ``token`` in the same sentence, or None."""
        i = bisect.bisect_left(self._starts, token.start) + 1
        if i < len(self.tokens) and self.tokens[i].sentence == token.sentence:
            return self.tokens[i]
        return None

    def previous_tokens(self, token: Token, n: int) -> list[Token]:
        """Up to ``n`` tokens before ``token`` in its sentence, nearest last."""
        i = bisect.bisect_left(self._starts, token.start)
        out = [t for t in self.tokens[max(0, i - n) : i] if t.sentence == token.sentence]
        return out


class CatDocument(NamedTuple):
    """A document ready for the pipeline: ``doc_id, text, dct, tokens``."""

    doc_id: str
    text: str
    dct: str
    tokens: TokenIndex


# Tokens written without a space before them, and after which no space follows.
_NO_SPACE_BEFORE = frozenset(", . ; : ! ? ) ] } 's 'S ' n't %".split())


_NO_SPACE_AFTER = frozenset("( [ { $".split())


def _join(words: Sequence[tuple[str, int, int, str]], detokenize: bool) -> tuple[str, list[Token]]:
    """Rebuild a text from ``(t_id, sentence, number, word)`` rows: spaces between
    tokens, a newline between sentences; ``detokenize`` drops the space before
    punctuation and clitics (``Apple's``, ``2010,``)."""
    parts: list[str] = []
    tokens: list[Token] = []
    offset = 0
    previous: tuple[int, str] | None = None
    for t_id, sentence, number, word in words:
        if previous is None:
            sep = ""
        elif previous[0] != sentence:
            sep = "\n"
        elif detokenize and (word in _NO_SPACE_BEFORE or previous[1] in _NO_SPACE_AFTER):
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        offset += len(sep)
        tokens.append(Token(t_id, sentence, number, word, offset, offset + len(word)))
        parts.append(word)
        offset += len(word)
        previous = (sentence, word)
    return "".join(parts), tokens


def read_cat_document(
    path: str | Path, *, detokenize: bool = False, require_dct: bool = True
) -> CatDocument:
    """Read a CAT XML file of the task: ``<token t_id sentence number>`` elements
    and a ``TIMEX3`` markable with ``functionInDocument="CREATION_TIME"``.

    The text joins tokens with single spaces and sentences with a newline
    (``detokenize`` glues punctuation to the word before it).  The document
    id is the root's ``doc_id`` attribute, else the file name up to its first
    ``-`` or ``_``.  Raises :class:`ValueError` naming the file when it is not
    well-formed XML or (with ``require_dct``, the default) has no creation
    time; without it such a document gets an empty ``dct``.
    """
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ValueError(f"{p}: cannot read CAT XML: {exc}") from None
    rows: list[tuple[str, int, int, str]] = []
    for i, tok in enumerate(root.iter("token")):
        try:
            sentence = int(tok.get("sentence", "0"))
            number = int(tok.get("number", str(i)))
        except ValueError:
            raise ValueError(f"{p}: token {tok.get('t_id')!r} has a non-numeric sentence") from None
        word = "".join(tok.itertext()).strip()
        if word:
            rows.append((tok.get("t_id", str(i + 1)), sentence, number, word))
    dct = next(
        (
            (m.get("value") or "").strip()
            for m in root.iter("TIMEX3")
            if (m.get("functionInDocument") or "").upper() == "CREATION_TIME"
        ),
        "",
    )
    if not dct and require_dct:
        raise ValueError(f'{p}: no TIMEX3 with functionInDocument="CREATION_TIME"')
    doc_id = root.get("doc_id") or re.split(r"[-_]", p.stem, maxsplit=1)[0]
    text, tokens = _join(rows, detokenize)
    return CatDocument(doc_id, text, dct, TokenIndex(tokens))


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n\s*")


def text_document(doc_id: str, text: str, dct: str) -> CatDocument:
    """A plain-text document cut into sentences (line breaks, sentence ends)
    and tokens (words, punctuation), numbered from 0 as in CAT files."""
    rows: list[tuple[str, int, int, str]] = []
    pos = 0
    cuts = [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    sentence = 0
    number = 0
    for cut in cuts:
        words = [m.group() for m in _TOKEN.finditer(text, pos, cut)]
        for w in words:
            rows.append((str(number + 1), sentence, number, w))
            number += 1
        if words:
            sentence += 1
        pos = cut
    joined, tokens = _join(rows, detokenize=True)
    return CatDocument(doc_id, joined, dct, TokenIndex(tokens))


def is_cat_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048).decode("utf-8", "replace")
    except OSError:
        return False
    return re.search(r"<Document\b", head) is not None and "<token" in head
