"""Reading files: YAML that PyYAML would accept silently is refused here, with its line."""

from __future__ import annotations

import pytest

from ncpi_cli.errors import InputError
from ncpi_cli.ingest import load, nodes
from ncpi_cli.ingest.nodes import compose


def _lines(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_anchor_and_alias_are_refused_not_expanded(check):
    doc = ("ncpi: 1\nforces:\n  - &g {id: gwent, name: Gwent Police}\n  - *g\n")
    assert _lines(check(doc)) == [
        "data.yaml:3: YAML anchor &g is not allowed: ncpi files use no anchors or aliases, "
        "write each record out in full",
        "data.yaml:4: YAML alias *g is not allowed: write the value out in full",
    ]


def test_alias_bomb_is_refused_without_expansion(check):
    # the "billion laughs": 9 levels of 9 aliases would expand to 9**9 strings
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        levels.append(f"a{i}: &a{i} [{refs}]")
    result = check("ncpi: 1\n" + "\n".join(levels) + "\n")
    messages = [p.message for p in result.problems]
    refusals = [m for m in messages if m.startswith(("YAML alias", "YAML anchor"))]
    assert len(refusals) == 20  # 81 aliases and 10 anchors: the first 20 listed, then a count
    assert "... and 71 more anchors and aliases, not listed" in messages


def test_merge_key_is_refused(check):
    doc = ("ncpi: 1\nforces:\n  - {id: a, name: A}\n  - {<<: {name: B}, id: b}\n")
    assert _lines(check(doc)) == [
        "data.yaml:4: force b: key '<<' is read by YAML as a value with the unsupported YAML "
        "tag tag:yaml.org,2002:merge, not text",
        "data.yaml:4: force b: missing required key 'name'",
    ]


def test_python_tags_are_never_constructed(check):
    doc = "ncpi: 1\nforces:\n  - {id: a, name: !!python/name:os.system x}\n"
    assert _lines(check(doc)) == [
        "data.yaml:3: force a: 'name' must be text, not a value with the unsupported YAML tag "
        "tag:yaml.org,2002:python/name:os.system"]


def test_custom_tag_on_a_record_is_refused(check):
    doc = "ncpi: 1\nforces:\n  - !force {id: a, name: A}\n"
    assert _lines(check(doc)) == [
        "data.yaml:3: force a: unsupported YAML tag !force: ncpi files use no tags"]


def test_syntax_error_names_line(check):
    assert _lines(check("ncpi: 1\nforces:\n  - {id: a, name: A\n")) == [
        "data.yaml:4: YAML syntax error: while parsing a flow mapping, expected ',' or '}', "
        "but got '<stream end>'"]


def test_more_than_one_document(check):
    assert _lines(check("ncpi: 1\n---\nncpi: 1\n")) == [
        "data.yaml:2: more than one YAML document ('---') in the file: ncpi reads one "
        "document per file"]


def test_empty_file(check):
    assert _lines(check("")) == [
        "data.yaml:1: the file is empty: expected a mapping that starts with 'ncpi: 1'"]


def test_non_utf8_bytes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "latin1.yaml").write_bytes("ncpi: 1\nforces:\n  - {id: a, name: Caf\xe9}\n"
                                           .encode("latin-1"))
    assert _lines(load(["latin1.yaml"])) == [
        "latin1.yaml:3: not valid UTF-8 (byte 0xe9): save the file as UTF-8"]


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfncpi: 1\nforces:\n  - {id: a, name: A}\n")
    result = load([path])
    assert result.ok and list(result.dataset.forces) == ["a"]


def test_control_character(check):
    assert _lines(check("ncpi: 1\nforces:\n  - {id: a, name: \"A\x07\"}\n")) == [
        "data.yaml:3: character U+0007 is not allowed in a YAML file"]


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match=r"no such file or directory: .*nope\.yaml"):
        load([tmp_path / "nope.yaml"])


def test_directory_without_yaml_is_a_usage_error(tmp_path):
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(InputError, match=r"no \*\.yaml or \*\.yml files in directory"):
        load([tmp_path])


def test_a_directory_of_case_tables_says_to_name_them(tmp_path):
    """A directory is read for YAML only (an output written there is not an input)."""
    (tmp_path / "audit.csv").write_text("id\n")
    (tmp_path / "more.xlsx").write_bytes(b"")
    with pytest.raises(InputError) as raised:
        load([tmp_path])
    assert str(raised.value) == (f"no *.yaml or *.yml files in directory {tmp_path} (a case "
                                 "table is read when named itself: audit.csv, more.xlsx)")


def test_same_file_twice_is_read_once(write):
    path = write("ncpi: 1\nforces: [{id: a, name: A}]\n")
    result = load([path, path])
    assert result.ok and len(result.dataset.inputs) == 1


@pytest.mark.skipif(len(nodes._LOADERS) < 2, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("text", [
    "ncpi: 1\nforces:\n  - &g {id: gwent, name: G}\n  - *g\n",
    "ncpi: 1\nforces:\n  - {id: a, name: A\n",
    "ncpi: 1\nforces:\n  - {id: a, name: A}\n  - {id: b, name: no, name: x}\n",
    "ncpi: 1\n---\nncpi: 1\n",
])
def test_libyaml_and_python_parsers_agree(text):
    """The fast (libyaml) path may not loosen validation nor move line numbers."""
    fast_node, fast = compose(text, "x.yaml", fast=True)
    slow_node, slow = compose(text, "x.yaml", fast=False)
    assert [(p.line, p.message) for p in fast] == [(p.line, p.message) for p in slow]
    assert (fast_node is None) == (slow_node is None)


def test_running_out_of_memory_is_reported_as_such(monkeypatch):
    """A MemoryError while reading becomes one clear error, not a traceback."""
    from ncpi_cli import ingest
    from ncpi_cli.errors import ResourceError

    def exhausted(*_args):
        raise MemoryError

    monkeypatch.setattr(ingest, "_read_file", exhausted)
    with pytest.raises(ResourceError, match="not enough memory to read the inputs"):
        load()


def test_records_stream_from_the_composer(write):
    """Section records are read as they are composed: the document keeps no section list
    (so memory follows the records kept, not the text), and counts are still right."""
    from ncpi_cli.ingest.nodes import StreamedSequence, compose

    text = ("ncpi: 1\nforces:\n  - {id: a, name: A}\n  - {id: b,\n     name: B}\n"
            "cases: 3\nforces: []\n")
    seen: list[tuple[str, int]] = []

    class Sink:
        sections = ("forces", "cases")

        def item(self, section, node, index):
            seen.append((section, index))

        def reset(self):
            seen.clear()

    node, _ = compose(text, "x.yaml", sink=Sink())
    values = {k.value: v for k, v in node.value[:3]}
    assert isinstance(values["forces"], StreamedSequence) and values["forces"].count == 2
    assert values["forces"].value == [] and seen == [("forces", 0), ("forces", 1)]
    assert not isinstance(node.value[3][1], StreamedSequence)  # a repeated key: not streamed
    result = load([write(text)])
    assert [p.message for p in result.problems] == [
        "'cases' must be a list, not an integer",
        "duplicate key 'forces' (first at line 2): YAML would silently keep only the last"]
    assert sorted(result.dataset.forces) == ["a", "b"]
    assert result.dataset.inputs[0].records["forces"] == 2


def test_an_unreadable_directory_is_an_input_error(tmp_path, monkeypatch):
    """A directory ncpi may not list (here: listing fails as it would without permission)."""
    from pathlib import Path

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", denied)
    with pytest.raises(InputError, match=r"cannot read directory .*: Permission denied"):
        load([tmp_path])


def test_a_directory_named_twice_lists_what_it_ignores_once(tmp_path):
    (tmp_path / "a.yaml").write_text("ncpi: 1\n")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    result = load([tmp_path, tmp_path])
    assert result.ignored == [str(tmp_path / "notes.txt")]
    assert result.skipped == [f"{tmp_path / 'sub'} (a directory: directories are not read "
                              "recursively)"]
