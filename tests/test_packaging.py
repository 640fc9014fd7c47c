"""The wheel carries the data of schemas/ (installed from a wheel, jixiao once loaded zero rules).

The whole round trip (fresh venv, run outside the checkout, same findings) is .ci/wheel-check; this is the
fast half: build the wheel and look inside.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_every_data_file(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("jixiao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {
        f"extractor/schemas/{p.relative_to(ROOT / 'schemas').as_posix()}"
        for p in (ROOT / "schemas").rglob("*")
        if p.is_file()
    }
    assert data and data <= names, sorted(data - names)
    assert "extractor/report/template.html" in names
    assert not any(name.startswith("schemas/") for name in names)  # inside the package, not a top-level folder
