"""The JSON Schema of the record, exported to `schemas/record.schema.json`.

The pydantic models in `records.py` are the source of truth; `jixiao schema --write` regenerates the
file and a test fails when the two drift.
"""

from __future__ import annotations

import json

from .paths import SCHEMAS
from .records import Document, Record

SCHEMA_FILES = {"record.schema.json": Record, "document.schema.json": Document}


def render(model) -> str:
    schema = model.model_json_schema(mode="serialization")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all() -> list[str]:
    written = []
    for name, model in SCHEMA_FILES.items():
        (SCHEMAS / name).write_text(render(model), encoding="utf-8")
        written.append(str(SCHEMAS / name))
    return written
