"""Legacy office files (.doc, .wps, .rtf, .xls, .et) converted to .docx / .xlsx by LibreOffice.

`soffice --headless --convert-to` runs once per file, each run with its own user profile directory:
two LibreOffice processes sharing a profile lock each other out, and batch reads files in parallel.
The conversion has a timeout (a broken file can hang the import filter), and the temporary
directory with the copy, the profile and the output is removed however the run ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReadError

TIMEOUT_SECONDS = 120.0  # a 200-page .doc converts in ~10 s on one core; a hung import filter never ends
# each legacy format: the name LibreOffice gets it under, what it becomes, the Debian package with the filter.
# WPS Office writes .wps and .et in the Word 97 and Excel 97 binary formats: under a .wps name
# LibreOffice would try the (different) Microsoft Works filter, so the copy is named by its content.
FORMATS = {
    "doc": (".doc", "docx", "libreoffice-writer-nogui"),
    "wps": (".doc", "docx", "libreoffice-writer-nogui"),
    "rtf": (".rtf", "docx", "libreoffice-writer-nogui"),
    "xls": (".xls", "xlsx", "libreoffice-calc-nogui"),
    "et": (".xls", "xlsx", "libreoffice-calc-nogui"),
}
_EXECUTABLES = ("soffice", "libreoffice")


def soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return next((found for name in _EXECUTABLES if (found := shutil.which(name))), None)


def convert(path: Path, data: bytes, fmt: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The bytes of `data`, a file of legacy format `fmt` (doc wps rtf xls et), saved as .docx / .xlsx by LibreOffice."""
    suffix, target, package = FORMATS[fmt]
    if soffice() is None:
        raise ReadError(
            path, f".{fmt} file: LibreOffice is needed to convert it to .{target} (apt-get install {package})", "legacy"
        )
    return save_as(path, data, suffix, target, timeout)


def save_as(path: Path, data: bytes, suffix: str, target: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """`data` (a file of type `suffix`, e.g. ".doc") saved by LibreOffice as `target` ("docx", "xls" ...).
    `path` names the file in errors."""
    executable = soffice()
    if executable is None:
        raise ReadError(path, "LibreOffice (soffice) is not installed", "legacy")
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as work:
        folder = Path(work)
        # a plain ASCII name keeps soffice's command line and output name predictable
        source = folder / f"input{suffix}"
        source.write_bytes(data)
        command = [
            executable,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            # start_new_session: on a timeout the whole process group (soffice.bin too) is killed
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            try:
                _, errors = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                raise ReadError(path, f"LibreOffice did not convert it within {timeout:g} s", "timeout") from None
        except OSError as error:
            raise ReadError(path, f"LibreOffice could not be started ({error.strerror})") from None
        output = folder / "out" / f"input.{target}"
        if process.returncode != 0 or not output.exists():
            detail = errors.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit code {process.returncode}"
            raise ReadError(path, f"LibreOffice could not convert it to .{target} ({reason})")
        return output.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
