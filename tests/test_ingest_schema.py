"""The format's documents are written from the validator's own rules: the JSON Schema and
the key tables of docs/data-format.md must equal what the rules give, and the schema must
accept what ncpi accepts (bundled and example files; label spellings)."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLE, REPO
from ncpi_cli import domain
from ncpi_cli.ingest.files import bundled_dir
from ncpi_cli.ingest.rules import FOLLOW_UP, PROGRESS, RESPONSE, RULES, UPDATE
from ncpi_cli.ingest.schema import alias_table, json_schema, key_table, schema_text

DOCS = REPO / "docs"
SCHEMA = json.loads((DOCS / "ncpi-data.schema.json").read_text(encoding="utf-8"))
FORMAT = (DOCS / "data-format.md").read_text(encoding="utf-8")


class _TextDates(yaml.SafeLoader):
    """YAML as an editor's language server reads it: a bare date stays text."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def test_the_committed_schema_is_the_one_the_rules_give():
    assert (DOCS / "ncpi-data.schema.json").read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -m ncpi_cli.ingest.schema > docs/ncpi-data.schema.json")


@pytest.mark.parametrize("path", [*sorted(bundled_dir().glob("*.yaml")), EXAMPLE],
                         ids=lambda p: p.name)
def test_bundled_and_example_files_pass_the_schema(path):
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("rule", [*RULES.values(), PROGRESS, FOLLOW_UP, RESPONSE, UPDATE],
                         ids=lambda r: r.kind)
def test_the_format_document_shows_each_key_table_as_the_rules_give_it(rule):
    assert key_table(rule) in FORMAT


def test_the_format_document_lists_every_alias():
    assert alias_table() in FORMAT


AREA_SCHEMA = json_schema()["properties"]["cases"]["items"]["properties"]["area"]
SPELLINGS = [s for key in domain.AREAS
             for s in (key, *domain.VOCABULARIES["area"].aliases.get(key, ()))]


def _schema_accepts(text: str) -> bool:
    return jsonschema.Draft202012Validator(AREA_SCHEMA).is_valid(text)


@given(st.one_of(
    st.sampled_from(SPELLINGS).map(str.upper),
    st.sampled_from(SPELLINGS).map(lambda s: s.replace(" ", "_").title()),
    st.sampled_from(SPELLINGS).map(lambda s: s[:-1]),
    st.text(alphabet="abcdeiklmnorstuxy -_4678", max_size=20)))
def test_schema_and_validator_agree_on_practice_area_spellings(text):
    """The schema's pattern is built independently of `label_key`'s regular expression;
    both must accept exactly the same spellings (ASCII; JSON Schema's \\W is ASCII)."""
    assert _schema_accepts(text) == (domain.VOCABULARIES["area"].lookup(text) in domain.AREAS)
