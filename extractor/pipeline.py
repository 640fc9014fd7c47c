"""One document through every stage: read -> segment -> extract -> check -> Record.

`process` is pure and picklable, so the CLI, the batch runner and the tests all call it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__, checks, figures, readers, sections
from .config import Config
from .figures.fiscal import extract_fiscal_tables
from .memo import one_document
from .records import Document, DocumentInfo, Record, TargetForm


def build_record(document: Document, config: Config, options: checks.CheckOptions | None = None) -> Record:
    with one_document():  # one scope of memos (extractor/memo.py) for the figures stage and the checks
        return _build_record(document, config, options)


def _build_record(document: Document, config: Config, options: checks.CheckOptions | None) -> Record:
    outline = sections.segment(document, config)
    target_forms: list[TargetForm] = []
    only_forms, forms_department = False, None
    if document.has_tables():  # forms are tables: prose alone skips their module
        from .figures import target_forms as forms

        target_forms = forms.extract_target_forms(config, document)
        only_forms = forms.forms_only(config, document, target_forms)
        forms_department = forms.forms_department(target_forms)
    kind = "performance_targets" if only_forms else outline.kind
    found = figures.extract(document, outline.sections, config, kind)
    record = Record(
        tool_version=__version__,
        document=DocumentInfo(
            path=document.path,
            sha256=document.sha256,
            format=document.format,
            pages=document.pages,
            department=found.department or forms_department,
            year=found.year,
            template=None if only_forms else outline.template,  # no report outline to map
            kind=kind,
        ),
        sections=outline.sections,
        facts=found.facts,
        kpis=found.kpis,
        tables=found.tables,
        fiscal_tables=extract_fiscal_tables(config, document),
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
    document = readers.read(path, read_options)
    with _out_of_full_collections(document):
        return build_record(document, config, options)


# blocks from which a document's own objects are worth one collection and a freeze: below, the collection
# costs more than the full collections it saves
_FREEZE_FROM_BLOCKS = 5_000


@contextmanager
def _out_of_full_collections(document: Document) -> Iterator[None]:
    """While a large document's record is built, what exists before (the document, the rule set, jieba's
    dictionaries) is out of the collector's reach: the collector's full collections, every one of which walked
    the whole document again, then walk only what the stages build (~0.4 s of 9 on an 8 MB page). Collected
    first, so that no garbage is kept frozen; unfrozen after, whatever happens. The collector's state is the
    process's, so it is set back on the way out."""
    if len(document.blocks) < _FREEZE_FROM_BLOCKS or gc.get_freeze_count():
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
