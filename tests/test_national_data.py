"""The bundled national figures (data/national.yaml) are the published ones.

The expected values below are transcribed from the published sources as gathered for the
national picture, independently of the YAML: each row names the source (its address) that
states the figures. The test loads the bundled data through `ncpi_cli.api` and compares
every figure, date, dispute and flag, then the totals.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import pytest

from ncpi_cli import api

NATIONAL = "bundled:national.yaml"
G, A, RI, IN = "good", "adequate", "requires_improvement", "inadequate"
FOUR = (G, A, RI, IN)
THREE = (G, RI, IN)
HMIC = "https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/"
HMIC2 = "https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/"
PAGE = "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
PAGE2 = "https://www.justiceinspectorates.gov.uk/hmicfrs/publication-html/"


class T(NamedTuple):
    """A published tally: counts stated, grades unstated, combined/percent figures, total,
    whether its source is the report or its publisher, disputes (key, value, primary)."""

    inspection: str
    assessor: str
    sample: str
    area: str
    counts: dict
    unstated: tuple
    not_good: int | None
    percent: dict
    stated_total: int | None
    primary: bool
    disputes: tuple
    url: str


def t(inspection, counts, total, primary, url, *, assessor="inspector", sample="all",
      area="all", unstated=(), not_good=None, percent=None, disputes=()):
    return T(inspection, assessor, sample, area, counts, tuple(unstated), not_good,
             percent or {}, total, primary, tuple(disputes), url)


TALLIES = [
    # West Midlands 2014: 115 cases; 5 of 9 CSE and 9 of 11 missing-from-home inadequate
    t("west-midlands-2014", {}, 115, False, "https://www.expressandstar.com/news/2014/10/29/"
      "west-midlands-police-have-six-weeks-to-improve-child-protection-investigations-after-"
      "scathing-report/", unstated=FOUR),
    t("west-midlands-2014", {IN: 5}, 9, False, "https://www.expressandstar.com/news/2014/10/29/"
      "west-midlands-police-have-six-weeks-to-improve-child-protection-investigations-after-"
      "scathing-report/", area="cse", unstated=(G, A, RI)),
    t("west-midlands-2014", {IN: 9}, 11, False, "https://www.publicsectorexecutive.com/"
      "Public-Sector-News/west-midlands-police-given-six-weeks-to-improve-child-protection",
      area="missing", unstated=(G, A, RI)),
    # West Yorkshire 2014 (published January 2015): the inspectors' 33 add up to 34, as published
    t("west-yorkshire-2015", {G: 17, A: 8, RI: 5, IN: 3}, 33, False, "https://itv.com/news/"
      "calendar/2015-01-13/west-yorkshire-police-criticised-for-inconsistent-responses-in-"
      "child-protection-report", assessor="force", sample="self-assessed"),
    t("west-yorkshire-2015", {G: 9, A: 8, RI: 7, IN: 10}, 33, False, "https://itv.com/news/"
      "calendar/2015-01-13/west-yorkshire-police-criticised-for-inconsistent-responses-in-"
      "child-protection-report", sample="self-assessed",
      disputes=[("stated_total", 34, False)]),
    t("west-yorkshire-2015", {G: 17, A: 20, RI: 12}, 64, False, "https://itv.com/news/"
      "calendar/2015-01-13/west-yorkshire-police-criticised-for-inconsistent-responses-in-"
      "child-protection-report", sample="inspector-selected", unstated=(IN,)),
    t("west-yorkshire-2015", {IN: 9}, 15, False, "https://www.belfasttelegraph.co.uk/news/uk/"
      "force-ordered-over-child-protection-30902656.html", area="cse", unstated=(G, A, RI)),
    t("nottinghamshire-2016-review", {RI: 1, IN: 5}, 6, False, "https://www.theguardian.com/"
      "society/2016/feb/04/watchdog-criticises-nottinghamshire-police-over-child-protection",
      area="cse", unstated=(G, A)),
    t("in-harms-way-2015", {G: 177, A: 179, IN: 220}, 576, False,
      "https://www.huffingtonpost.co.uk/2015/07/01/poor-police-record-on-child-"
      "cases_n_7709656.html", unstated=(RI,)),
    t("surrey-2015", {}, 31, True, HMIC2 + "surrey-police-child-protection-work-a-cause-for-"
      "concern/", unstated=FOUR),
    t("metropolitan-2016", {}, 374, False, "https://www.willispalmer.com/met-slammed-over-"
      "child-protection-failures/", unstated=THREE, not_good=278,
      disputes=[("stated_total", 384, False)]),
    t("metropolitan-2017-q3", {G: 10, RI: 64, IN: 61}, 135, False, "https://www.breakingnewstime"
      ".com/met-police-still-failing-on-child-protection-policies-report-finds/"),
    t("metropolitan-2017-q4", {}, 214, False, "https://london.city-portal.biz/2018/02/22/"
      "met-police-has-child-protection-weaknesses/", unstated=THREE, not_good=191),
    t("humberside-2017-review", {}, None, True, HMIC + "humberside-police-committed-improving/",
      unstated=THREE, percent={G: 26}),
    t("leicestershire-2017", {}, None, False, "https://www.parliamenttoday.com/members/"
      "viewnews.html?id=101227", unstated=THREE, percent={G: 29}),
    t("leicestershire-2018-review", {}, None, False, "https://www.parliamenttoday.com/members/"
      "viewnews.html?id=101227", unstated=THREE, percent={G: 53}),
    t("gloucestershire-2017", {G: 14}, 89, False, "http://www.gazetteseries.co.uk/news/"
      "gloucestershirenews/15357295.Watchdog_finds__serious_deficiencies__in_Gloucestershire_"
      "police_s_child_protection_work/", unstated=(RI, IN), not_good=75),
    t("cleveland-review", {}, 8, True, HMIC + "cleveland-police-making-slow-progress-in-child-"
      "protection-but-headed-in-the-right-direction/", area="missing", unstated=THREE),
    t("lancashire-2018", {IN: 30}, 79, False, "https://feeds.bbci.co.uk/news/uk-england-"
      "lancashire-43334960", unstated=(G, RI)),
    t("northumbria-2018", {G: 27, RI: 41, IN: 33}, 101, False, "https://www.policeprofessional"
      ".com/news/northumbria-police-in-strong-position-to-improve-child-protection/"),
    t("northamptonshire-2019-review", {G: 0, IN: 11}, 21, True, HMIC + "northamptonshire-police-"
      "has-made-only-limited-progress-in-improving-its-child-protection-capabilities-warns-"
      "report/", unstated=(RI,)),
    t("lincolnshire-2019", {G: 9, RI: 47, IN: 25}, 81, False, "https://feeds.bbci.co.uk/news/"
      "uk-england-lincolnshire-47231148"),
    t("hampshire-2022-review", {G: 12, RI: 14, IN: 4}, 30, True, PAGE2 + "hampshire-national-"
      "child-protection-inspection-post-inspection-review/"),
    t("cambridgeshire-2022-review", {G: 6, RI: 5, IN: 13}, 24, True, PAGE2 + "cambridgeshire-"
      "national-child-protection-inspection-post-inspection-review-2022/"),
    t("derbyshire-2021", {G: 20, RI: 31, IN: 28}, 79, False, "https://feeds.bbci.co.uk/news/"
      "uk-england-derbyshire-63328924"),
    t("dorset-2021", {G: 20, RI: 35, IN: 28}, 83, False, "https://www.dorsetecho.co.uk/news/"
      "19537973.children-risk-dorset-police-not-improve/", disputes=[(IN, 23, False)]),
    t("dorset-2022-review", {G: 10, RI: 10, IN: 11}, 31, True, PAGE + "dorset-national-child-"
      "protection-inspection-post-inspection-review/"),
    t("north-yorkshire-2022", {G: 13, RI: 34, IN: 26}, 73, False, "https://thestrayferret.co.uk/"
      "north-yorkshire-police-not-effectively-safeguarding-children-say-inspectors/"),
    t("north-yorkshire-2023-review", {G: 11, RI: 8, IN: 14}, 33, True, PAGE + "north-yorkshire-"
      "national-child-protection-inspection-post-inspection-review-2023/"),
    t("warwickshire-2022", {G: 23, RI: 23, IN: 28}, 74, False, "https://thewriterstown.com/news/"
      "uk-england-coventry-warwickshire-62423364"),
    t("warwickshire-2023-review", {G: 9, RI: 15, IN: 10}, 34, True, PAGE + "warwickshire-"
      "national-child-protection-inspection-post-inspection-review-2023/"),
    t("wiltshire-2023-review", {G: 12, RI: 4, IN: 14}, 30, True, PAGE + "wiltshire-national-"
      "child-protection-inspection-post-inspection-review-2023/"),
    t("cheshire-2023-review", {G: 10, RI: 18, IN: 10}, 38, True, PAGE + "cheshire-national-"
      "child-protection-inspection-post-inspection-review-2023/"),
    t("suffolk-2022", {G: 27, RI: 24, IN: 21}, 72, False, "https://www.suffolknews.co.uk/"
      "bury-st-edmunds/news/need-for-significant-improvement-in-child-protection-polic-"
      "9292081/"),
    t("suffolk-2023-review", {G: 17, RI: 7, IN: 6}, 30, True, PAGE + "suffolk-national-child-"
      "protection-inspection-post-inspection-review-november-2023/"),
    t("thames-valley-2023", {G: 19, RI: 16, IN: 35}, 70, False, "https://www.itv.com/news/"
      "meridian/2023-11-08/too-many-children-not-being-protected-or-heard-by-police-force-"
      "report-finds"),
    t("avon-and-somerset-2023", {G: 17, RI: 30, IN: 22}, 69, False, "https://feeds.bbci.co.uk/"
      "news/uk-england-bristol-67518754"),
]


class R(NamedTuple):
    """A published report: kind, fieldwork and publication as dates ncpi reads (None: not
    stated), the inspection it follows, its scale, how many recommendations it made,
    disputed dates (key, value, primary), and the source that states its dates."""

    id: str
    force: str
    kind: str
    fieldwork: str | None
    published: str | None
    follows: str | None
    methodology: str
    recommendations: int | None
    disputes: tuple
    url: str


def r(id, kind, fieldwork, published, url, *, follows=None, scale="ncpi-2017", made=None,
      disputes=(), force=None):
    force = force or (id.rsplit("-", 1)[0] if kind == "inspection" else "")
    return R(id, force, kind, fieldwork, published, follows, scale, made, tuple(disputes), url)


INSP, PIR, REIN, QU = "inspection", "post-inspection-review", "re-inspection", "quarterly-update"
OLD = "ncpi-2014"

REPORTS = [
    r("norfolk-2014", INSP, "2014-04", "2014-08-29", "https://www.justiceinspectorates.gov.uk/"
      "hmicfrs/publications/norfolk-national-child-protection-inspection/", scale=OLD),
    r("west-midlands-2014", INSP, "2014-06", "2014-10", "https://www.theguardian.com/uk-news/"
      "2014/oct/28/police-watchdog-west-midlands-warning-child-sexual-exploitation", scale=OLD),
    r("greater-manchester-2015-review", PIR, "2015-07", None, "http://www.justiceinspectorates"
      ".gov.uk/hmic/news/news-feed/greater-manchester-police-has-made-improvements-to-how-it-"
      "protects-children/", scale=OLD, force="greater-manchester"),
    r("south-yorkshire-2014", INSP, "2014-05", "2014-09", "https://southyorkshire-pcc.gov.uk/"
      "news/response-to-hmic-report/", scale=OLD),
    r("south-yorkshire-2015-review", PIR, "2015-04", "2015-07", "https://test.4ni.co.uk/"
      "uk-national-news/200664/hmic-publish-national-child-protection-inspection-review",
      follows="south-yorkshire-2014", scale=OLD, force="south-yorkshire"),
    r("west-yorkshire-2015", INSP, "2014-08", "2015-01", "https://itv.com/news/calendar/"
      "2015-01-13/west-yorkshire-police-criticised-for-inconsistent-responses-in-child-"
      "protection-report", scale=OLD),
    r("west-yorkshire-2016-review", PIR, "2015-08", "2016-03", "https://vdocuments.net/"
      "national-child-protection-inspection-post-inspection-review-cases-we-examined-we.html",
      follows="west-yorkshire-2015", scale=OLD, force="west-yorkshire"),
    r("dyfed-powys-2014", INSP, "2014-10", "2014-12", HMIC + "dyfed-powys-improving-how-it-"
      "protects-children/", scale=OLD),
    r("dyfed-powys-2015-review", PIR, "2015-08", None, HMIC + "dyfed-powys-improving-how-it-"
      "protects-children/", follows="dyfed-powys-2014", scale=OLD, force="dyfed-powys"),
    r("nottinghamshire-2015", INSP, "2014-09", "2015-02-11", "http://www.capitalfm.com/"
      "eastmids/radio/news/local/hmic-report-child-protection/", scale=OLD),
    r("nottinghamshire-2016-review", PIR, "2015-08", "2016-02", HMIC2 + "nottinghamshire-"
      "police-is-making-some-progress-on-how-it-protects-children/",
      follows="nottinghamshire-2015", scale=OLD, force="nottinghamshire"),
    r("west-mercia-2014", INSP, "2014-11", None, "https://www.bbc.com/news/uk-england-31530372",
      scale=OLD),
    r("west-mercia-2016-review", PIR, "2015-08", "2016-01", "http://www.shropshirestar.com/"
      "news/2016/01/21/west-mercia-police-must-do-more-to-protect-children-says-report",
      follows="west-mercia-2014", scale=OLD, force="west-mercia"),
    r("in-harms-way-2015", "thematic", None, "2015-07-02", "https://www."
      "lexology.com/library/detail.aspx?g=7d8cbf09-6a8b-4da9-9f37-33b28d75ac2f", scale=OLD),
    r("devon-and-cornwall-2015", INSP, "2015-05", "2015-09", "https://www.aol.co.uk/news/2015/"
      "09/22/devon-and-cornwall-force-inconsistent-on-child-grooming-cases/", scale=OLD,
      disputes=[("published", "2015-07", True)]),
    r("devon-and-cornwall-2016-review", PIR, "2016-04", None, HMIC + "devon-and-cornwall-"
      "police-has-improved-how-it-protects-children/", follows="devon-and-cornwall-2015",
      scale=OLD, force="devon-and-cornwall"),
    r("surrey-2015", INSP, "2015-06", "2015-12", HMIC + "encouraging-progress-made-by-surrey-"
      "police-in-how-it-protects-children/", scale=OLD),
    r("surrey-2016-reinspection", REIN, "2016-08", None, HMIC + "encouraging-progress-made-by-"
      "surrey-police-in-how-it-protects-children/", follows="surrey-2015", scale=OLD,
      force="surrey"),
    r("essex-2015", INSP, "2015-09/2015-10", None, HMIC + "essex-police-failing-to-adequately-"
      "protect-children-at-risk-of-harm/", scale=OLD),
    r("essex-2016-reinspection", REIN, "2016-09", None, HMIC + "child-protection-in-essex-is-"
      "improving-but-there-is-still-more-to-do/", follows="essex-2015", scale=OLD,
      force="essex"),
    r("metropolitan-2016", INSP, "2016-02/2016-05", "2016-11-25", "http://www.mynewsdesk.com/"
      "uk/metpoliceuk/news/met-response-to-hmic-report-about-child-protection-201323"),
    r("metropolitan-2017-q2", QU, "2017-04/2017-06", "2017-08", "https://www.aol.co.uk/news/"
      "2017/08/10/no-major-improvement-in-quality-of-mets-child-protection-probes/",
      follows="metropolitan-2016", force="metropolitan"),
    r("metropolitan-2017-q3", QU, None, None, "https://www.breakingnewstime.com/met-police-"
      "still-failing-on-child-protection-policies-report-finds/", follows="metropolitan-2016",
      force="metropolitan"),
    r("metropolitan-2017-q4", QU, None, "2018-02-22", "https://securengin.fifthestate.nz/2018/"
      "02/22/response-to-post-inspection-report-review-of-child-protection-in-the-met",
      follows="metropolitan-2016", force="metropolitan"),
    r("metropolitan-2019-review", PIR, "2018-10", "2019-03-28", "https://www.justiceinspectorates"
      ".gov.uk/hmicfrs/publications/metropolitan-national-child-protection-post-inspection-"
      "review", follows="metropolitan-2016", force="metropolitan"),
    r("cumbria-2016", INSP, "2016-07", None, HMIC + "cumbria-constabulary-needs-to-improve-its-"
      "protection-of-at-risk-children/", scale=OLD),
    r("cumbria-2017-review", PIR, "2017-06", "2017-09", "http://www.itv.com/news/border/"
      "2017-09-21/cumbria-constabulary-show-commitment-to-improving-child-protection-services/",
      follows="cumbria-2016", force="cumbria"),
    r("humberside-2017", INSP, "2016-11", "2017-04", "https://www.yorkshirepost.co.uk/news/"
      "humberside-polices-child-safeguarding-improves-despite-concern-at-progress-307516",
      scale=OLD),
    r("humberside-2017-review", PIR, "2017-09/2017-11", None, HMIC + "humberside-police-"
      "committed-improving/", follows="humberside-2017", force="humberside"),
    r("leicestershire-2017", INSP, "2017-01", None, HMIC + "leicestershire-police-has-made-"
      "encouraging-progress-to-child-protection-but-still-has-some-areas-to-address/"),
    r("leicestershire-2018-review", PIR, None, "2018-05", "https://polfed.org/leicestershire/"
      "news/2018/force-improves-its-child-protection-work", follows="leicestershire-2017",
      force="leicestershire"),
    r("gloucestershire-2017", INSP, "2017-02", None, HMIC2 + "gloucestershire-constabulary-"
      "must-improve-services-to-children/"),
    r("cleveland-2017", INSP, "2017-05", "2017-09", "http://www.hartlepoolmail.co.uk/news/"
      "cleveland-police-told-to-do-more-to-protect-children-despite-improvements-1-8765998"),
    r("cleveland-review", PIR, None, None, HMIC + "cleveland-police-making-slow-progress-in-"
      "child-protection-but-headed-in-the-right-direction/", follows="cleveland-2017",
      force="cleveland"),
    r("lancashire-2018", INSP, "2017-10", "2018-03", HMIC + "lancashire-constabulary-needs-to-"
      "provide-better-protection-to-children-at-risk-of-harm-but-shows-encouraging-"
      "commitment-to-improvement/", disputes=[("fieldwork", "2017-05", True)]),
    r("lancashire-2019-review", PIR, None, "2019-03", "https://www.chorleycitizen.co.uk/news/"
      "17566028.lancashire-police-better-at-keeping-children-safe-government-inspectors-"
      "find/", follows="lancashire-2018", force="lancashire"),
    r("bedfordshire-2017", INSP, "2017-07", "2017-11", PAGE + "bedfordshire-national-child-"
      "protection-post-inspection-review/"),
    r("bedfordshire-review", PIR, None, None, PAGE + "bedfordshire-national-child-protection-"
      "post-inspection-review/", follows="bedfordshire-2017", force="bedfordshire"),
    r("northumbria-2018", INSP, "2018-01", "2018-06-28", "https://www.policeprofessional.com/"
      "news/northumbria-police-in-strong-position-to-improve-child-protection/"),
    r("northumbria-2019-review", PIR, "2019-01", "2019-04-11", PAGE + "northumbria-national-"
      "child-protection-post-inspection-review/", follows="northumbria-2018",
      force="northumbria"),
    r("northamptonshire-2018", INSP, "2018-03", None, HMIC + "inspectors-warn-northamptonshire-"
      "police-to-improve-child-protection-practice/"),
    r("northamptonshire-2019-review", PIR, "2019-03", "2019-07", "https://www.northamptonchron"
      ".co.uk/news/crime/northamptonshires-most-vulnerable-children-are-still-being-poorly-"
      "served-county-police-force-683859", follows="northamptonshire-2018",
      force="northamptonshire"),
    r("northamptonshire-2021-assessment", "assessment-of-progress", "2020-11/2020-12",
      "2021-03-24", "https://www.justiceinspectorates.gov.uk/hmicfrs/publications/"
      "northamptonshire-national-child-protection-inspection-assessment-of-progress/",
      follows="northamptonshire-2018", force="northamptonshire"),
    r("merseyside-2018", INSP, "2018-04/2018-05", "2018-08", "https://docslib.org/doc/13062644/"
      "merseyside-national-child-protection-inspection"),
    r("merseyside-2019-review", PIR, None, "2019-08-30", "http://www.mynewsdesk.com/uk/"
      "merseyside-police/news/merseyside-police-praised-following-hmicfrs-child-protection-"
      "inspection-review-379665", follows="merseyside-2018", force="merseyside"),
    r("sussex-2018", INSP, "2018-06", None, "https://www.theargus.co.uk/news/17215805.sussex-"
      "police-failing-to-properly-investigate-child-abuse-images/", made=8),
    r("sussex-review", PIR, None, None, PAGE + "sussex-national-child-protection-post-"
      "inspection-review", follows="sussex-2018", force="sussex"),
    r("lincolnshire-2019", INSP, "2018-09", "2019-02", PAGE + "lincolnshire-national-child-"
      "protection-inspection-post-inspection-review/"),
    r("lincolnshire-2019-review", PIR, "2019-10/2019-12", None, HMIC + "lincolnshire-police-"
      "improving-its-child-prtection-work-though-some-challenges-remain/",
      follows="lincolnshire-2019", force="lincolnshire"),
    r("kent-2019", INSP, "2019-04", "2019-09", PAGE + "kent-national-child-protection-"
      "inspection-post-inspection-review/"),
    r("kent-2021-review", PIR, None, "2021-08-26", PAGE + "kent-national-child-protection-"
      "inspection-post-inspection-review/", follows="kent-2019", force="kent"),
    r("north-wales-2019", INSP, "2019-07", "2019-10", "https://docslib.org/doc/1118934/"
      "national-child-protection-inspections-north-wales-police"),
    r("north-wales-2021-review", PIR, None, "2021-08-26", "https://www.wired-gov.net/wg/news.nsf"
      "/print/Child+protection+in+North+Wales+has+improved+but+more+work+is+needed+"
      "27082021133300", follows="north-wales-2019", force="north-wales"),
    r("hertfordshire-2020", INSP, "2019-09", "2020-03", HMIC + "hertfordshire-constabulary-"
      "child-protection-services-reveals-mixed-picture/"),
    r("hertfordshire-2021-review", PIR, None, "2021-12-22", PAGE2 + "hertfordshire-national-"
      "child-protection-inspection-post-inspection-review/", follows="hertfordshire-2020",
      force="hertfordshire"),
    r("durham-2020", INSP, "2019-10", "2020-03", HMIC + "durham-constabulary-committed-to-"
      "child-protection-but-further-work-is-required/"),
    r("hampshire-2021", INSP, "2021-06", "2021-11-16", PAGE2 + "hampshire-national-child-"
      "protection-inspection", made=6),
    r("hampshire-2022-review", PIR, "2022-06", "2022-09-28", PAGE2 + "hampshire-national-child-"
      "protection-inspection-post-inspection-review/", follows="hampshire-2021",
      force="hampshire"),
    # the nine recommendations belong to the 2021 inspection, known from the 2022 review
    r("cambridgeshire-2021", INSP, "2021-07", None, PAGE2 + "cambridgeshire-national-child-"
      "protection-inspection-post-inspection-review-2022/", made=9),
    r("cambridgeshire-2022-review", PIR, "2022-09", "2022-12-09", PAGE2 + "cambridgeshire-"
      "national-child-protection-inspection-post-inspection-review-2022/",
      follows="cambridgeshire-2021", force="cambridgeshire"),
    r("derbyshire-2021", INSP, "2021-05", "2021-11-16", PAGE2 + "Derbyshire-national-child-"
      "protection-inspection", made=12),
    r("derbyshire-2022-reinspection", REIN, "2022-05", "2022-10-21", "https://hmicfrs."
      "justiceinspectorates.gov.uk/publications/derbyshire-national-child-protection-"
      "reinspection/", follows="derbyshire-2021", force="derbyshire"),
    r("dorset-2021", INSP, "2021-04", "2021-08-26", PAGE + "dorset-national-child-protection-"
      "inspection/", made=8),
    r("dorset-2022-review", PIR, "2022-04", "2022-09-07", PAGE + "dorset-national-child-"
      "protection-inspection-post-inspection-review/", follows="dorset-2021", force="dorset"),
    r("north-yorkshire-2022", INSP, "2021-11", "2022-03-29", PAGE2 + "north-yorkshire-national-"
      "child-protection-inspection", made=10),
    r("north-yorkshire-2023-review", PIR, "2022-12", "2023-05", PAGE + "north-yorkshire-"
      "national-child-protection-inspection-post-inspection-review-2023/",
      follows="north-yorkshire-2022", force="north-yorkshire"),
    r("warwickshire-2022", INSP, "2022-02", "2022-08-05", "https://warwickshire-pcc.gov.uk/"
      "key-information/hmicfrs-reports/response-to-hmicfrs-report-warwickshire-national-child-"
      "protection-inspection-post-inspection-review", made=8),
    r("warwickshire-2023-review", PIR, "2023-02/2023-03", "2023-06-06", PAGE + "warwickshire-"
      "national-child-protection-inspection-post-inspection-review-2023/",
      follows="warwickshire-2022", force="warwickshire",
      disputes=[("fieldwork", "2023-02", False)]),
    # the 13 recommendations belong to the 2022 inspection, known from the 2023 review
    r("wiltshire-2022", INSP, "2022-03", "2022-08-05", PAGE + "wiltshire-national-child-"
      "protection-inspection/", made=13),
    r("wiltshire-2023-review", PIR, "2023-04", "2023-09", "https://swindonlink.com/news/"
      "police-cchildrens-report/?generate=cache", follows="wiltshire-2022", force="wiltshire"),
    r("cheshire-2022", INSP, "2022-01", "2022-05-11", PAGE2 + "cheshire-national-child-"
      "protection-inspection", made=9),
    r("cheshire-2023-review", PIR, "2023-01", "2023-06-06", PAGE + "cheshire-national-child-"
      "protection-inspection-post-inspection-review-2023/", follows="cheshire-2022",
      force="cheshire"),
    r("suffolk-2022", INSP, "2022-07", "2022-12-22", PAGE2 + "suffolk-national-child-protection-"
      "inspection-december-2022/", made=10, disputes=[("published", "2022-12-23", False)]),
    r("suffolk-2023-review", PIR, "2023-07", "2023-11", PAGE + "suffolk-national-child-"
      "protection-inspection-post-inspection-review-november-2023/", follows="suffolk-2022",
      force="suffolk"),
    r("staffordshire-2022", INSP, "2021-09", "2022-04-07", PAGE2 + "staffordshire-national-"
      "child-protection-inspection", made=15),
    r("staffordshire-2023-reinspection", REIN, "2023-03", "2023-08-04", "https://hmicfrs."
      "justiceinspectorates.gov.uk/publications/staffordshire-national-child-protection-"
      "reinspection-2023/", follows="staffordshire-2022", force="staffordshire"),
    r("thames-valley-2023", INSP, "2023-05", "2023-11-08", PAGE + "thames-valley-national-"
      "child-protection-inspection-november-2023/"),
    r("avon-and-somerset-2023", INSP, "2023-07/2023-08", "2023-11-24", PAGE + "avon-somerset-"
      "national-child-protection-inspection-november-2023/"),
]

#: What national.yaml holds in all.
FORCES_IN_FILE = 40
FORCES_IN_ALL = 42
KINDS = {INSP: 39, PIR: 30, REIN: 4, QU: 3, "assessment-of-progress": 1, "thematic": 1}
TALLY_COUNT = 37
COMPLETE_TALLIES = 18


@pytest.fixture(scope="module")
def loaded():
    result = api.load()
    assert result.problems == []
    return result.dataset


def _row_id(row) -> str:
    return row.inspection if isinstance(row, T) else row.id


def _values(rows):
    return [p.values[0] if hasattr(p, "values") else p for p in rows]


@pytest.mark.parametrize("row", TALLIES, ids=lambda x: f"{_row_id(x)}:{x.assessor}:"
                                                      f"{x.sample}:{x.area}")
def test_tally_is_the_published_one(loaded, row: T):
    (tally,) = [x for x in loaded.tallies if (x.inspection, x.assessor, x.sample, x.area) ==
                (row.inspection, row.assessor, row.sample, row.area)]
    assert tally.origin.file == NATIONAL
    assert {g: n for g, n in tally.counts.items() if g not in tally.unstated} == row.counts
    assert set(tally.unstated) == set(row.unstated)
    assert tally.not_good == row.not_good
    assert tally.percent == row.percent
    assert tally.stated_total == row.stated_total
    assert tally.primary is row.primary
    assert [(d.key, d.value, d.primary) for d in tally.disputes] == list(row.disputes)
    assert row.url in tally.source


@pytest.mark.parametrize("row", REPORTS, ids=_row_id)
def test_report_is_the_published_one(loaded, row: R):
    insp = loaded.inspections[row.id]
    assert insp.origin.file == NATIONAL
    assert insp.kind == row.kind
    if row.force:
        assert insp.force == row.force
    assert (str(insp.fieldwork) if insp.fieldwork else None) == row.fieldwork
    assert (str(insp.published) if insp.published else None) == row.published
    assert insp.follows == row.follows
    assert insp.methodology == row.methodology
    assert insp.recommendations_made == row.recommendations
    assert [(d.key, str(d.value), d.primary) for d in insp.disputes] == list(row.disputes)
    assert row.url in " ".join(str(v) for v in insp.source.values())


def test_every_bundled_record_is_in_the_tables(loaded):
    """Nothing in national.yaml goes unchecked, and nothing expected is missing."""
    reports = {x.id for x in _values(REPORTS)}
    assert {i for i, x in loaded.inspections.items() if x.origin.file == NATIONAL} == reports
    tallies = {(x.inspection, x.assessor, x.sample, x.area) for x in _values(TALLIES)}
    assert {(x.inspection, x.assessor, x.sample, x.area) for x in loaded.tallies
            if x.origin.file == NATIONAL} == tallies


def test_totals(loaded):
    mine = [x for x in loaded.inspections.values() if x.origin.file == NATIONAL]
    assert sum(f.origin.file == NATIONAL for f in loaded.forces.values()) == FORCES_IN_FILE
    assert len(loaded.forces) == FORCES_IN_ALL
    assert Counter(x.kind for x in mine) == KINDS
    tallies = [x for x in loaded.tallies if x.origin.file == NATIONAL]
    assert len(tallies) == TALLY_COUNT
    assert sum(x.complete for x in tallies) == COMPLETE_TALLIES
    assert sum(bool(x.disputes) for x in tallies) == 3
    assert sum(bool(x.disputes) for x in mine) == 4
    assert sum(x.recommendations_made is not None for x in mine) == 11
    assert {x.country for x in loaded.forces.values()} == {"england", "wales"}
    assert sorted(f for f, x in loaded.forces.items() if x.country == "wales") == [
        "dyfed-powys", "gwent", "north-wales", "south-wales"]


def test_the_one_stated_total_the_counts_miss_is_held_as_disputed():
    """The inspectors' grades of West Yorkshire's 33 self-assessed cases add up to 34, as
    published: the data holds both totals (a dispute), so no tally mismatches silently and
    every other complete tally adds up to the total its source states."""
    from ncpi_cli.analysis.common import stated_total_mismatch

    dataset = api.load().dataset
    assert [t for t in dataset.tallies if stated_total_mismatch(t)] == []
    (wy,) = [t for t in dataset.tallies if t.inspection == "west-yorkshire-2015"
             and t.assessor == "inspector" and t.sample == "self-assessed"]
    assert wy.disputed() == {"stated_total": [33, 34]}
    assert sum(wy.counts.values()) == 34


def test_thematic_report_is_bundled(loaded):
    insp = loaded.inspections["in-harms-way-2015"]
    assert insp.kind == "thematic" and insp.force == ""
    assert set(insp.covers) == {"norfolk", "south-yorkshire", "west-midlands",
                                "greater-manchester", "west-yorkshire", "nottinghamshire",
                                "dyfed-powys", "west-mercia"}
