"""One file's YAML document to records: the top-level mapping, its format version and its
sections, each record read by its kind's rule."""

from __future__ import annotations

import yaml

from ncpi_cli import domain
from ncpi_cli.model import Problem

from .fields import FileRecords, RecordReader, read_record
from .nodes import REFUSED_TAG, compose, describe
from .rules import RULES, SECTIONS


def new_records(file: str) -> FileRecords:
    return FileRecords(file, counts=dict.fromkeys(SECTIONS, 0))


def read_text(text: str, file: str) -> FileRecords:
    """Every record of a file's text, by the precise path (YAML nodes with their lines)."""
    node, problems = compose(text, file)
    records = new_records(file)
    if node is not None:
        read_document(node, records)
    records.problems[:0] = problems
    return records


def read_document(node: yaml.Node, records: FileRecords) -> None:
    """The top-level mapping: `ncpi: 1` and lists of records."""
    if not isinstance(node, yaml.MappingNode):
        records.problems.append(Problem(records.file, node.start_mark.line + 1, "",
                                        "the file must hold a mapping with 'ncpi: 1' and "
                                        f"lists of records, not {describe(node)}"))
        return
    top = RecordReader(records, node, "", ("ncpi", *SECTIONS))
    if "ncpi" not in top.fields:
        top.problem(None, "missing 'ncpi: 1' (the format version) at the top of the file")
    else:
        version = top.count("ncpi")
        if version is not None and version != domain.FORMAT_VERSION:
            top.problem(top.fields["ncpi"], f"unsupported format version {version}: this "
                                            f"ncpi reads version {domain.FORMAT_VERSION}")
    for section in SECTIONS:
        items = top.sequence(section)
        records.counts[section] = len(items)
        for index, item in enumerate(items):
            if item.tag != REFUSED_TAG:
                read_record(records, RULES[section], item, index)
