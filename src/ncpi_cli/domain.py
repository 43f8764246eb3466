"""The vocabulary of the NCPI programme: grade scales, practice areas, samples, assessors.

Everything here is data from the format contract (`data-format.md`), kept in one place so
that validation, analysis and output agree on spellings and on order.
"""

from __future__ import annotations

FORMAT_VERSION = 1

#: Every grade key the format knows, best to worst. Output columns follow this order.
GRADES: tuple[str, ...] = ("good", "adequate", "requires_improvement", "inadequate")

GRADE_LABELS: dict[str, str] = {
    "good": "good",
    "adequate": "adequate",
    "requires_improvement": "requires improvement",
    "inadequate": "inadequate",
}

#: Grade scales by methodology, best to worst.
SCALES: dict[str, tuple[str, ...]] = {
    "ncpi-2014": ("good", "adequate", "requires_improvement", "inadequate"),
    "ncpi-2017": ("good", "requires_improvement", "inadequate"),
}
DEFAULT_METHODOLOGY = "ncpi-2017"
#: Methodologies the format names but cannot yet hold (no case grades).
RESERVED_METHODOLOGIES: dict[str, str] = {
    "ncpi-2024": "graded judgments on five topics, not case grades",
}

_SPELLINGS: dict[str, str] = {
    "good": "good",
    "adequate": "adequate",
    "requires improvement": "requires_improvement",
    "requires-improvement": "requires_improvement",
    "requires_improvement": "requires_improvement",
    "requiring improvement": "requires_improvement",
    "ri": "requires_improvement",
    "inadequate": "inadequate",
}
ACCEPTED_GRADE_SPELLINGS = (
    "good, adequate, requires improvement (also requires-improvement, requires_improvement, "
    "requiring improvement, RI), inadequate"
)


def parse_grade(text: str) -> str | None:
    """The grade key for an accepted spelling (case-insensitive), or None."""
    return _SPELLINGS.get(" ".join(text.split()).lower())


def scale_text(methodology: str) -> str:
    return ", ".join(GRADE_LABELS[g] for g in SCALES[methodology])


#: Practice areas in the order the format lists them (and output sorts them).
AREAS: dict[str, str] = {
    "s46": "police protection (Children Act 1989 s46)",
    "s47": "enquiries under Children Act 1989 s47",
    "domestic-abuse": "referrals relating to domestic abuse",
    "other-referrals": "referrals arising from other incidents",
    "cse": "child sexual exploitation, online and offline",
    "missing": "missing and absent children",
    "rso": "sex offender management",
    "custody": "children detained in police custody",
    "online-abuse": "online child sexual abuse and indecent images",
    "unexpected-death": "sudden and unexpected deaths of children",
}
ALL = "all"

SAMPLES: tuple[str, ...] = ("self-assessed", "inspector-selected")
ASSESSORS: tuple[str, ...] = ("force", "inspector")
INSPECTION_KINDS: tuple[str, ...] = ("inspection", "post-inspection-review", "self-audit")
COUNTRIES: tuple[str, ...] = ("england", "wales")
UPDATE_STATUSES: tuple[str, ...] = ("not-started", "in-progress", "completed")
BASES: tuple[str, ...] = ("cases", "published")
#: Follow-up steps an NCPI report sets out ("Next steps").
FOLLOW_UP_EVENTS: dict[str, str] = {
    "update": "update on immediate recommendations",
    "action-plan": "action plan",
    "revisit": "revisit",
}
#: Who publishes a response to a report (Police Act 1996 s55: the PCC's comments).
RESPONDENTS: tuple[str, ...] = ("pcc", "force")


def area_order(area: str) -> int:
    """Sort key: practice areas in format order, the all-areas row last."""
    keys = list(AREAS)
    return keys.index(area) if area in AREAS else len(keys)


def sample_order(sample: str) -> int:
    return (ALL, *SAMPLES).index(sample)
