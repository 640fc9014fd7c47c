"""One department across documents: its reports of several years (and formats) share a `department_id`
although the name is printed differently ("益阳市赫山区商务局", "赫山区商务局", "区商务局").

A printed name is split into its region (the places heading it) and its core (商务局), the core
normalised by the rules of schemas/indicators/departments.toml (人民政府 -> 政府, 委员会 -> 委,
abbreviations). A name without its full region takes it from the document's text ("益阳市赫山区财政局"
there says the 赫山区 is 益阳市's). Documents then join a department when their cores agree (exactly or by
rapidfuzz ratio) and their regions are compatible; a document that could join more than one stays
separate and is listed as ambiguous. A user's CSV (department,region,department_id) pins what the names
cannot decide.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from ..cjk import to_halfwidth
from ..config import Config, derived
from ..errors import ReadError
from ..patterns import lazy

Match = Literal["pinned", "name", "similar", "ambiguous", "unknown"]


class _Replacement(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used
    long: str
    short: str


class NameRules(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used

    place_suffixes: list[str] = Field(min_length=1)
    prefecture_suffixes: list[str] = Field(min_length=1)
    county_suffixes: list[str] = Field(min_length=1)
    not_places: list[str]
    not_place_starts: list[str]
    not_level_words: list[str]
    party_prefixes: list[str]
    min_similarity: float = Field(ge=0, le=100)
    min_core_chars: int = Field(ge=1)
    equivalent_suffixes: list[list[str]] = Field(default_factory=list)
    normalise: list[_Replacement]
    abbreviations: dict[str, str]


@dataclass(frozen=True)
class DepartmentName:
    printed: str
    places: tuple[str, ...]  # the region heading the name: ("益阳市", "赫山区")
    level: str | None  # a bare level word heading the name instead: "区" of "区商务局"
    core: str  # normalised: "商务局", "政府办", "委组织部"


_BRACKETED = lazy(r"[（(][^）)]*[）)]")


def parse_name(config: Config, printed: str, rules: NameRules | None = None) -> DepartmentName:
    """Split a printed department name into region and normalised core."""
    rules = rules or config.name_rules
    text = _BRACKETED.sub("", "".join(to_halfwidth(printed).split()))
    for prefix in rules.party_prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    places: list[str] = []
    while place := _leading_place(text, rules):
        places.append(place)
        text = text[len(place) :]
    level = None
    if not places and text[:1] in rules.place_suffixes and not text.startswith(tuple(rules.not_level_words)):
        level, text = text[0], text[1:]
    return DepartmentName(printed, tuple(places), level, normalise_core(config, text, rules))


def _leading_place(text: str, rules: NameRules) -> str | None:
    """The place a name starts with (1-4 characters and a place suffix), if it starts with one."""
    for end in range(2, 6):
        candidate = text[:end]
        if len(candidate) < end or candidate[-1] not in rules.place_suffixes:
            continue
        if candidate in rules.not_places or candidate[0] in rules.not_place_starts:
            return None
        if len(text) == end:  # the whole name is a place: nothing is left to be the department
            return None
        return candidate
    return None


def normalise_core(config: Config, core: str, rules: NameRules | None = None) -> str:
    rules = rules or config.name_rules
    for replacement in rules.normalise:
        core = core.replace(replacement.long, replacement.short)
    return rules.abbreviations.get(core, core)


@derived
def _region_in_text_pattern(config: Config) -> re.Pattern[str]:
    rules = config.name_rules
    prefecture, county = "".join(rules.prefecture_suffixes), "".join(rules.county_suffixes)
    return re.compile(rf"([\u4e00-\u9fff]{{2}}[{prefecture}])([\u4e00-\u9fff]{{2}}[{county}])")


def region_in_text(config: Config, name: DepartmentName, texts: Iterable[str]) -> tuple[str, ...]:
    """The region of a document: the name's own places, completed by the prefecture-county pair the text
    names most often that ends with them (or, for a name without places, that fits its level word)."""
    rules = config.name_rules
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for match in _region_in_text_pattern(config).finditer(text):
            prefecture, county = match.groups()
            if any(p in rules.not_places or p[0] in rules.not_place_starts for p in (prefecture, county)):
                continue
            pairs[(prefecture, county)] += 1
    if name.places:
        fitting = [(pair, n) for pair, n in pairs.items() if pair[1] == name.places[0] and len(name.places) == 1]
    elif name.level:
        fitting = [(pair, n) for pair, n in pairs.items() if pair[1].endswith(name.level)]
    else:
        fitting = list(pairs.items())
    if not fitting:
        return name.places
    best = max(fitting, key=lambda item: item[1])[0]
    return best if not name.places else (best[0], *name.places)


def split_region(config: Config, region: str | None) -> tuple[str, ...]:
    """A stored region ("益阳市赫山区") back into its places."""
    rules, places, text = config.name_rules, [], region or ""
    while text:
        place = next((text[:end] for end in range(2, 6) if text[end - 1 : end] in rules.place_suffixes), None)
        if place is None:
            return (region,) if region else ()
        places.append(place)
        text = text[len(place) :]
    return tuple(places)


def regions_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Unknown fits anything; else one region's places end the other's (赫山区 fits 益阳市赫山区)."""
    if not a or not b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return longer[len(longer) - len(shorter) :] == shorter


# ---------------------------------------------------------------- linking


@dataclass(frozen=True)
class Pin:
    department: str
    region: str | None
    department_id: str


def read_pins(path: str | Path) -> list[Pin]:
    """The user's pinned mapping: a CSV with columns department, department_id and optionally region."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise ReadError(path, f"cannot read department mapping ({error.strerror or type(error).__name__})") from error
    except UnicodeDecodeError as error:
        raise ReadError(path, "department mapping is not UTF-8 text") from error
    pins = []
    for number, row in enumerate(rows, start=2):
        department, department_id = (row.get("department") or "").strip(), (row.get("department_id") or "").strip()
        if not department or not department_id:
            raise ReadError(path, f"line {number}: a mapping needs department and department_id")
        pins.append(Pin(department, (row.get("region") or "").strip() or None, department_id))
    return pins


@dataclass(frozen=True)
class Member:
    """What linking knows of a document."""

    doc_id: str
    department: str | None  # as printed
    region: tuple[str, ...]  # from the name and the text


@dataclass(frozen=True)
class Link:
    department_id: str | None
    region: str | None
    match: Match
    candidates: tuple[str, ...] = ()  # for an ambiguous document: the departments it could be


@dataclass
class _Department:
    id: str
    region: tuple[str, ...]
    core: str
    level: str | None


@dataclass
class Linking:
    links: dict[str, Link] = field(default_factory=dict)  # by doc_id

    def ambiguous(self) -> dict[str, Link]:
        return {doc_id: link for doc_id, link in self.links.items() if link.match == "ambiguous"}


def link_departments(config: Config, members: list[Member], pins: Iterable[Pin] = ()) -> Linking:
    """A department_id for every document: pinned, else by name and region; see the module docstring."""
    rules = config.name_rules
    linking = Linking()
    known = _Departments()
    parsed = [(m, parse_name(config, m.department)) for m in members if m.department]
    pin_list = list(pins)
    for member in members:
        if not member.department:
            linking.links[member.doc_id] = Link(None, "".join(member.region) or None, "unknown")
    # the most specific names first: they found the departments the shorter names then join
    parsed.sort(
        key=lambda item: (-len(item[0].region), item[1].level is None, item[0].department or "", item[0].doc_id)
    )
    for member, name in parsed:
        region_text = "".join(member.region) or None
        pin = next((p for p in pin_list if p.department == member.department and p.region in (None, region_text)), None)
        if pin:
            if pin.department_id not in known.ids:
                known.add(_Department(pin.department_id, member.region, name.core, name.level))
            linking.links[member.doc_id] = Link(pin.department_id, region_text, "pinned")
            continue
        if len(name.core) < rules.min_core_chars:
            linking.links[member.doc_id] = Link(None, region_text, "unknown")
            continue
        fits = [
            (d, how)
            for core, how in known.matching_cores(name.core, rules).items()
            for d in known.by_core[core]
            if _region_fits(member.region, name.level, d)
        ]
        if len(fits) == 1:
            department, how = fits[0]
            if len(department.region) < len(member.region):
                department.region = member.region
            linking.links[member.doc_id] = Link(department.id, "".join(department.region) or region_text, how)
            continue
        new = _Department(known.new_id(member.region, name.core), member.region, name.core, name.level)
        known.add(new)
        candidates = tuple(d.id for d, _ in fits)
        linking.links[member.doc_id] = Link(new.id, region_text, "ambiguous" if candidates else "name", candidates)
    return linking


def _region_fits(region: tuple[str, ...], level: str | None, department: _Department) -> bool:
    if not region and level and department.region:
        return department.region[-1].endswith(level)
    return regions_compatible(region, department.region)


@dataclass
class _Departments:
    """The departments found so far, by normalised core: a name is compared with each distinct core once
    (rapidfuzz's process.extract), not with every department."""

    by_core: dict[str, list[_Department]] = field(default_factory=lambda: defaultdict(list))
    ids: set[str] = field(default_factory=set)

    def add(self, department: _Department) -> None:
        self.by_core[department.core].append(department)
        self.ids.add(department.id)

    def matching_cores(self, core: str, rules: NameRules) -> dict[str, Literal["name", "similar"]]:
        """Known cores equal to `core` ("name"), or near it by ratio or an equivalent unit word ("similar")."""
        found: dict[str, Literal["name", "similar"]] = {core: "name"} if core in self.by_core else {}
        for other, _, _ in process.extract(
            core, list(self.by_core), scorer=fuzz.ratio, score_cutoff=rules.min_similarity, limit=None
        ):
            found.setdefault(other, "similar")
        for group in rules.equivalent_suffixes:
            for suffix in (s for s in group if core.endswith(s)):
                for other in (core[: -len(suffix)] + s for s in group if s != suffix):
                    if other in self.by_core:
                        found.setdefault(other, "similar")
        return found

    def new_id(self, region: tuple[str, ...], core: str) -> str:
        base = "".join(region) + core
        if base not in self.ids:
            return base
        n = 2
        while f"{base}#{n}" in self.ids:
            n += 1
        return f"{base}#{n}"
