"""Build hook: the data files of the top-level `schemas/` folder travel in the wheel as `extractor/schemas/`.

The design keeps rules, templates, tables and lexicon in one folder at the top of the repository; an
installed package must carry them too. Everything else is configured in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SCHEMAS = Path(__file__).resolve().parent / "schemas"


class BuildWithSchemas(build_py):
    """build_py, plus a copy of schemas/ into the built package (an editable install reads it where it is)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not SCHEMAS.is_dir():
            raise SystemExit(f"cannot build jixiao: data folder {SCHEMAS} is missing")
        target = Path(self.build_lib) / "extractor" / "schemas"
        for source in sorted(SCHEMAS.rglob("*")):
            if source.is_file() and "__pycache__" not in source.parts:
                destination = target / source.relative_to(SCHEMAS)
                self.mkpath(str(destination.parent))
                self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildWithSchemas})
