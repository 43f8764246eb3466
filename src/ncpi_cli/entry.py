"""The `ncpi` console script: the only module that imports the CLI."""

from __future__ import annotations


def main() -> None:
    """The `ncpi` command. Ctrl-C while the tool is still starting (importing) ends it with
    one line and exit 130, never a traceback."""
    import sys

    try:
        from .cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        raise SystemExit(130) from None
