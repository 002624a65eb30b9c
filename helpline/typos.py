"""Forgive slips in keywords without taking ordinary words for keywords.

One slip turns a short word into another English word (WALES: WAKES, WAGES, WALKS; MALE: MAKE,
MILE; MENS: MEND), so a keyword of four to six letters forgives only slips that keep its
letters: two neighbours swapped (WAELS), a letter doubled (WALLES), an inner letter dropped
(WALS). A longer keyword forgives any slip while the word stays SIMILARITY alike (optimal
string alignment, via rapidfuzz): one slip in 7 to 13 letters (SCOTLND, NOTHERN), two from 14.
Keywords of three letters or fewer (NI, MEN) are never guessed at: they need an exact match.

SIMILARITY is chosen by measurement over real keyword typos and ordinary words that must not
route (`python -m bench.typos`); tests/test_typos.py holds both lists.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator

MIN_LETTERS = 4
SIMILARITY = 0.85


def max_slips(length: int, similarity: float = SIMILARITY) -> int:
    """Slips a word of this length may have and stay `similarity` alike (7 letters: 1)."""
    return math.floor(length * (1 - similarity) + 1e-9)


def collapse(word: str) -> str:
    """The word with doubled letters single (WALLES -> WALES)."""
    return "".join(letter for letter, _ in itertools.groupby(word))


def is_slip(token: str, keyword: str, similarity: float = SIMILARITY) -> bool:
    """True if `token` is `keyword` typed with a forgivable slip (not the keyword itself)."""
    if token == keyword or len(token) < MIN_LETTERS or len(keyword) < MIN_LETTERS:
        return False
    if collapse(token) == collapse(keyword):
        return True
    if max_slips(len(keyword), similarity) >= 1:
        from rapidfuzz.distance import OSA  # imported on first use: most texts never get here

        return bool(OSA.normalized_similarity(token, keyword, score_cutoff=similarity))
    if len(token) == len(keyword):
        swaps = (
            keyword[:i] + keyword[i + 1] + keyword[i] + keyword[i + 2 :] for i in range(len(keyword) - 1)
        )
        return token in swaps
    if len(token) == len(keyword) - 1:
        return token in (keyword[:i] + keyword[i + 1 :] for i in range(1, len(keyword) - 1))
    return False


class TypoIndex:
    """Finds which keyword words a token may be a slip of, in time independent of how many.

    Candidates come from shared deletions (a slip leaves the two words one deletion apart on
    each side), and from shared doubled-letter-free forms; each is then checked by is_slip.
    """

    def __init__(self, words: Iterable[str], similarity: float = SIMILARITY) -> None:
        self.similarity = similarity
        self._words = frozenset(w for w in words if len(w) >= MIN_LETTERS and w.isalpha())
        self._by_deletion: dict[str, set[str]] = {}
        self._by_collapse: dict[str, set[str]] = {}
        for word in self._words:
            for variant in _deletions(word, max(1, max_slips(len(word), similarity))):
                self._by_deletion.setdefault(variant, set()).add(word)
            self._by_collapse.setdefault(collapse(word), set()).add(word)
        # No token longer than this is a slip of any keyword word, bar doubled letters.
        longest = max((len(w) for w in self._words), default=0)
        self._longest_slip = max(longest + 1, math.floor(longest / similarity))

    def corrections(self, token: str) -> frozenset[str]:
        """Keyword words `token` is a slip of; none for a keyword word itself."""
        if len(token) < MIN_LETTERS or not token.isalpha() or token in self._words:
            return frozenset()
        candidates = set(self._by_collapse.get(collapse(token), ()))
        if len(token) <= self._longest_slip:
            longest = math.floor(len(token) / self.similarity)
            for variant in _deletions(token, max(1, max_slips(longest, self.similarity))):
                candidates.update(self._by_deletion.get(variant, ()))
        return frozenset(w for w in candidates if is_slip(token, w, self.similarity))


def _deletions(word: str, most: int) -> Iterator[str]:
    """The word and every form of it with up to `most` letters removed."""
    seen = {word}
    frontier = {word}
    yield word
    for _ in range(most):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - seen
        seen |= frontier
        yield from frontier
