"""One typed, frozen configuration: everything the pipeline reads from a `schemas/` folder, validated once.

`Config.load(folder)` reads every data file of the folder — rules and each check's settings, report
templates, table layouts, the lexicon, document kinds, standard indicators, the database's tables — and
validates each against its pydantic model (`datafiles.py`, unknown keys rejected), so a misspelled key fails
there, naming its file and key (`DataError`). The CLI, the batch workers, the review app and the tests load
one and pass it down: pipeline -> segment -> extract -> checks. Nothing is read from module globals, so two
rule sets (the shipped one and a user's copy given with `--schemas`) run side by side in one process.

The parsed data is deeply read-only (`freeze`: every dict a `ReadOnlyDict`, every list a tuple), so that no
check can change what every other check and document shares.

A Config validated once is kept per machine (`machine_cache`), keyed by the content of every file of the
folder, jixiao's version and the code of the models that validate it: a later process with the same files
reads it back instead of parsing and validating them again; an edited file (or model) is a new key, and a
cache file that cannot be read is ignored and rewritten.

Structures derived from the data (compiled patterns, template matchers, the jieba tokenizer) are built on
first use and kept on the Config itself (`derived`), never in a module-level cache; they are dropped when a
Config is pickled (to a batch worker) and rebuilt there.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__, machine_cache
from .errors import DataError
from .paths import SCHEMAS, check_data_folder

if TYPE_CHECKING:
    from .checks.engine import Rule
    from .figures.fiscal_layouts import FiscalLayouts
    from .kinds import KindRules
    from .panel.departments import NameRules
    from .panel.indicators import Indicator
    from .sections.templates import Template

T = TypeVar("T")


class ReadOnlyDict(dict):
    """A dict of configuration data that refuses to be changed (it is shared by every check and document). Still
    a dict: it reads, serialises to JSON and pickles as one; `dict(d)` is a changeable copy."""

    __slots__ = ()

    def _refuse(self, *_: Any, **__: Any) -> Any:
        raise TypeError("configuration data is read-only: make a copy (dict(...)) to change it")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadOnlyDict, (dict(self),))


def freeze(value: Any) -> Any:
    """`value` made read-only all the way down: dicts become ReadOnlyDicts, lists tuples."""
    if isinstance(value, dict):
        return ReadOnlyDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


@dataclass(frozen=True, eq=False)
class Config:
    """The validated content of one schemas/ folder. Frozen: assigning an attribute raises, and the parsed files
    it holds are read-only (`freeze`) down to their innermost lists."""

    schemas: Path
    rules: dict[str, Rule]  # by code, from every rules/*.toml
    settings: dict[str, dict[str, Any]]  # rules/<name>.toml without its [[rule]]s: a check's words and tolerances
    lexicon: dict[str, dict[str, Any]]  # lexicon/<name>.toml
    template_data: tuple[dict[str, Any], ...]  # templates/*.json, best default first (see `templates`)
    tables: dict[str, dict[str, Any]]  # tables/<name>.json: the self-evaluation and target-form layouts
    fiscal_layouts: FiscalLayouts  # tables/fiscal.toml: the 部门决算/预算 tables
    kinds: KindRules  # kinds.toml
    name_rules: NameRules  # indicators/departments.toml
    indicators: tuple[Indicator, ...]  # indicators/standard.toml
    store: dict[str, dict[str, Any]]  # store/tables.toml
    jieba_words: str  # lexicon/jieba_words.txt
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name in ("rules", "settings", "lexicon", "template_data", "tables", "store"):
            object.__setattr__(self, name, freeze(getattr(self, name)))

    @classmethod
    def load(cls, schemas: Path = SCHEMAS) -> Config:
        """Every data file of `schemas`, validated; DataError names the first bad file and key. The same files
        validated before on this machine are read back from the cache instead."""
        schemas = Path(schemas)
        check_data_folder(schemas)
        key = _cache_key(schemas)
        name = f"config-{key}.pickle"
        cached = machine_cache.read(name) if key else None
        if cached is not None:
            try:
                config = pickle.loads(cached)
            except Exception:  # noqa: BLE001 - a corrupt or outdated cache file is a miss
                config = None
            if isinstance(config, cls):
                object.__setattr__(config, "schemas", schemas)  # the same files may live in another folder
                return config
        config = cls.validate(schemas)
        if key and _cache_key(schemas) == key:  # no file changed while it was validated
            try:
                machine_cache.write(name, pickle.dumps(config, protocol=pickle.HIGHEST_PROTOCOL))
            except (pickle.PicklingError, TypeError, AttributeError):
                pass  # a Config that cannot be pickled is validated each time (a cache is an optimisation)
        return config

    @classmethod
    def validate(cls, schemas: Path = SCHEMAS) -> Config:
        """Every data file of `schemas` read and validated, without the cache."""
        from pydantic import ValidationError

        from . import datafiles  # its models are built only here: a cached Config needs none of them
        from .checks.engine import Rule
        from .figures.fiscal_layouts import FiscalLayouts
        from .kinds import KindRules
        from .panel.departments import NameRules
        from .panel.indicators import StandardIndicators

        schemas = Path(schemas)
        check_data_folder(schemas)

        def read(relative: str) -> dict[str, Any]:
            return datafiles.read(schemas / relative, schemas)

        rules: dict[str, Rule] = {}
        settings: dict[str, dict[str, Any]] = {}
        for path in sorted((schemas / "rules").glob("*.toml")):
            data = dict(datafiles.read(path, schemas))
            for index, entry in enumerate(data.pop("rule", [])):
                try:
                    rule = Rule(**entry)
                except ValidationError as error:
                    raise DataError(path, datafiles.problem(error, ("rule", index))) from None
                if rule.code in rules:
                    raise DataError(path, f"rule code {rule.code} defined twice")
                rules[rule.code] = rule
            settings[path.stem] = data
        lexicon = {path.stem: datafiles.read(path, schemas) for path in sorted((schemas / "lexicon").glob("*.toml"))}
        templates = sorted(
            (datafiles.read(path, schemas) for path in sorted((schemas / "templates").glob("*.json"))),
            key=lambda t: t["priority"],
        )
        tables = {path.stem: datafiles.read(path, schemas) for path in sorted((schemas / "tables").glob("*.json"))}
        fiscal = _model(schemas / "tables" / "fiscal.toml", FiscalLayouts, read("tables/fiscal.toml"))
        known = {"fiscal_keys": {t["key"] for t in lexicon["fiscal_terms"]["term"]}, "fiscal_layouts": fiscal}
        indicators_path = schemas / "indicators" / "standard.toml"
        indicators = _model(indicators_path, StandardIndicators, read("indicators/standard.toml"), known)
        try:
            jieba_words = (schemas / "lexicon" / "jieba_words.txt").read_text(encoding="utf-8")
        except OSError as error:
            raise DataError(schemas / "lexicon" / "jieba_words.txt", f"cannot read: {error.strerror}") from None
        return cls(
            schemas=schemas,
            rules=rules,
            settings=settings,
            lexicon=lexicon,
            template_data=tuple(templates),
            tables=tables,
            fiscal_layouts=fiscal,
            kinds=_model(schemas / "kinds.toml", KindRules, read("kinds.toml")),
            name_rules=_model(
                schemas / "indicators" / "departments.toml", NameRules, read("indicators/departments.toml")
            ),
            indicators=tuple(indicators.indicator),
            store=read("store/tables.toml"),
            jieba_words=jieba_words,
        )

    @property
    def templates(self) -> tuple[Template, ...]:
        """Every report template, best default first."""
        return _templates(self)

    def template(self, template_id: str | None) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def __getstate__(self) -> dict[str, Any]:
        # derived structures hold compiled patterns and a tokenizer: a worker rebuilds them from the data
        state = {name: value for name, value in self.__dict__.items() if name not in _NOT_IN_STATE}
        pickled = self.__dict__.get(_PICKLED, {})
        state[_PICKLED] = {
            name: pickled.get(name) or pickle.dumps(self.__dict__[name], protocol=pickle.HIGHEST_PROTOCOL)
            for name in _PICKLED_APART
        }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_derived", {})

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any attribute name of a Config

        def __getattr__(self, name: str) -> Any:
            # called only for an attribute not set: a field of an unpickled Config pickled apart, unpickled on first use
            pickled = self.__dict__.get(_PICKLED, {}).get(name) if name in _PICKLED_APART else None
            if pickled is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            value = pickle.loads(pickled)
            object.__setattr__(self, name, value)
            return value


# the fields a document's extraction may never read, each pickled apart and unpickled when first read: the panel's
# department names and standard indicators (their classes live in the panel's modules, which import rapidfuzz), the
# fiscal tables' layouts (read for a document with tables only) and the database's tables; a cached Config read
# for one report of prose then neither unpickles them nor imports what defines them
_PICKLED_APART = ("fiscal_layouts", "name_rules", "indicators", "store")
_PICKLED = "_pickled"
_NOT_IN_STATE = ("_derived", _PICKLED, *_PICKLED_APART)


# the modules that validate the data files or define what a Config holds: an edit to one (in a checkout) changes
# what the same files load as
_CODE = ("config.py", "datafiles.py", "checks/engine.py", "figures/fiscal_layouts.py", "kinds.py", "panel/departments.py",
         "panel/indicators.py")  # fmt: skip


def _cache_key(schemas: Path) -> str | None:
    """The digest of every file under `schemas` (name and bytes), jixiao's version and code, Python's and pydantic's
    versions; None when a file cannot be read (validation then says which)."""
    import pydantic

    package = Path(__file__).parent
    parts: list[bytes | str] = [__version__, sys.version, pydantic.VERSION]
    try:
        parts += [(package / module).read_bytes() for module in _CODE]
        for folder, subfolders, files in os.walk(schemas):
            subfolders.sort()
            for file in sorted(files):
                path = Path(folder, file)
                parts += [path.relative_to(schemas).as_posix(), path.read_bytes()]
    except OSError:
        return None
    return machine_cache.digest(parts)


def _model(path: Path, model: type[T], data: dict[str, Any], context: dict[str, Any] | None = None) -> T:
    """`data` of the file at `path` as `model` (with the other files it refers to as `context`)."""
    from pydantic import ValidationError

    from . import datafiles

    try:
        return model.model_validate(datafiles.without_comments(data), context=context)  # type: ignore[attr-defined]
    except ValidationError as error:
        raise DataError(path, datafiles.problem(error)) from None


def derived(build: Callable[[Config], T]) -> Callable[[Config], T]:
    """`build(config)` computed once per Config and kept on it: compiled patterns, lookup tables, matchers.
    Two Configs never share a derived structure, so each rule set sees only its own data."""
    key = f"{build.__module__}.{build.__qualname__}"

    @functools.wraps(build)
    def on(config: Config) -> T:
        try:
            return config._derived[key]
        except KeyError:
            value = config._derived[key] = build(config)
            return value

    return on


@derived
def _templates(config: Config) -> tuple[Template, ...]:
    from .sections.templates import Template

    return tuple(Template.from_data(data) for data in config.template_data)


_defaults: dict[Path, Config] = {}


def load_default(schemas: Path = SCHEMAS) -> Config:
    """The Config of `schemas`, loaded once per process and folder. For the entry points only (the CLI, a
    batch worker, the review app): each is one process serving one rule set, and validating every file
    again for each document of a batch would cost a second each time. Library code takes a Config argument."""
    schemas = Path(schemas).resolve()
    if schemas not in _defaults:
        _defaults[schemas] = Config.load(schemas)
    return _defaults[schemas]
