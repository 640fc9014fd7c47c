"""Regular expressions compiled when first used, not when their module is imported.

Compiling is the largest cost of a cold start after pydantic's: Python's `re` parses and compiles a pattern in
Python code, ~0.4 ms a pattern on average and 1-2 ms for one with a CJK range (its compiler visits each of the
range's 21,000 code points). A module-level pattern is compiled on import whether or not the document needs
it: a 7-page PDF used 36 of the 84 that its imports compiled. `lazy()` defers the compile to the first use.
"""

from __future__ import annotations

import re
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
