"""What analyses may use of a record whose sources disagree: never a disputed figure."""

from __future__ import annotations

from array import array
from collections import Counter

from ncpi_cli.model import (
    Case,
    CaseBlock,
    Cases,
    Dispute,
    Inspection,
    Origin,
    PartialDate,
    Tally,
    settled_date,
)

HERE = Origin("t.yaml", 1)


def _tally(**kwargs) -> Tally:
    base = dict(inspection="i", assessor="inspector", sample="all", area="all",
                counts={"good": 20, "requires_improvement": 35, "inadequate": 28},
                origin=HERE, label="tally #1")
    return Tally(**{**base, **kwargs})


def test_a_disputed_count_gives_no_total_unless_one_is_stated():
    # 20 + 35 + 28 = 83, but 23 inadequate in another source would make it 78: neither
    # total may be divided by unless the source states one (and it is not disputed).
    dispute = (Dispute("inadequate", 23, "Paper B"),)
    assert _tally(disputes=dispute).usable_total is None
    assert _tally(disputes=dispute, stated_total=83).usable_total == 83
    assert _tally().usable_total == 83


def test_a_disputed_stated_total_of_a_partial_tally_gives_none():
    partial = _tally(counts={}, unstated=("good", "requires_improvement", "inadequate"),
                     not_good=278, stated_total=374,
                     disputes=(Dispute("stated_total", 384, "Paper C"),))
    assert partial.usable_total is None


def _inspection(published, disputes, primary=None) -> Inspection:
    source = {} if primary is None else {"primary": primary}
    return Inspection("i", "f", "inspection", HERE, published=published, disputes=disputes,
                      source=source)


def test_a_primary_date_is_used_over_a_secondary_one():
    insp = _inspection(PartialDate(2015, 9), (Dispute("published", PartialDate(2015, 7),
                                                      "HMIC", primary=True),), primary=False)
    date, note = settled_date(insp, "published")
    assert str(date) == "2015-07" and "from the primary source is used" in note


def test_dates_of_the_same_standing_become_the_window_spanning_both():
    insp = _inspection(PartialDate(2017, 10), (Dispute("published", PartialDate(2017, 5),
                                                       "HMICFRS", primary=True),), primary=True)
    date, note = settled_date(insp, "published")
    assert (date.earliest().isoformat(), date.latest().isoformat()) == ("2017-05-01",
                                                                       "2017-10-31")
    assert note == ("published disputed (2017-10 or 2017-05): the window spanning them is "
                    "used")


def test_cases_read_one_by_one_and_in_bulk_are_one_sequence_in_the_order_read():
    """A block's cases are made on demand; its profiles are counted from its codes, and
    must equal counting the cases themselves (the way analyses counted before blocks)."""
    one = Case("Y1", "i", "s47", "inspector-selected", Origin("a.yaml", 3), None, "good")
    values = (("i", "s47", "self-assessed", "good", "good", ()),
              ("i", "cse", "inspector-selected", None, "inadequate", ()))
    block = CaseBlock("t.csv", 2, dict.fromkeys(["C1", "C2", "C3"]), array("i", [1, 0, 1]),
                      values)
    cases = Cases([one])
    cases.add_block(block)
    cases.append(Case("Y2", "i", "s47", "self-assessed", Origin("b.yaml", 4), "good", "good"))
    assert len(cases) == 5
    assert [(c.id, str(c.origin)) for c in cases] == [
        ("Y1", "a.yaml:3"), ("C1", "t.csv:2"), ("C2", "t.csv:3"), ("C3", "t.csv:4"),
        ("Y2", "b.yaml:4")]
    assert cases[2] == Case("C2", "i", "s47", "self-assessed", Origin("t.csv", 3), "good",
                            "good")
    assert block.origin_of("C3") == Origin("t.csv", 4)
    by_case = Counter((c.inspection, c.area, c.sample, c.force_grade, c.inspector_grade)
                      for c in cases)
    assert cases.profiles() == by_case and list(cases.profiles()) == list(by_case)
    assert cases == list(cases) and cases != list(cases)[:4]


def test_cases_take_a_run_of_any_iterable_and_are_never_equal_to_text():
    one = Case("Y1", "i", "s47", "inspector-selected", Origin("a.yaml", 3), None, "good")
    cases = Cases()
    cases.extend((one,))
    cases.append(one)
    cases.extend(c for c in [one])
    assert len(cases) == 3 and cases != "" and Cases() != ""
