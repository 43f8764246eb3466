"""The vocabulary of the NCPI programme: grade scales, practice areas, samples, assessors.

Everything here is data from the format contract (`data-format.md`), kept in one place so
that validation, analysis and output agree on spellings and on order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    #: the words of published 2024-methodology judgments (whether "outstanding" exists, as
    #: in PEEL, is not confirmed: adding it here, and to GRADES, is the whole change)
    "ncpi-2024": ("good", "adequate", "requires_improvement", "inadequate"),
}
DEFAULT_METHODOLOGY = "ncpi-2017"
#: The methodology whose inspections grade topics (`judgments`), not only cases.
TOPIC_METHODOLOGY = "ncpi-2024"

#: The five topics graded since 2024, in the order reports list them.
TOPICS: dict[str, str] = {
    "leadership": "leadership of child protection arrangements",
    "partnership-working": "working with safeguarding partners",
    "initial-response": "responding to children at risk of harm",
    "risk-assessment-and-referral": "assessing risk to children and making appropriate "
                                    "referrals",
    "investigation": "investigating child abuse, neglect and exploitation",
}
#: What a recommendation record is: a recommendation, a cause of concern (the
#: recommendations made under it name it in `under`) or an area for improvement.
RECOMMENDATION_TYPES: tuple[str, ...] = ("recommendation", "cause-of-concern",
                                         "area-for-improvement")
#: A PCC's assurance on the force's response, as PCCs publish it.
ASSURANCE_LEVELS: tuple[str, ...] = ("assured", "partly-assured", "not-assured")

ACCEPTED_GRADE_SPELLINGS = (
    "good, adequate, requires improvement (also requires-improvement, requires_improvement, "
    "requiring improvement, RI), inadequate"
)


def parse_grade(text: str) -> str | None:
    """The grade key for an accepted spelling (case, spaces and punctuation ignored)."""
    return VOCABULARIES["grade"].lookup(text)


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
#: The columns of a case table (one row per case), in the order a template lays them out.
CASE_COLUMNS: tuple[str, ...] = ("id", "inspection", "area", "sample", "force_grade",
                                 "inspector_grade", "themes")
ASSESSORS: tuple[str, ...] = ("force", "inspector")
INSPECTION_KINDS: tuple[str, ...] = ("inspection", "re-inspection", "post-inspection-review",
                                     "quarterly-update", "assessment-of-progress", "thematic",
                                     "self-audit")
#: Kinds that revisit an earlier inspection (its `follows`): compared with it, and pooled
#: with each other rather than with inspections.
FOLLOW_UP_KINDS: tuple[str, ...] = ("post-inspection-review", "quarterly-update",
                                    "assessment-of-progress")
#: The combined count of every grade but good ("278 of 374 required improvement or were
#: inadequate"), the one combination sources print.
NOT_GOOD = "not_good"
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


def label_key(text: str) -> str:
    """How labels are compared: case, spaces and punctuation ignored ('Self-assessed',
    'self assessed' and 'SELF_ASSESSED' are one label)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def did_you_mean(value: str, candidates: Sequence[str], shown: Sequence[str] | None = None,
                 cutoff: float = 0.6) -> str:
    """`did you mean 'custody'? ` where a value is close to one of the candidates (difflib's
    ratio of at least `cutoff`), else ''. `shown[i]` is what to name for `candidates[i]`."""
    import difflib

    folded = [c.casefold() for c in candidates]
    close = difflib.get_close_matches(value.casefold(), folded, n=3, cutoff=cutoff)
    names = list(dict.fromkeys((shown or candidates)[folded.index(c)] for c in close))
    return "did you mean " + " or ".join(f"'{n}'" for n in names) + "? " if names else ""


@dataclass(frozen=True)
class Vocabulary:
    """The values a label can take, in order, and the other spellings people use for each.
    Every reader (YAML and case tables alike) accepts a value by `lookup`."""

    what: str
    keys: tuple[str, ...]
    #: key -> documented other spellings (the key itself always matches)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lookup(self, text: str) -> str | None:
        key = label_key(text)
        return self._index.get(key) or (ALL if key == ALL else None)

    def did_you_mean(self, text: str) -> str:
        """The near spellings of an unknown label, named by their keys: a typing slip
        ('Custdy'), not another word ('half-assured' is no 'partly-assured')."""
        spellings = list(self._index)
        return did_you_mean(label_key(text), spellings,
                            [self._index[s].replace("_", " ") for s in spellings], cutoff=0.8)

    @property
    def _index(self) -> dict[str, str]:
        index = _INDEXES.get(self.what)
        if index is None:
            index = {}
            for key in self.keys:
                for spelling in (key, *self.aliases.get(key, ())):
                    index[label_key(spelling)] = key
            _INDEXES[self.what] = index
        return index


_INDEXES: dict[str, dict[str, str]] = {}

#: Every label vocabulary and its aliases: the one table the docs list.
VOCABULARIES: dict[str, Vocabulary] = {
    "grade": Vocabulary("grade", GRADES, {
        "requires_improvement": ("requires improvement", "requiring improvement", "RI"),
    }),
    "area": Vocabulary("practice area", tuple(AREAS), {
        "s46": ("section 46", "police protection"),
        "s47": ("section 47", "s47 enquiries", "section 47 enquiries"),
        "domestic-abuse": ("domestic abuse referrals", "DA"),
        "other-referrals": ("other incidents",),
        "cse": ("child sexual exploitation",),
        "missing": ("missing children", "missing and absent children", "missing and absent"),
        "rso": ("sex offender management", "registered sex offenders", "sex offenders"),
        "custody": ("police custody", "children in custody", "detained children"),
        "online-abuse": ("online child sexual abuse", "indecent images"),
        "unexpected-death": ("sudden and unexpected deaths", "unexpected deaths",
                             "sudden unexpected death"),
    }),
    "sample": Vocabulary("sample", SAMPLES, {
        "self-assessed": ("self-assessment", "force-selected", "self"),
        "inspector-selected": ("inspectors-selected", "inspector-chosen", "HMICFRS-selected"),
    }),
    "assessor": Vocabulary("assessor", ASSESSORS, {
        "force": ("self",),
        "inspector": ("inspectors", "HMICFRS"),
    }),
    "country": Vocabulary("country", COUNTRIES),
    "topic": Vocabulary("topic", tuple(TOPICS), {
        "leadership": ("leadership of child protection arrangements", "leadership and "
                       "management"),
        "partnership-working": ("partnership", "working with safeguarding partners",
                                "partnership working with safeguarding partners"),
        "initial-response": ("responding to children at risk of harm", "response to children "
                             "at risk of harm", "responding to children at risk"),
        "risk-assessment-and-referral": ("risk assessment", "assessing risk to children and "
                                         "making appropriate referrals",
                                         "risk assessment and referrals"),
        "investigation": ("investigations", "investigating child abuse, neglect and "
                          "exploitation", "investigating reports of child abuse, neglect and "
                          "exploitation"),
    }),
    "assurance": Vocabulary("assurance level", ASSURANCE_LEVELS, {
        "partly-assured": ("partially assured", "partial assurance"),
        "not-assured": ("unassured",),
    }),
    "column": Vocabulary("case table column", CASE_COLUMNS, {
        "id": ("case ref", "case reference", "case id", "case number", "case no", "reference",
               "ref"),
        "inspection": ("inspection id",),
        "area": ("practice area", "area of practice"),
        "sample": ("sample type", "selection"),
        "force_grade": ("force grade", "self-assessment grade", "self-assessed grade",
                        "force assessment"),
        "inspector_grade": ("inspector grade", "inspectors grade", "inspectors' grade",
                            "HMICFRS grade"),
        "themes": ("theme", "tags"),
    }),
}


def area_order(area: str) -> int:
    """Sort key: practice areas in format order, the all-areas row last."""
    keys = list(AREAS)
    return keys.index(area) if area in AREAS else len(keys)


def sample_order(sample: str) -> int:
    return (ALL, *SAMPLES).index(sample)


#: the agreement coefficients (most with `_se`, `_ci_low`, `_ci_high`) and their names in
#: words, for views that print them as a panel
COEFFICIENTS = (("kappa", "kappa"), ("kappa_linear", "linear-weighted kappa"),
                ("ac1", "Gwet's AC1"), ("ac2_linear", "Gwet's AC2, linear weights"),
                ("ac2_quadratic", "Gwet's AC2, quadratic weights"),
                ("bp", "Brennan-Prediger"), ("alpha_ordinal", "Krippendorff's alpha, ordinal"),
                ("alpha_nominal", "Krippendorff's alpha, nominal"))
