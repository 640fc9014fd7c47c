"""Property-based fuzzing of every reader: mutated bytes of corpus files never make an internal error.

Whatever the bytes, `jixiao check` must end with exit 0, 1 or 2 (read, or refused in one line), never 3
(a bug), within its time limit. Examples are derandomized so CI is stable; JIXIAO_FUZZ_EXAMPLES=500 runs a
longer search locally.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOURCES = {
    "txt": "yunnan_edu_2024.txt",
    "html": "hubei_health_2024.html",
    "docx": "heshan_commerce_2024.docx",
    "pdf": "heshan_commerce_2024.pdf",
}
EXAMPLES = int(os.environ.get("JIXIAO_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is bounded by check --timeout, asserted below
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutations(draw, data: bytes) -> bytes:
    """`data` with a few edits: bytes overwritten, a span deleted or duplicated, the tail cut off."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["overwrite", "delete", "duplicate", "truncate", "insert"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        width = draw(st.integers(1, 64))
        if kind == "overwrite":
            out[at : at + width] = draw(st.binary(min_size=width, max_size=width))
        elif kind == "delete":
            del out[at : at + width]
        elif kind == "duplicate":
            out[at:at] = out[at : at + width] * draw(st.integers(1, 50))
        elif kind == "truncate":
            del out[at:]
        else:
            out[at:at] = draw(
                st.sampled_from([b"\x00", b"<", b"<!DOCTYPE x>", b"\xff\xfe", b"%PDF", "（".encode(), b"\n"])
            )
    return bytes(out)


def _check(tmp_path: Path, name: str, data: bytes, capsys) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["check", str(path), "--timeout", "30"])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    assert "internal error" not in err and "Traceback" not in err, err


def _source(fmt: str, tmp_path: Path) -> bytes:
    if fmt == "xlsx":  # no workbook in the corpus: a performance-target form as the fixtures write it
        from target_form_fixtures import GOOD, write_workbook

        return write_workbook(tmp_path / "source.xlsx", [("表1", GOOD)]).read_bytes()
    return (CORPUS / SOURCES[fmt]).read_bytes()


@pytest.mark.parametrize("fmt", sorted([*SOURCES, "xlsx"]))
def test_mutated_bytes_are_read_or_refused(fmt, tmp_path, capsys):
    source = _source(fmt, tmp_path)

    @FUZZ
    @given(mutations(source))
    def run(data: bytes) -> None:
        _check(tmp_path, f"fuzzed.{fmt}", data, capsys)

    run()


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_mutated_package_xml_is_read_or_refused(fmt, tmp_path, capsys):
    """Raw mutations of a .docx or .xlsx mostly break the zip; these break the XML inside a valid zip."""
    source = zipfile.ZipFile(io.BytesIO(_source(fmt, tmp_path)))
    members = {info.filename: source.read(info) for info in source.infolist()}
    parts = sorted(name for name in members if name.endswith((".xml", ".rels")))

    @FUZZ
    @given(st.sampled_from(parts), st.data())
    def run(part: str, data) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in members.items():
                archive.writestr(name, data.draw(mutations(blob)) if name == part else blob)
        _check(tmp_path, f"fuzzed.{fmt}", buffer.getvalue(), capsys)

    run()
