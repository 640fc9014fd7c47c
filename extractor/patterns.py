"""Regular expressions compiled when first used, not when their module is imported.

Compiling is the largest cost of a cold start after pydantic's: Python's `re` parses and compiles a pattern in
Python code, ~0.4 ms a pattern on average and 1-2 ms for one with a CJK range (its compiler visits each of the
range's 21,000 code points). A module-level pattern is compiled on import whether or not the document needs
it: a 7-page PDF used 36 of the 84 that its imports compiled. `lazy()` defers the compile to the first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

# what a module-level pattern is used for: filled in on first use, so that later uses find them on the instance
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")
_ATTRIBUTES = ("pattern", "flags", "groups", "groupindex")


class _LazyPattern:
    """Stands for `re.compile(source, flags)` until first used; then compiles it once and keeps its bound methods
    and attributes as its own, so that every later use is the compiled pattern's own method, without a detour."""

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only reached for what the instance does not hold yet
        if name not in _METHODS and name not in _ATTRIBUTES:
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        for attribute in _METHODS + _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source!r}, {self._flags!r})"


class _GatedPattern:
    """A lazy pattern every match of which holds a word of each of some lists: searched for in a text that lacks
    one list's words, it answers no match at once, not compiling the pattern, or leaves the text to a simpler
    pattern (`otherwise`) whose matches are the same there. The whole text is looked at, once for a run of
    searches in it: a look at the stretch after each figure of a long paragraph would be quadratic."""

    def __init__(self, word_lists: tuple[tuple[str, ...], ...], source: str, flags: int, otherwise: str | None) -> None:
        self._word_lists = word_lists
        self._pattern = _LazyPattern(source, flags)
        self._otherwise = _LazyPattern(otherwise, flags) if otherwise is not None else None
        # the text looked at last and whether it holds the words, as one tuple: a thread reading it while another
        # replaces it sees one text's answer, never one text with another's answer
        self._last: tuple[str | None, bool] = (None, False)

    def _for(self, string: str) -> _LazyPattern | None:
        """The pattern that answers for `string`, None where nothing can match."""
        text, holds = self._last
        if string is not text:  # asked for every paragraph of a document: the words looked for in C (map)
            holds = all(any(map(string.__contains__, words)) for words in self._word_lists)
            self._last = (string, holds)
        return self._pattern if holds else self._otherwise

    def search(self, string: str, *span: int) -> re.Match[str] | None:
        pattern = self._for(string)
        return pattern.search(string, *span) if pattern else None

    def match(self, string: str, *span: int) -> re.Match[str] | None:
        pattern = self._for(string)
        return pattern.match(string, *span) if pattern else None

    def fullmatch(self, string: str, *span: int) -> re.Match[str] | None:
        pattern = self._for(string)
        return pattern.fullmatch(string, *span) if pattern else None

    def finditer(self, string: str, *span: int) -> Iterator[re.Match[str]]:
        pattern = self._for(string)
        return pattern.finditer(string, *span) if pattern else iter(())

    def findall(self, string: str, *span: int) -> list[Any]:
        pattern = self._for(string)
        return pattern.findall(string, *span) if pattern else []

    def __getattr__(self, name: str) -> Any:  # the pattern's other methods and attributes, ungated
        return getattr(self._pattern, name)

    def __repr__(self) -> str:
        return f"gated_all({self._word_lists!r}, {self._pattern!r})"


def gated(words: Iterable[str], source: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`lazy(source, flags)` for a pattern that every match passes through one of `words` in (an alternation of
    them outside any optional part, built from the same list): `search`, `match`, `fullmatch`, `finditer` and
    `findall` on a text holding none of them answer no match without compiling the pattern. Several patterns of
    the checks read a clause shape most documents never print ("较上年…减少…", "节约资金…"), each a long pattern
    costing 1-2 ms to compile. Without words (or with an empty one) the pattern is not gated."""
    return gated_all([words], source, flags)


def gated_all(
    word_lists: Iterable[Iterable[str]], source: str, flags: int | re.RegexFlag = 0, otherwise: str | None = None
) -> re.Pattern[str]:
    """`gated` for a pattern every match of which holds a word of each list: tried only on a text holding one word
    of every list; on another, `otherwise` (a pattern that matches just what `source` does on such a text: `source`
    without its branches that need the words) answers when given. A list without words (or with an empty one)
    gates nothing."""
    gates = tuple(words for words in map(tuple, word_lists) if words and "" not in words)
    if not gates:
        return lazy(source, flags)
    return cast(re.Pattern[str], _GatedPattern(gates, source, int(flags), otherwise))


def longest_first(words: Iterable[str]) -> str:
    """A regex alternation of `words` that prefers the longest: 超过 before 超, 人次 before 人."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def any_word(words: Iterable[str]) -> re.Pattern[str]:
    """The alternation of `words` (`longest_first`), gated on them: compiled for the first text holding one."""
    words = tuple(words)
    return gated(words, longest_first(words))


def lazy(source: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, compiled on first use. It answers the methods and attributes a module uses
    (`search`, `sub`, `pattern`, ...), not `isinstance(_, re.Pattern)` nor `re.sub(it, ...)`: those need
    `re.compile`."""
    return cast(re.Pattern[str], _LazyPattern(source, int(flags)))


# A class of punctuation marks outside Latin-1 ("[。！？；]") compiles to a 64 KB bitmap folded into 256 blocks in
# Python code, ~0.3 ms a class: more than finding the marks of a paragraph with `str.find`. These two answer what
# such a class's `finditer` and `search` would, without compiling it.


def offsets_of(text: str, characters: str) -> list[int]:
    """Where any of `characters` stands in `text`, in order: the starts of `re.finditer("[characters]", text)`."""
    found = []
    for character in set(characters):
        offset = text.find(character)
        while offset >= 0:
            found.append(offset)
            offset = text.find(character, offset + 1)
    found.sort()
    return found


def first_of(text: str, characters: str) -> int:
    """Where the first of `characters` stands in `text`, -1 where none does: `re.search("[characters]", text)`."""
    return min((offset for character in characters if (offset := text.find(character)) >= 0), default=-1)
