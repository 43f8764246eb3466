"""One file's YAML document to records: the top-level mapping, its format version and its
sections, each record read by its kind's rule."""

from __future__ import annotations

import yaml

from ncpi_cli import domain
from ncpi_cli.model import Problem

from .fields import FileRecords, RecordReader, read_record
from .nodes import REFUSED_TAG, StreamedSequence, compose, describe
from .rules import RULES, SECTIONS


def new_records(file: str) -> FileRecords:
    return FileRecords(file, counts=dict.fromkeys(SECTIONS, 0))


class RecordSink:
    """Reads each record of a section as the composer hands it over, so a large file's node
    tree is never held whole: memory grows with the records kept, not with the text."""

    sections = SECTIONS

    def __init__(self, file: str):
        self.file = file
        self.reset()

    def reset(self) -> None:
        self.records = FileRecords(self.file)

    def item(self, section: str, node: yaml.Node, index: int) -> None:
        read_record(self.records, RULES[section], node, index)


def read_text(text: str, file: str) -> FileRecords:
    """Every record of a file's text, by the precise path (YAML nodes with their lines)."""
    records = new_records(file)
    compose_into(records, text)
    return records


def compose_into(records: FileRecords, text: str) -> yaml.Node | None:
    """Compose a text and read its document into `records`; the document node (with its
    section lists emptied into `records`), or None when the text holds no document."""
    sink = RecordSink(records.file)
    node, problems = compose(text, records.file, sink=sink)
    if node is not None:
        read_document(node, records)
        records.problems.extend(sink.records.problems)
        records.pending.extend(sink.records.pending)
        for key, origin in sink.records.rejected.items():
            records.rejected.setdefault(key, origin)
    records.problems[:0] = problems
    return node


def read_document(node: yaml.Node, records: FileRecords) -> None:
    """The top-level mapping: `ncpi: 1` and lists of records (those not streamed)."""
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
        listed = top.fields.get(section)
        records.counts[section] = (listed.count if isinstance(listed, StreamedSequence)
                                   else len(items))
        for index, item in enumerate(items):
            if item.tag != REFUSED_TAG:
                read_record(records, RULES[section], item, index)
