"""The batch on a Dask distributed cluster (`jixiao batch --engine dask`): optional extra `jixiao[dask]`.

Hashing and processing move: the workers hash the files (a task per chunk of paths) and the planning
decisions (sha256 + tool version, identical copies) and storing stay in batch.py's main process, the
single DuckDB writer. Each worker runs `batch.process_file` on one document and sends the Outcome (its
rows as Arrow streams) back; the writer stores a few seconds' worth per transaction as they arrive, so
an interrupted run resumes like the local one. Workers need the same jixiao version
and must see the input paths (a shared filesystem).

A worker that dies (crash, out of memory) takes its document with it: the scheduler reports the task
as killed, and it is submitted once more; a second death stores it as an error. The local cluster is
configured so that this is exact: the scheduler never retries by itself (allowed-failures 0) and a
worker holds only the document it is running (worker-saturation 1.0), so a death blames no
bystander. On an existing cluster (`--address`) set the same two options in its scheduler's
configuration, or its own retries come on top of this one.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__
from .batch import (
    _CRASH_RETRIES,
    _HASH_CHUNK,
    _WRITE_BATCH,
    _WRITE_INTERVAL,
    BatchOptions,
    Job,
    Mapper,
    Outcome,
    Runner,
    _store,
    process_file,
)
from .checks import CheckOptions
from .config import load_default
from .errors import ReadError, UsageError
from .limits import DocumentTimeout, Limits
from .store.duckdb import Store

# Test hook: a worker that picks up a file whose name contains this kills itself, as the kernel's
# out-of-memory killer would.
KILL_WORKER_ENV = "JIXIAO_DASK_KILL_WORKER_ON"
_CLUSTER_CONFIG = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
_IN_FLIGHT_PER_THREAD = 2  # a task queued behind each running one; the rest wait in the writer's queue


@contextmanager
def _thread_time_limit(path: str, seconds: int) -> Iterator[None]:
    """ReadError (timeout) when the block runs longer than `seconds`, in any thread: a Dask worker runs
    tasks off its main thread, where batch.py's alarm cannot reach. The exception is raised at the next
    Python instruction, so a single C call (pdfium on one page) finishes first."""
    if seconds <= 0:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()  # the block's end and the interruption exclude each other
    ended, fired = False, False

    def interrupt() -> None:
        nonlocal fired
        with lock:
            if not ended:
                fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    except DocumentTimeout:
        raise ReadError(path, _timeout_reason(seconds), "timeout") from None
    finally:
        with lock:
            ended = True
        timer.cancel()
        if fired:  # set but maybe not yet delivered: it must not land in Dask's code after the block
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


def _timeout_reason(seconds: int) -> str:
    return f"timeout after {seconds}s (the limit per document; see --timeout)"


def process_on_worker(path: str, schemas: Path, timeout: int, options: CheckOptions | None, limits: Limits) -> Outcome:
    """One document on a Dask worker: batch.process_file under a timeout that works off the main thread, with
    the rule set of `schemas`, loaded once per worker process (a worker is an entry point: see
    batch.process_in_worker)."""
    marker = os.environ.get(KILL_WORKER_ENV)
    if marker and marker in os.path.basename(path):
        os.kill(os.getpid(), signal.SIGKILL)
    try:
        with _thread_time_limit(path, timeout):
            return process_file(path, load_default(schemas), 0, options, limits)
    except ReadError as error:
        return Outcome(path, error=error.reason, kind=error.kind)
    except DocumentTimeout:  # delivered as the block was ending, outside its own handler
        return Outcome(path, error=_timeout_reason(timeout), kind="timeout")


def _worker_version() -> str:
    from . import __version__ as version

    return version


def _connect(options: BatchOptions):
    """A client of the cluster at `options.address`, else of a local cluster of `options.workers`
    single-threaded worker processes; and the cluster to close afterwards (None for an existing one)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--engine dask", "Dask is not installed: pip install 'jixiao[dask]'") from None
    if options.address:
        try:
            client = Client(options.address, timeout="30s")
        except (OSError, TimeoutError) as error:
            raise UsageError(options.address, f"no Dask scheduler answers there ({error})") from None
        return client, None
    with dask.config.set(_CLUSTER_CONFIG):
        cluster = LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # the scheduler's HTTP server (health, metrics) runs anyway: on a free port, not on 8787,
            # where a second batch or any other cluster would make it warn
            scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
            silence_logs=logging.CRITICAL,
        )
    return Client(cluster), cluster


def _each(function: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [function(item) for item in chunk]


@contextmanager
def dask_engine(options: BatchOptions) -> Iterator[tuple[Mapper, Runner]]:
    """A client of the cluster (checked to run this jixiao version): how it hashes the files, in order, a
    task per chunk of paths, and how it runs the jobs."""
    client, cluster = _connect(options)
    try:
        versions = set(client.run(_worker_version).values())
        if versions - {__version__}:
            raise UsageError(
                options.address or "local cluster",
                f"workers run jixiao {', '.join(sorted(versions))}, not {__version__}",
            )

        def mapper(function: Callable[[Path], Any], items: list[Path]) -> Iterable[Any]:
            chunks = [items[i : i + _HASH_CHUNK] for i in range(0, len(items), _HASH_CHUNK)]
            for future in client.map(_each, [function] * len(chunks), chunks, pure=False):
                yield from future.result()
                future.release()

        def runner(jobs: list[Job], store: Store, options: BatchOptions, on_outcome: Callable[[Outcome], None]) -> None:
            run_jobs_dask(client, jobs, store, options, on_outcome)

        yield mapper, runner
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_jobs_dask(
    client: Any, jobs: list[Job], store: Store, options: BatchOptions, on_outcome: Callable[[Outcome], None]
) -> None:
    """Process `jobs` on the cluster of `client`, storing outcomes as they arrive, a few per transaction."""
    from distributed import KilledWorker, as_completed

    threads = sum(client.nthreads().values()) or 1
    queue = deque(jobs)
    running = as_completed()
    by_key: dict[str, Job] = {}
    finished: list[tuple[Job, Outcome]] = []
    last_write = time.monotonic()

    def submit(job: Job) -> None:
        future = client.submit(
            process_on_worker,
            job.path,
            store.config.schemas,
            options.timeout,
            options.checks,
            options.limits,
            pure=False,
        )
        by_key[future.key] = job
        running.add(future)

    def write_finished() -> None:
        nonlocal last_write
        _store(store, finished, options.keep_versions)
        for _, outcome in finished:
            on_outcome(outcome)
        finished.clear()
        last_write = time.monotonic()

    while queue and len(by_key) < threads * _IN_FLIGHT_PER_THREAD:
        submit(queue.popleft())
    try:
        for future in running:
            job = by_key.pop(future.key)
            try:
                outcome = future.result()
            except KilledWorker:
                job.attempts += 1
                if job.attempts <= _CRASH_RETRIES:
                    submit(job)
                    continue
                outcome = Outcome(
                    job.path, error="worker process died on both attempts (crash or out of memory)", kind="internal"
                )
            finally:
                future.release()
            finished.append((job, outcome))
            if queue:
                submit(queue.popleft())
            if len(finished) >= _WRITE_BATCH or time.monotonic() - last_write >= _WRITE_INTERVAL or not by_key:
                write_finished()
    except KeyboardInterrupt:
        if finished:
            write_finished()  # documents finished before the Ctrl-C are kept too
        raise
