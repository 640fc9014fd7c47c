"""The validated Config is kept per machine: a later load of the same files reads it back without validating;
an edited data file is validated again (a bad edit still fails, naming the file); a corrupt cache file is
ignored and rewritten; a copy of the folder elsewhere (`--schemas DIR`) gets a Config of its own folder."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from extractor.config import Config
from extractor.errors import DataError

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
S101_WARNING = 'code = "S101"\nname = "numbering-style"\ncategory = "structure"\nseverity = "warning"'


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "jixiao"


@pytest.fixture
def schemas(tmp_path) -> Path:
    return Path(shutil.copytree(SCHEMAS, tmp_path / "schemas"))


def _cached(cache: Path) -> list[Path]:
    return sorted(cache.glob("config-*.pickle"))


def _same(a: Config, b: Config) -> None:
    assert a.rules == b.rules and a.settings == b.settings and a.lexicon == b.lexicon
    assert a.template_data == b.template_data and a.tables == b.tables and a.store == b.store
    assert a.fiscal_layouts == b.fiscal_layouts and a.kinds == b.kinds and a.name_rules == b.name_rules
    assert a.indicators == b.indicators and a.jieba_words == b.jieba_words


def _no_validation(monkeypatch) -> None:
    def fail(cls, schemas):
        raise AssertionError("validated again")

    monkeypatch.setattr(Config, "validate", classmethod(fail))


def test_a_second_load_reads_the_cache_without_validating(cache, schemas, monkeypatch):
    first = Config.load(schemas)
    assert len(_cached(cache)) == 1
    _no_validation(monkeypatch)
    again = Config.load(schemas)
    _same(again, first)
    assert again.schemas == schemas and again.templates  # derived structures build on the cached Config


def test_the_cached_config_equals_a_validated_one(cache, schemas, monkeypatch):
    Config.load(schemas)
    validated = Config.validate(schemas)
    _no_validation(monkeypatch)
    _same(Config.load(schemas), validated)


def test_an_edited_data_file_is_validated_again(cache, schemas):
    assert Config.load(schemas).rules["S101"].severity == "warning"
    structure = schemas / "rules" / "structure.toml"
    structure.write_text(
        structure.read_text(encoding="utf-8").replace(S101_WARNING, S101_WARNING.replace("warning", "error")),
        encoding="utf-8",
    )
    assert Config.load(schemas).rules["S101"].severity == "error"
    assert len(_cached(cache)) == 2
    structure.write_text(structure.read_text(encoding="utf-8").replace("severity", "severty", 1), encoding="utf-8")
    with pytest.raises(DataError, match="structure.toml"):
        Config.load(schemas)  # a bad edit fails as before, though the earlier content is cached


def test_a_corrupt_cache_file_is_ignored_and_rewritten(cache, schemas, monkeypatch):
    validated = Config.load(schemas)
    (path,) = _cached(cache)
    for garbage in (b"", b"not a pickle", path.read_bytes()[:1000]):
        path.write_bytes(garbage)
        _same(Config.load(schemas), validated)
        assert path.read_bytes() != garbage  # rewritten whole
    _no_validation(monkeypatch)
    _same(Config.load(schemas), validated)


def test_a_copy_of_the_folder_elsewhere_gets_its_own_folder(cache, schemas, tmp_path):
    other = Path(shutil.copytree(schemas, tmp_path / "other"))
    assert Config.load(schemas).schemas == schemas
    assert Config.load(other).schemas == other
    assert len(_cached(cache)) == 1  # the same content: one cache file


def test_without_a_writable_cache_folder_the_config_is_validated(schemas, tmp_path, monkeypatch):
    from extractor import machine_cache

    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(machine_cache, "folders", lambda: (blocked / "jixiao",))
    assert Config.load(schemas).rules["S101"].severity == "warning"


def test_a_file_in_the_fallback_folder_is_not_read_when_the_home_cache_is_writable(schemas, tmp_path, monkeypatch):
    """A run whose home cache was not writable left its files in the fallback (the shared temporary folder);
    a process with a writable home cache reads and writes only there."""
    from extractor import machine_cache

    home, fallback = tmp_path / "home" / "jixiao", tmp_path / "fallback" / "jixiao"
    monkeypatch.setattr(machine_cache, "folders", lambda: (home, fallback))
    fallback.mkdir(parents=True)
    (fallback / "probe-1.bin").write_bytes(b"stale")
    assert machine_cache.read("probe-1.bin") is None
    assert machine_cache.write("probe-1.bin", b"fresh") == home / "probe-1.bin"
    assert machine_cache.read("probe-1.bin") == b"fresh"


def test_the_cache_keeps_a_few_files_of_a_kind(cache, schemas):
    """Every edit of a data file makes a new cache file: the oldest go, the newest few stay."""
    from extractor import machine_cache

    structure = schemas / "rules" / "structure.toml"
    for edit in range(machine_cache.KEEP + 2):
        with structure.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {edit}\n")
        Config.load(schemas)
    assert len(_cached(cache)) == machine_cache.KEEP


def test_a_cache_file_of_another_user_is_not_read(cache, schemas, monkeypatch):
    """The temporary folder is shared and a cached Config is a pickle: a file this user does not own is no hit."""
    from extractor import machine_cache

    Config.load(schemas)
    monkeypatch.setattr(machine_cache.os, "geteuid", lambda: os.getuid() + 1)
    validated = []
    real = Config.validate.__func__

    def counting(cls, folder):
        validated.append(folder)
        return real(cls, folder)

    monkeypatch.setattr(Config, "validate", classmethod(counting))
    Config.load(schemas)
    assert validated == [schemas]


def test_a_corrupt_tagger_model_is_derived_again(cache):
    """jieba's tagger model is cached the same way: a truncated file is derived again, the tags unchanged."""
    from extractor.figures.labels import tokenizer

    text = "本年度收入合计120.50万元，县道养护工程支出283.40万元"
    expected = list(tokenizer(Config.load()).cut(text))
    (model,) = cache.glob("jieba-model-*.marshal")
    model.write_bytes(model.read_bytes()[: len(model.read_bytes()) // 2])
    assert list(tokenizer(Config.load()).cut(text)) == expected
    assert model.stat().st_size > 1_000_000  # rewritten whole


def test_the_fields_pickled_apart_are_read_on_first_use_and_pickle_again_unread(cache, schemas):
    """A document of prose reads neither the panel's rules nor the fiscal layouts nor the database's tables: a
    Config read back from a pickle unpickles each when first asked for, equal to the validated one, also after
    a second pickling (of bytes still unread, or of one field read)."""
    validated = Config.load(schemas)
    again = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(validated))))
    apart = ("fiscal_layouts", "name_rules", "indicators", "store")
    assert not set(apart) & set(vars(again))
    assert again.indicators == validated.indicators and "name_rules" not in vars(again)
    third = pickle.loads(pickle.dumps(again))
    for name in apart:
        assert getattr(again, name) == getattr(validated, name) == getattr(third, name), name
    assert not hasattr(again, "no_such_field")
