"""Where the data files of `schemas/` live, and the check that they are there.

A checkout (and an editable install) reads the top-level `schemas/` folder; a wheel carries the same files
inside the package as `extractor/schemas/` (setup.py copies them at build time). JIXIAO_SCHEMAS overrides
both.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError

PACKAGED = Path(__file__).resolve().parent / "schemas"
CHECKOUT = Path(__file__).resolve().parent.parent / "schemas"
OVERRIDE_ENV = "JIXIAO_SCHEMAS"
# each subfolder, and the kind of file it must hold at least one of
REQUIRED = {"rules": "*.toml", "templates": "*.json", "tables": "*.json", "lexicon": "*.toml", "store": "*.toml"}


def _locate() -> Path:
    override = os.environ.get(OVERRIDE_ENV)
    if override:
        return Path(override)
    return PACKAGED if PACKAGED.is_dir() else CHECKOUT


SCHEMAS = _locate()


def check_data_folder(folder: Path = SCHEMAS) -> None:
    """Raise DataError naming the folder and what is missing, unless every data subfolder holds its files."""
    if Path(folder) != SCHEMAS:  # a folder the user named (--schemas)
        how = "give --schemas a copy of the schemas/ folder"
    elif os.environ.get(OVERRIDE_ENV):
        how = f"set {OVERRIDE_ENV} to the schemas/ folder"
    else:
        how = "reinstall jixiao"
    if not folder.is_dir():
        raise DataError(folder, f"data folder missing: {how}")
    missing = [f"{name}/{pattern}" for name, pattern in REQUIRED.items() if not any((folder / name).glob(pattern))]
    if missing:
        raise DataError(folder, f"data folder incomplete, no {', '.join(missing)}: {how}")
