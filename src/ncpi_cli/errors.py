"""The one family of expected failures, each with the exit code the CLI contract gives it.

A check that finds a mismatch (exit 4) is not an exception: the output is still written,
and `Result.mismatches` makes the command exit 4 afterwards."""

from __future__ import annotations

from .model import Problem


class NcpiError(Exception):
    """An expected failure: reported as one clear message, never a traceback."""

    exit_code = 1


class UsageError(NcpiError):
    """Unknown option value, unknown force or area, file not found (exit 2)."""

    exit_code = 2


class DataError(NcpiError):
    """The data failed validation (exit 3); carries every problem found."""

    exit_code = 3

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        super().__init__(f"the data failed validation: {n} problem{'s' if n != 1 else ''}")
