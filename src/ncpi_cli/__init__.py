"""ncpi: grade distributions and self-assessment comparisons for NCPI case audits."""

__version__ = "0.1.0"

