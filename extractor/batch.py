"""Many documents into one DuckDB database, in parallel, resumable.

Files are hashed by the worker processes before anything is processed, and the main process plans
from the digests, in path order: a document already stored with the same sha256 and tool version is
skipped, and identical copies under different paths are processed once (every path is kept in
`files`). Workers then run the pipeline under a per-document alarm and send back the document's rows
as Arrow tables; the main process is the only writer and stores whole documents as they arrive, a few
seconds' worth per transaction, so an interrupted run leaves a consistent database and a rerun
completes the rest.
Last, over everything stored: the panel is completed (the same department recognised across documents,
the year-over-year checks between its reports), then copies across documents are found.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from . import __version__
from .checks import CheckOptions
from .checks.copies import find_copies
from .checks.targets import copied_policy_bases
from .config import Config, load_default
from .errors import DataError, ReadError
from .limits import DEFAULT_LIMITS, Limits, time_limit
from .orphans import die_with_parent
from .panel.collection import PanelSummary, update_panel
from .panel.departments import read_pins
from .readers import check_path, reader_module
from .store.duckdb import Store, block_rows, document_tables

# Test hook: stop hard (SIGKILL, workers first) after this many results are stored, as a crash would.
DIE_AFTER_ENV = "JIXIAO_BATCH_DIE_AFTER"
# Imported once by the fork server, so that a new (or recycled) worker starts warm. Stages load
# some modules and data on demand; a name missing here only costs time, a name not needed costs it too
# (jieba.posseg was here: the tagger runs on a cached model, and importing it read jieba's whole
# dictionary, 0.45 s of CPU a batch).
_PRELOAD = [
    "extractor.orphans_preload",  # first: the fork server dies with the main process
    "extractor.pipeline",
    *(f"extractor.readers.{name}" for name in ("docx", "pdf", "text", "html", "xlsx")),
    "extractor.sections.hierarchy",
    "extractor.figures.facts",
    "extractor.checks.runner",
    # what the pipeline imports for a document with tables only (the warm-up's report has none)
    "extractor.figures.fiscal_layouts",  # the class of the rule set's fiscal layouts, unpickled when first read
    "extractor.figures.tables",
    "extractor.figures.target_forms",
    *(f"extractor.checks.{name}" for name in ("tables", "table_sums", "targets")),
    "extractor.batch",  # what a worker's first task unpickles (process_in_worker) and its imports
    "extractor.batch_warmup",  # last: the pipeline once, what it loads on first use loaded here
]


def preload_for(paths: Iterable[Path]) -> list[str]:
    """The fork server's preload for a batch of `paths`: `_PRELOAD` with only the readers their suffixes name
    (the spreadsheet reader's import, openpyxl, alone costs ~0.3 s of CPU: a batch of PDFs would pay it in the
    fork server for nothing). A file whose content needs another reader loads it on first use, in its worker."""
    readers = {reader_module(path) for path in paths}
    return [name for name in _PRELOAD if not name.startswith("extractor.readers.") or name in readers]


_IN_FLIGHT_PER_WORKER = 4  # enough queued work to keep workers busy, little enough to stream
# A transaction of new documents costs ~100 ms of DuckDB statements plus ~8 ms a document: written every
# second, a batch of PDFs spent a quarter of its time in its single writer
_WRITE_BATCH = 128  # documents per transaction at most
_WRITE_INTERVAL = 5.0  # seconds: results reach the database at least this often
_WRITER_THREADS = 1  # DuckDB's threads in the writer: the workers have the cores (Store's docstring)
_HASH_CHUNK = 64  # files per hashing task: a task's round trip costs about as much as hashing a small file
_CRASH_RETRIES = 1  # a job in flight when a worker died is retried once in a fresh pool


@dataclass
class BatchOptions:
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    recycle: int = 200  # documents per worker process before it is replaced (pdfminer memory creep)
    timeout: int = DEFAULT_LIMITS.timeout  # seconds per document
    checks: CheckOptions | None = None
    keep_versions: bool = False  # an edited file adds a document instead of replacing its older version
    limits: Limits = DEFAULT_LIMITS
    engine: str = "local"  # local: a process pool here; dask: a Dask cluster (batch_dask.py)
    address: str | None = None  # the Dask scheduler of an existing cluster; None starts a local one
    departments: Path | None = None  # the user's pinned department mapping (CSV: department,region,department_id)


@dataclass
class Job:
    path: str
    size: int
    sha256: str
    copies: list[tuple[str, int]] = field(default_factory=list)  # other paths with identical bytes
    attempts: int = 0


@dataclass
class Outcome:
    """What a worker sends back: the document's rows by table (`store.duckdb.document_tables`, each as an
    Arrow IPC stream), or why there are none."""

    path: str
    tables: dict[str, bytes] | None = None
    error: str | None = None
    kind: str | None = None  # ReadError.kind of `error`
    max_rss_kb: int = 0  # peak resident memory of the worker process so far


@dataclass
class BatchSummary:
    files: int = 0  # input files found
    processed: int = 0  # documents processed in this run
    skipped: int = 0  # already stored with this tool version
    duplicates: int = 0  # paths whose bytes another input path also has
    unreadable: int = 0  # input files in `errors`
    with_errors: int = 0  # input documents with a finding of severity error
    internal: int = 0  # documents that met a bug in jixiao (their `errors` kind is internal)
    copies: int = 0  # copy findings (C2xx) across the whole database
    panel: PanelSummary = field(default_factory=PanelSummary)  # departments linked, year-over-year findings
    outcomes: list[Outcome] = field(default_factory=list)  # without their records, which are in the database


class Progress(Protocol):
    def update(self, n: int = 1) -> Any: ...

    def close(self) -> Any: ...


def _init_worker(main_pid: int) -> None:
    die_with_parent(main_pid)
    # Ctrl-C is the main process's business: it stops dispatching and terminates the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_file(
    path: str,
    config: Config,
    timeout: int,
    options: CheckOptions | None = None,
    limits: Limits = DEFAULT_LIMITS,
    ocr_cores: int = 1,
) -> Outcome:
    """Run one file through the pipeline in a worker; never raises for a bad document. OCR computes with
    `ocr_cores` threads: the worker's share of the cores, so that the workers never ask for more than there are."""
    import resource

    from .pipeline import build_record
    from .readers import ReadOptions, read
    from .readers.ocr_options import OcrOptions

    outcome = Outcome(path)

    # OCR takes seconds a page: each scanned page read starts the clock again, so the timeout bounds a
    # hung page, not a long scan
    def restart_clock(page: int, done: int, total: int) -> None:
        signal.alarm(timeout)

    reading = ReadOptions(
        ocr=OcrOptions(progress=restart_clock).for_cores(ocr_cores, pages_at_once=False), limits=limits
    )
    try:
        with time_limit(path, timeout):
            document = read(path, reading)
            record = build_record(document, config, options)
            outcome.tables = to_streams(document_tables(config, record, block_rows(document, record.sections)))
    except ReadError as error:
        outcome.error, outcome.kind = error.reason, error.kind
    except DataError:
        raise  # the tool's own data is broken: every document would fail alike, so the batch stops
    except Exception as error:  # a bug on one document must not stop the batch
        outcome.error, outcome.kind = f"internal error ({type(error).__name__}: {error})", "internal"
    outcome.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return outcome


def process_in_worker(
    path: str, schemas: Path, timeout: int, options: CheckOptions | None, limits: Limits, ocr_cores: int = 1
) -> Outcome:
    """`process_file` in a worker process, with the rule set of the `schemas` folder the batch runs with.
    A worker is an entry point: it loads that Config once (`load_default`, about 0.1 s) and keeps it, with
    the patterns and tokenizer built from it, for every document it is given; sending the Config with each
    document would rebuild those each time."""
    return process_file(path, load_default(schemas), timeout, options, limits, ocr_cores)


def to_streams(tables: dict[str, pa.Table]) -> dict[str, bytes]:
    """Tables as Arrow IPC streams: the writer reads them back in a sixth of the time unpickling the tables
    takes, a tenth of unpickling the record and building its rows (bench/batch_costs.py)."""
    streams = {}
    for name, table in tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        streams[name] = sink.getvalue().to_pybytes()
    return streams


def from_streams(streams: dict[str, bytes]) -> dict[str, pa.Table]:
    return {name: pa.ipc.open_stream(data).read_all() for name, data in streams.items()}


def _absolute(path: Path) -> Path:
    """A file's path resolved (links followed); any other path absolute but as given, so that an error row
    names the dangling link or the loop itself, not where it leads."""
    try:
        return path.resolve() if path.is_file() else path.absolute()
    except (OSError, RuntimeError):
        return path.absolute()


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class Inspected:
    """An input file's size and sha256, or why it cannot be read."""

    size: int = 0
    sha256: str | None = None
    reason: str | None = None
    kind: str | None = None


def inspect_file(path: Path) -> Inspected:
    """Size and digest of an input file `check_path` let through (run in the workers: hashing a collection
    is work to share)."""
    try:
        return Inspected(path.stat().st_size, sha256_of(path))
    except OSError as error:
        return Inspected(reason=f"cannot read: {error.strerror or error}", kind="unreadable_path")


T = TypeVar("T")
Mapper = Callable[[Callable[[Path], T], list[Path]], Iterable[T]]  # map() or a pool's map: results in order


def plan_jobs(
    paths: Iterable[Path], stored: dict[str, str], store: Store, mapper: Mapper = map
) -> tuple[list[Job], BatchSummary]:
    """The documents still to process, one job per distinct content; records paths of stored ones. Paths are
    checked here (a stat), files hashed through `mapper`, decisions taken here in path order: the first
    path of a content processes it."""
    summary = BatchSummary()
    jobs: dict[str, Job] = {}

    def unreadable(path: Path, reason: str, kind: str) -> None:
        store.write_error(str(path), None, reason, __version__, kind)
        summary.outcomes.append(Outcome(str(path), error=reason, kind=kind))

    readable = []
    for path in sorted({_absolute(p) for p in paths}):
        summary.files += 1
        try:
            check_path(path)
        except ReadError as error:
            unreadable(path, error.reason, error.kind)
            continue
        readable.append(path)
    for path, found in zip(readable, mapper(inspect_file, readable), strict=True):
        size, digest = found.size, found.sha256
        if digest is None:
            unreadable(path, found.reason or "unreadable", found.kind or "unreadable_path")
            continue
        if digest in jobs:
            jobs[digest].copies.append((str(path), size))
            summary.duplicates += 1
        elif stored.get(digest) == __version__:
            store.write_files(digest, [(str(path), size)])
            summary.skipped += 1
        else:
            jobs[digest] = Job(str(path), size, digest)
    return list(jobs.values()), summary


def _die_after() -> int | None:
    value = os.environ.get(DIE_AFTER_ENV)
    return int(value) if value else None


def _die() -> None:
    for child in multiprocessing.active_children():
        if child.pid is not None:
            os.kill(child.pid, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _new_pool(options: BatchOptions, preload: list[str] = _PRELOAD) -> ProcessPoolExecutor:
    """A pool of workers forked from the fork server, which imports `preload` when it starts (the first pool of
    the process starts it; later pools share it)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    return ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=context,
        max_tasks_per_child=options.recycle,
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def _store(store: Store, finished: list[tuple[Job, Outcome]], keep_versions: bool = False) -> None:
    documents = [(from_streams(o.tables), [(j.path, j.size), *j.copies]) for j, o in finished if o.tables is not None]
    if documents:
        store.write_tables(documents, keep_versions=keep_versions)
    for job, outcome in finished:
        if outcome.tables is None:
            for path, _ in [(job.path, job.size), *job.copies]:
                store.write_error(
                    path, job.sha256, outcome.error or "unknown error", __version__, outcome.kind or "unreadable"
                )


def run_jobs(
    jobs: list[Job],
    store: Store,
    options: BatchOptions,
    on_outcome: Callable[[Outcome], None],
    pool: ProcessPoolExecutor | None = None,
) -> None:
    """Process `jobs` in worker processes (`pool`'s, else a new pool's), storing outcomes as they arrive, a
    few seconds' worth per transaction."""
    queue = deque(jobs)
    die_after, stored = _die_after(), 0
    pool = pool or _new_pool(options)
    schemas = store.config.schemas  # the workers load the rule set the batch's store was opened with
    # each worker's OCR computes with its share of the cores (workers × threads within the cores)
    ocr_cores = max(1, (os.cpu_count() or 1) // options.workers)
    running: dict[Future, Job] = {}
    finished: list[tuple[Job, Outcome]] = []
    last_write = time.monotonic()

    def write_finished() -> None:
        nonlocal stored, last_write
        _store(store, finished, options.keep_versions)
        for _, outcome in finished:
            on_outcome(outcome)
        stored += len(finished)
        finished.clear()
        last_write = time.monotonic()
        if die_after and stored >= die_after:
            _die()

    try:
        while queue or running:
            while queue and len(running) < options.workers * _IN_FLIGHT_PER_WORKER:
                job = queue.popleft()
                running[
                    pool.submit(
                        process_in_worker, job.path, schemas, options.timeout, options.checks, options.limits, ocr_cores
                    )
                ] = job
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                if die_after and stored + len(finished) >= die_after:
                    break  # the test hook dies after exactly that many results: leave the rest unstored
                job = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    job.attempts += 1
                    if job.attempts <= _CRASH_RETRIES:
                        queue.append(job)
                        continue
                    outcome = Outcome(job.path, error="worker process died (crash or out of memory)", kind="internal")
                finished.append((job, outcome))
            if finished and (
                len(finished) >= _WRITE_BATCH
                or time.monotonic() - last_write >= _WRITE_INTERVAL
                or not (queue or running)
                or (die_after and stored + len(finished) >= die_after)
            ):
                write_finished()
            if broken:  # every job of a broken pool fails; give the others a fresh pool
                pool.shutdown(wait=False, cancel_futures=True)
                queue.extend(running.values())
                running.clear()
                pool = _new_pool(options)
    except BaseException as interruption:  # Ctrl-C: what is stored stays stored; the workers stop now
        if isinstance(interruption, KeyboardInterrupt) and finished:
            write_finished()  # documents finished before the Ctrl-C are kept too
        for child in multiprocessing.active_children():
            child.terminate()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


Runner = Callable[[list[Job], Store, BatchOptions, Callable[[Outcome], None]], None]


@contextmanager
def _engine(options: BatchOptions, paths: list[Path]) -> Iterator[tuple[Mapper, Runner]]:
    """The engine's workers, started once: how they hash the files (in order) and how they run the jobs."""
    if options.engine == "dask":
        from .batch_dask import dask_engine

        with dask_engine(options) as engine:
            yield engine
        return
    pool = _new_pool(options, preload_for(paths))
    chunk = max(1, min(_HASH_CHUNK, len(paths) // (4 * options.workers)))
    try:
        yield (
            lambda function, items: pool.map(function, items, chunksize=chunk),
            lambda jobs, store, options, on_outcome: run_jobs(jobs, store, options, on_outcome, pool),
        )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_batch(
    inputs: Iterable[Path],
    db: Path,
    config: Config,
    options: BatchOptions | None = None,
    progress: Callable[[int], Progress] | None = None,
) -> BatchSummary:
    """Process every report file under `inputs` into the database `db`; see the module docstring."""
    from .inputs import iter_input_files

    options = options or BatchOptions()
    pins = read_pins(options.departments) if options.departments else []  # a bad mapping stops before any work
    with Store(db, config, threads=_WRITER_THREADS) as store:
        paths = list(iter_input_files(inputs))
        with _engine(options, paths) as (mapper, runner):
            jobs, summary = plan_jobs(paths, store.stored_versions(), store, mapper)
            bar = progress(len(jobs)) if progress else None

            def on_outcome(outcome: Outcome) -> None:
                summary.outcomes.append(replace(outcome, tables=None))  # stored: keep only the facts of the run
                if bar:
                    bar.update(1)

            try:
                runner(jobs, store, options, on_outcome)
            finally:
                if bar:
                    bar.close()
        summary.processed = len(jobs)
        summary.internal = sum(outcome.kind == "internal" for outcome in summary.outcomes)
        summary.panel = update_panel(config, store, pins)  # first: copy detection knows departments by their panel id
        copies = find_copies(config, store.paragraphs())
        store.replace_copy_findings(copies)
        summary.copies = len(copies)
        # the target forms' 政策依据 copied from another project's, across the whole batch (P122)
        store.replace_collection_findings("P122", copied_policy_bases(config, store.policy_bases()))
        summary.unreadable, summary.with_errors = store.input_status([str(_absolute(p)) for p in paths])
    return summary
