"""Structures derived from the domain dictionary of `schemas/lexicon/` (fiscal terms, functional classes,
units, words), kept on the Config.

A leaf module: the figures stage reads labels and keys with it, and the checks read which keys may be
parts of which totals, without either importing the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import derived

if TYPE_CHECKING:
    from .config import Config


@derived
def declared_parts(config: Config) -> dict[str, frozenset[str]]:
    """Total key -> the fiscal keys that may be its parts, parts of parts included (公务用车运行维护费 is in
    "三公"经费); functional classes may be parts of any expenditure and are not listed."""
    terms = config.lexicon["fiscal_terms"]["term"]
    direct = {term["key"]: set(term["parts"]) for term in terms if term.get("parts")}

    def below(key: str) -> set[str]:
        return {part for child in direct.get(key, ()) for part in {child} | below(child)}

    return {key: frozenset(below(key)) for key in direct}
