"""The data format as a JSON Schema, written from the same rules the readers apply, so an
editor's checks and ncpi's cannot drift apart (`docs/ncpi-data.schema.json`; a test
compares the committed file with this).

The schema checks shape, types, keys and spellings. Checks that need more than one record
(ids unique across files, references, grades on the inspection's scale, a force grade on
self-assessed cases) are ncpi's alone.

    python -m ncpi_cli.ingest.schema > docs/ncpi-data.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from ncpi_cli import domain

from .fields import DATE_WINDOW, MAX_COUNT, SLUG, SOURCE_KEYS, Field, Rule
from .rules import RULES, SECTIONS


def _spelling_pattern(spellings: list[str]) -> str:
    """A regular expression that matches what `domain.label_key` makes one of these
    spellings: letters in either case, anything but letters and digits between them."""
    gap = "[^A-Za-z0-9]*"
    alternatives = []
    for spelling in spellings:
        key = domain.label_key(spelling)
        alternatives.append(gap.join(f"[{ch}{ch.upper()}]" if ch.isalpha() else ch
                                     for ch in key))
    return f"^{gap}(?:{'|'.join(alternatives)}){gap}$"


def _choice(field: Field) -> dict[str, Any]:
    if field.vocabulary is None and field.type != "grade":
        return {"enum": list(field.choices)}
    vocabulary = domain.VOCABULARIES[field.vocabulary or "grade"]
    keys = list(field.choices) if field.choices else list(vocabulary.keys)
    spellings = [spelling for key in keys if key in vocabulary.keys
                 for spelling in (key, *vocabulary.aliases.get(key, ()))]
    spellings += [key for key in keys if key not in vocabulary.keys]  # `all`
    return {"type": "string", "pattern": _spelling_pattern(spellings),
            "examples": keys}


def _source() -> dict[str, Any]:
    types = {"date": {"type": "string", "pattern": f"^{DATE_WINDOW.pattern}$"},
             "primary": {"type": "boolean"}}
    return {"type": "object", "additionalProperties": False,
            "properties": {key: types.get(key, {"type": "string"}) for key in SOURCE_KEYS}}


def _field(field: Field) -> dict[str, Any]:
    out: dict[str, Any]
    if field.type in ("text", "id"):
        out = {"type": "string", "pattern": r"\S"}
    elif field.type == "slug":
        out = {"type": "string", "pattern": f"^{SLUG.pattern}$"}
    elif field.type in ("choice", "grade"):
        out = _choice(field)
    elif field.type == "count":
        out = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    elif field.type == "date":
        out = {"type": "string", "pattern": f"^{DATE_WINDOW.pattern}$"}
    elif field.type == "flag":
        out = {"type": "boolean"}
    elif field.type == "scalar":
        out = {"type": ["integer", "string"]}
    elif field.type == "slugs":
        item = ({"enum": list(field.choices)} if field.choices
                else {"type": "string", "pattern": f"^{SLUG.pattern}$"})
        out = {"type": "array", "items": item}
    elif field.type in ("source", "citation"):
        out = _source()
        if field.type == "citation":
            out = {"oneOf": [{"type": "string", "pattern": r"\S"}, out]}
    else:
        assert field.item is not None
        out = {"type": "array", "items": record_schema(field.item)}
    if field.meaning:
        out["description"] = field.meaning
    return out


def record_schema(rule: Rule) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.key for f in rule.fields if f.required],
        "properties": {f.key: _field(f) for f in rule.fields},
    }


def json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"ncpi data file, format version {domain.FORMAT_VERSION}",
        "description": "National Child Protection Inspection case-audit records and published "
                       "figures, as read by ncpi. Written from ncpi's own record rules.",
        "type": "object",
        "additionalProperties": False,
        "required": ["ncpi"],
        "properties": {
            "ncpi": {"const": domain.FORMAT_VERSION, "description": "the format version"},
            **{section: {"type": "array", "items": record_schema(RULES[section])}
               for section in SECTIONS},
        },
    }


def key_table(rule: Rule) -> str:
    """A record kind's keys as the Markdown table `docs/data-format.md` shows (a test
    checks that the document holds each table as written here)."""
    lines = ["| key | required | meaning |", "|---|---|---|"]
    for f in rule.fields:
        lines.append(f"| `{f.key}` | {'yes' if f.required else 'no'} | {f.meaning} |")
    return "\n".join(lines)


def alias_table() -> str:
    """Every label vocabulary with the other spellings it accepts, as a Markdown table."""
    lines = ["| label | value | also accepted |", "|---|---|---|"]
    for vocabulary in domain.VOCABULARIES.values():
        for key in vocabulary.keys:
            aliases = ", ".join(f"`{a}`" for a in vocabulary.aliases.get(key, ()))
            lines.append(f"| {vocabulary.what} | `{key}` | {aliases} |")
    return "\n".join(lines)


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
