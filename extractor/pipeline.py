"""One document through every stage: read -> segment -> extract -> check -> Record.

`process` is pure and picklable, so the CLI, the batch runner and the tests all call it.
"""

from __future__ import annotations

from pathlib import Path

from . import __version__, checks, figures, readers, sections
from .config import Config
from .memo import one_document
from .figures.target_forms import extract_target_forms, forms_department, forms_only
from .records import Document, DocumentInfo, Record


def build_record(document: Document, config: Config, options: checks.CheckOptions | None = None) -> Record:
    with one_document():  # one scope of memos (extractor/memo.py) for the figures stage and the checks
        return _build_record(document, config, options)


def _build_record(document: Document, config: Config, options: checks.CheckOptions | None) -> Record:
    outline = sections.segment(document, config)
    target_forms = extract_target_forms(config, document)
    only_forms = forms_only(config, document, target_forms)
    kind = "performance_targets" if only_forms else outline.kind
    found = figures.extract(document, outline.sections, config, kind)
    record = Record(
        tool_version=__version__,
        document=DocumentInfo(
            path=document.path,
            sha256=document.sha256,
            format=document.format,
            pages=document.pages,
            department=found.department or forms_department(target_forms),
            year=found.year,
            template=None if only_forms else outline.template,  # no report outline to map
            kind=kind,
        ),
        sections=outline.sections,
        facts=found.facts,
        kpis=found.kpis,
        tables=found.tables,
        fiscal_tables=figures.extract_fiscal_tables(config, document),
        target_forms=target_forms,
    )
    record.findings = checks.run(record, document, config, options)
    return record


def process(
    path: str | Path,
    config: Config,
    options: checks.CheckOptions | None = None,
    read_options: readers.ReadOptions | None = None,
) -> Record:
    """The whole record of the document at `path`. Raises `ReadError` for a file that cannot be read."""
    return build_record(readers.read(path, read_options), config, options)
