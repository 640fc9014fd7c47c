"""Where the data files of `schemas/` live (override with JIXIAO_SCHEMAS)."""

from __future__ import annotations

import os
from pathlib import Path

SCHEMAS = Path(os.environ.get("JIXIAO_SCHEMAS", Path(__file__).resolve().parent.parent / "schemas"))
