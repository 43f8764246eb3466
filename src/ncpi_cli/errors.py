"""The library's expected failures, in domain words. The CLI maps each kind to an exit code.

A check that finds a mismatch is not an exception: the output is still written, and
`Result.mismatches` lets the caller decide (the CLI exits 4 afterwards).
"""

from __future__ import annotations

from .model import Problem


class NcpiError(Exception):
    """An expected failure: reported as one clear message, never a traceback."""


class InputError(NcpiError):
    """A named input cannot be found or read as a data file or directory."""


class SelectionError(NcpiError):
    """A selection the data or the analysis cannot honour: an unknown force, inspection,
    practice area or sample, or a combination the analysis does not take."""


class DataError(NcpiError):
    """The data failed validation; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        super().__init__(f"the data failed validation: {n} problem{'s' if n != 1 else ''}")


class ResourceError(NcpiError):
    """The machine ran out of memory (or another resource) for this input."""


class OutputError(NcpiError):
    """An output cannot be written."""


class OverwriteError(NcpiError):
    """An output would overwrite an input of the run, another output, or the file standard
    output is redirected to: refused before anything is read or written."""
