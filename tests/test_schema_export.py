"""The exported JSON Schemas in schemas/ must match the pydantic models they come from."""

import pytest

from extractor.paths import SCHEMAS
from extractor.schema import SCHEMA_FILES, render


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_exported_schema_matches_models(name):
    exported = (SCHEMAS / name).read_text(encoding="utf-8")
    assert exported == render(SCHEMA_FILES[name]), f"schemas/{name} is stale: run `jixiao schema --write`"


def test_money_is_a_string_in_json():
    """Decimal serialises as a string, so no JSON reader turns money into a float."""
    schema = SCHEMA_FILES["record.schema.json"].model_json_schema(mode="serialization")
    value = schema["$defs"]["Fact"]["properties"]["value"]
    assert value.get("type") == "string" or any(t.get("type") == "string" for t in value.get("anyOf", []))
