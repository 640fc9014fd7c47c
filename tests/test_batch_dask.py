"""`jixiao batch --engine dask`: the same database as the local pool, on a cluster of worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

# the local pool's helpers and fixtures (`batch`, `inputs`: requested by name below)
from test_batch import BAD, GOOD, OPTIONS, batch, contents, inputs, rows  # noqa: E402, F401

from extractor.batch import BatchOptions, run_batch  # noqa: E402
from extractor.batch_dask import _CLUSTER_CONFIG, KILL_WORKER_ENV  # noqa: E402
from extractor.cli import main  # noqa: E402
from extractor.config import load_default  # noqa: E402

config = load_default()  # the installed rule set, validated once for these tests


@pytest.fixture(scope="module")
def cluster_address():
    """An existing cluster, as a user would start one: two single-threaded worker processes."""
    import dask

    with dask.config.set(_CLUSTER_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
            silence_logs=50,
        )
    with cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_the_cluster_stores_what_the_local_pool_stores(batch, inputs: Path, cluster_address: str, tmp_path: Path):  # noqa: F811
    local_db, _ = batch
    db = tmp_path / "dask.duckdb"
    code = main(["batch", str(inputs), "--db", str(db), "--engine", "dask", "--address", cluster_address, "--quiet"])
    assert code == 2  # the bad files, as with the local pool
    assert contents(db) == contents(local_db)  # documents, facts, findings, errors … every table, row for row
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == len(GOOD) + 1

    rerun = run_batch([inputs], db, config, BatchOptions(engine="dask", address=cluster_address))
    assert (rerun.processed, rerun.skipped) == (len(BAD), len(GOOD) + 2)  # resumable: sha256 + tool version
    assert contents(db) == contents(local_db)


@pytest.mark.slow
def test_a_worker_that_dies_loses_only_its_document(inputs: Path, tmp_path: Path, monkeypatch):  # noqa: F811
    """On a local cluster the command starts: the document that kills its worker (twice: it is retried
    once) is stored as an error; every other document is stored as the local pool stores it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("heshan_commerce_2024.txt", "yunnan_edu_2024.txt", "empty.txt"):
        shutil.copy(inputs / name, folder / name)
    killer = folder / "kills_its_worker.txt"
    killer.write_text(
        (inputs / "heshan_commerce_2024.txt").read_text(encoding="utf-8") + "\n附：另一份\n", encoding="utf-8"
    )
    reference = tmp_path / "local.duckdb"
    run_batch([folder], reference, config, OPTIONS)

    monkeypatch.setenv(KILL_WORKER_ENV, "kills_its_worker")  # inherited by the worker processes
    db = tmp_path / "dask.duckdb"
    summary = run_batch([folder], db, config, BatchOptions(engine="dask", workers=2))
    assert summary.internal == 1
    errors = dict(rows(db, "SELECT path, reason || ' / ' || kind FROM errors"))
    assert errors[str(killer)] == "worker process died on both attempts (crash or out of memory) / internal"
    assert errors[str(folder / "empty.txt")] == "empty file / empty"
    expected = contents(reference)
    got = contents(db)
    killer_doc = rows(reference, f"SELECT doc_id FROM files WHERE path = '{killer}'")[0][0]
    for table, table_rows in expected.items():
        if table == "errors":
            continue
        assert got[table] == [row for row in table_rows if killer_doc not in row and str(killer) not in row], table


def test_the_time_limit_stops_a_document_off_the_main_thread():
    """Dask runs tasks in a worker thread, where an alarm signal cannot reach: the limit interrupts it there."""
    import threading
    import time

    from extractor.batch_dask import _thread_time_limit
    from extractor.errors import ReadError

    caught: list[BaseException] = []

    def slow_document() -> None:
        try:
            with _thread_time_limit("slow.txt", 1):
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:  # Python work the interruption can land in
                    pass
        except ReadError as error:
            caught.append(error)

    started = time.monotonic()
    worker = threading.Thread(target=slow_document)
    worker.start()
    worker.join(timeout=30)
    assert caught and isinstance(caught[0], ReadError)
    assert (caught[0].kind, caught[0].reason) == ("timeout", "timeout after 1s (the limit per document; see --timeout)")
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_a_broken_data_file_stops_the_cluster_batch_with_one_line(tmp_path: Path):
    """The worker's DataError comes back to the command: exit 3, one line, no Dask log or traceback."""
    import os
    import subprocess
    import sys

    from extractor.paths import SCHEMAS

    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    rules = root / "rules" / "table.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("weights_total", "weights_totl", 1), encoding="utf-8")
    corpus = SCHEMAS.parent / "corpus"
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "batch", str(corpus / "yunnan_edu_2024.txt"), "--db",
         str(tmp_path / "x.duckdb"), "--engine", "dask", "--workers", "1", "--quiet"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "JIXIAO_SCHEMAS": str(root)},
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"jixiao: {rules}: unknown key 'tables.weights_totl' (misspelled? 'tables.weights_total' is missing)"
    ]


def test_an_address_without_the_dask_engine_is_a_usage_error(tmp_path: Path, capsys):
    code = main(["batch", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--address", "tcp://10.0.0.5:8786"])
    assert code == 2
    assert capsys.readouterr().err.strip() == "jixiao: --address: names a Dask scheduler: use it with --engine dask"
    assert not (tmp_path / "x.duckdb").exists()  # refused before anything was done
