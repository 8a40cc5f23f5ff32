"""The PDF profile: its text matches the scoring result, user text is data, and it is reproducible."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from answers.document import Answer, AnswersDocument
from formatting.numbers import fmt_score, fmt_share
from formatting.scripts import is_rtl
from questionnaires import Questionnaire, QuestionnaireError, default_questionnaire
from questionnaires.messages import t
from questionnaires.references import clause_reference
from recommendations import recommend
from refdata import country_name
from reports.profile import format_date, render_profile
from reports.text import MISSING, clean
from scoring import score
from tests.localization import OTHER_LANGUAGES, code_like_tokens, decimal_points, english_leaks, wrong_decimals
from tests.reports.helpers import all_text, flat, mini_doc, pages_text

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DAY = date(2026, 11, 29)


@pytest.fixture(scope="module", params=["en", "fr"])
def rendered(request: pytest.FixtureRequest, mini: Questionnaire) -> tuple[str, AnswersDocument, bytes]:
    doc = mini_doc(mini)
    return request.param, doc, render_profile(mini, doc, lang=request.param, generated_on=DAY)


def test_country_cycle_and_questionnaire_are_on_the_cover(
    rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire
) -> None:
    lang, doc, pdf = rendered
    cover = flat(pages_text(pdf)[0])
    assert country_name(doc.country, lang) in cover
    assert t("pdf.cycle", lang, cycle=doc.cycle) in cover
    assert t("pdf.questionnaire", lang, version=mini.version) in cover
    assert format_date(DAY, lang) in cover


def test_overall_and_pillar_scores_and_tiers_match_the_result(
    rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire
) -> None:
    lang, doc, pdf = rendered
    result = score(mini, doc)
    text = all_text(pdf)
    assert result.overall_tier is not None
    assert f"{fmt_score(result.overall, lang)} {t('pdf.out_of', lang)}" in text
    assert mini.tier(result.overall_tier).name.get(lang) in text
    assert flat(f"{t('completeness', lang)} {fmt_share(result.completeness, lang)}") in text
    for p in result.pillars:
        assert p.tier is not None
        name = mini.pillar(p.pillar_id).name.get(lang)
        row = f"{name} {fmt_score(p.score, lang)} {mini.tier(p.tier).name.get(lang)}"
        assert row in text, row


def test_the_five_largest_gains_are_in_the_summary_and_every_recommendation_in_the_roadmap(
    rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire
) -> None:
    lang, doc, pdf = rendered
    recs = recommend(mini, score(mini, doc))
    assert recs, "the fixture document must trigger recommendations"
    pages = pages_text(pdf)
    summary_at = next(i for i, p in enumerate(pages) if t("pdf.top_recs", lang) in flat(p))
    summary = flat(" ".join(pages[summary_at : summary_at + 2]))
    for i, rec in enumerate(recs[:5], start=1):
        assert f"{i} {rec.action.get(lang)}" in summary
        assert f"+{fmt_score(rec.expected_gain, lang)}" in summary
    roadmap_at = next(i for i, p in enumerate(pages) if flat(p).count(t("pdf.roadmap", lang)) and i > 2)
    roadmap = flat(" ".join(pages[roadmap_at:]))
    for rec in recs:
        assert rec.action.get(lang) in roadmap
        assert t("pdf.serves", lang, clause=clause_reference(mini, rec.clause, lang)) in roadmap
        assert rec.materials[0] in roadmap
        # The roadmap numbers each action as the page does (its rank), not from 1 in each horizon.
        assert f"{rec.rank}. {rec.action.get(lang)}" in roadmap


def test_each_answer_appears_with_its_label_evidence_and_justification(
    rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire
) -> None:
    lang, _, pdf = rendered
    text = all_text(pdf)
    label = mini.scales["maturity5"].option("developing")
    assert label is not None
    assert label.label.get(lang) in text
    assert "National IoT policy, 2024" in text
    assert "Handled by the regional registry" in text
    assert t("status.not_applicable", lang) in text


HEADINGS = [
    "pillar", "score", "tier", "completeness", "evidence_coverage", "target", "gap", "pdf.action", "cli.clause",
    "pdf.gain", "pdf.description", "pdf.tier_from", "pdf.missing_col_answer", "pdf.missing_col_pillar",
    "pdf.missing_col_complete", "pdf.weight", "pdf.share", "pdf.n_questions", "cli.text", "cli.questions",
    "pdf.peer_default",
]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_table_headings_are_never_split_inside_a_word(mini: Questionnaire, lang: str) -> None:
    pdf = render_profile(mini, mini_doc(mini), lang=lang, generated_on=DAY, peer_medians={"ipv6": 12.0})
    text = all_text(pdf)
    assert [k for k in HEADINGS if t(k, lang) not in text] == []


def test_page_numbers_count_every_page(rendered: tuple[str, AnswersDocument, bytes]) -> None:
    lang, _, pdf = rendered
    pages = pages_text(pdf)
    assert t("pdf.page", lang, n=2, total=len(pages)) in flat(pages[1])
    assert t("pdf.page", lang, n=len(pages), total=len(pages)) in flat(pages[-1])


def test_contents_page_lists_the_sections(rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire) -> None:
    lang, _, pdf = rendered
    toc = flat(pages_text(pdf)[1])
    assert t("pdf.toc", lang) in toc
    for p in mini.pillars:
        assert p.name.get(lang) in toc
    assert flat(t("pdf.annex_trace", lang)) in toc  # flat() folds the French U+202F too


def test_metadata_language_and_bookmarks(rendered: tuple[str, AnswersDocument, bytes], mini: Questionnaire) -> None:
    lang, doc, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == t("pdf.doc_title", lang, country=country_name(doc.country, lang), cycle=doc.cycle)
    assert meta.subject == t("pdf.subject", lang)
    assert meta.author == "IoT Readiness"
    assert meta.creation_date is not None and meta.creation_date.date() == DAY
    assert reader.root_object["/Lang"] == lang
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert any(t("pdf.summary", lang) in x for x in titles)
    assert any(t("pdf.annex_method", lang) == x for x in titles)
    for p in mini.pillars:
        assert any(x.endswith(p.name.get(lang)) for x in titles)


def test_the_same_input_gives_the_same_bytes(mini: Questionnaire) -> None:
    doc = mini_doc(mini)
    assert render_profile(mini, doc, generated_on=DAY) == render_profile(mini, doc, generated_on=DAY)


def test_a_draft_shows_its_mark_on_every_page(mini: Questionnaire) -> None:
    for lang in ("en", "fr"):
        pages = pages_text(render_profile(mini, mini_doc(mini, status="draft"), lang=lang, generated_on=DAY))
        mark = t("pdf.draft_mark", lang)
        assert all(mark in p for p in pages), lang


def test_a_submitted_profile_has_no_draft_mark(mini: Questionnaire) -> None:
    for lang in ("en", "fr"):
        text = all_text(render_profile(mini, mini_doc(mini, status="submitted"), lang=lang, generated_on=DAY))
        assert t("pdf.draft_mark", lang) not in text


@pytest.mark.parametrize("illustrative", [True, False])
def test_illustrative_data_is_labelled_on_the_cover(mini: Questionnaire, illustrative: bool) -> None:
    for lang in ("en", "fr"):
        pdf = render_profile(mini, mini_doc(mini, illustrative=illustrative), lang=lang, generated_on=DAY)
        assert (t("pdf.illustrative", lang).upper() in flat(pages_text(pdf)[0])) is illustrative


def test_peer_medians_appear_beside_the_country(mini: Questionnaire) -> None:
    doc = mini_doc(mini)
    pdf = render_profile(
        mini, doc, generated_on=DAY, peer_medians={"policy_regulation": 41.25, "ipv6": 12.5, "overall": 30.0},
        peer_label="Africa median",
    )
    text = all_text(pdf)
    result = score(mini, doc)
    policy = result.pillar("policy_regulation")
    assert f"{fmt_score(policy.score)} " in text
    assert "Africa median 30.0" in text
    assert "41.2" in text or "41.3" in text


def test_missing_peer_medians_are_left_out_not_printed_as_nan(mini: Questionnaire) -> None:
    pdf = render_profile(mini, mini_doc(mini), generated_on=DAY, peer_medians={"ipv6": float("nan"), "overall": 31.0})
    assert re.search(r"\bnan\b", all_text(pdf), re.IGNORECASE) is None


def test_an_unknown_language_is_refused(mini: Questionnaire) -> None:
    with pytest.raises(ValueError, match="language"):
        render_profile(mini, mini_doc(mini), lang="de", generated_on=DAY)


def test_a_passed_result_is_used_as_given(mini: Questionnaire) -> None:
    doc = mini_doc(mini)
    result = score(mini, doc).model_copy(update={"overall": 99.25})
    assert "99.2 " in all_text(render_profile(mini, doc, result=result, generated_on=DAY))


# ---------------------------------------------------------------- hostile user text

HOSTILE = {
    "markup": "<b>not bold</b> <script>alert(1)</script> &amp; &lt;",
    "format": "%s %d %(x)s {} {0} {country} {{}}",
    "long_word": "A" * 300,
    "ten_thousand": ("Réseau IoT Привет " * 700)[:10_000],
    "arabic": "الإطار التنظيمي لإنترنت الأشياء معتمد منذ ٢٠٢٤",
    "hebrew": "מסגרת רגולטורית לאינטרנט של הדברים",
    "emoji": "Deployed 👍🏽 in 3 cities 🏙️👨‍👩‍👧 ✅",
    "cjk": "物联网 政策 2024",
    "controls": "line one\r\nline two\ttabbed\x00\x07\u200b\u200e end",
}


def _char_boxes_inside(pdf: bytes, left: float, right: float) -> list[tuple[int, str]]:
    """(page, char) of every character whose box leaves the text column [left, right] (points)."""
    bad: list[tuple[int, str]] = []
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        tp = doc[i].get_textpage()
        for c in range(tp.count_chars()):
            x0, _, x1, _ = tp.get_charbox(c)
            ch = tp.get_text_range(c, 1)
            if ch.strip() and (x0 < left - 1 or x1 > right + 1):
                bad.append((i + 1, ch))
    return bad


@pytest.fixture(scope="module")
def baseline(mini: Questionnaire) -> bytes:
    return render_profile(mini, mini_doc(mini, comment="Plain comment."), generated_on=DAY)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_comment_renders_as_plain_text(mini: Questionnaire, case: str) -> None:
    comment = HOSTILE[case]
    pdf = render_profile(mini, mini_doc(mini, comment=comment, evidence=comment[:2000]), generated_on=DAY)
    text = all_text(pdf)
    shown = clean(comment)
    # What the fonts can draw comes back as typed (left-to-right samples only: extraction reorders RTL).
    if case in ("markup", "format", "ten_thousand"):
        assert flat(shown)[:200] in text
    if case in ("emoji", "cjk"):
        assert MISSING in shown
    if case == "long_word":
        assert text.count("A" * 40) >= 1
    if case == "controls":
        assert "line one line two tabbed end" in text


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_comment_stays_inside_the_text_column(mini: Questionnaire, case: str) -> None:
    pdf = render_profile(mini, mini_doc(mini, comment=HOSTILE[case]), generated_on=DAY)
    mm = 72 / 25.4
    assert _char_boxes_inside(pdf, 22 * mm, (210 - 22) * mm) == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_comment_does_not_change_the_other_sections(mini: Questionnaire, baseline: bytes, case: str) -> None:
    pdf = render_profile(mini, mini_doc(mini, comment=HOSTILE[case]), generated_on=DAY)
    before, after = pages_text(baseline), pages_text(pdf)
    # Cover and executive summary are identical; the annex (last page) is identical apart from its page number.
    assert after[0] == before[0]
    assert after[2].split("Page")[0] == before[2].split("Page")[0]
    assert after[-1].split("Page")[0] == before[-1].split("Page")[0]


# ---------------------------------------------------------------- shipped questionnaire + artifact


def _demo_like(q: Questionnaire) -> AnswersDocument:
    """Answers like the demo set: every question answered, mid-scale, with evidence on half of them."""
    answers: dict[str, Answer] = {}
    for i, question in enumerate(q.questions):
        value: str | float | list[str]
        if question.type == "scale":
            options = q.scales[question.scale or ""].options
            value = options[(i % (len(options) - 1)) + 1].value
        elif question.type == "numeric":
            assert question.numeric is not None
            value = (question.numeric.min + question.numeric.max) / 2
        else:
            value = [o.value for o in (question.options or [])[: 1 + i % 3]]
        answers[question.id] = Answer(
            value=value,
            evidence=f"https://example.gov/iot/{question.id}" if i % 2 == 0 else None,
            comment="Ministère du numérique — mise à jour 2025." if i % 5 == 0 else None,
        )
    return AnswersDocument(
        questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
        country="SEN", cycle=2026, illustrative=True, status="draft",
        targets={p.id: "advancing" for p in q.pillars}, answers=answers,
    )


def test_the_shipped_questionnaire_renders_and_the_first_page_is_saved_as_an_artifact() -> None:
    try:
        q = default_questionnaire()
    except QuestionnaireError as exc:  # pragma: no cover - only while the content is being written
        pytest.skip(f"shipped questionnaire does not load yet: {exc}")
    doc = _demo_like(q)
    result = score(q, doc)
    pdf = render_profile(q, doc, lang="fr", result=result, generated_on=DAY,
                         peer_medians={p.id: 50.0 for p in q.pillars}, peer_label="Médiane Afrique")
    text = all_text(pdf)
    assert country_name("SEN", "fr") in text
    assert f"{fmt_score(result.overall, 'fr')} {t('pdf.out_of', 'fr')}" in text
    assert f"{result.overall:.1f} {t('pdf.out_of', 'fr')}" not in text  # French decimals use a comma
    for rec in recommend(q, result)[:5]:
        assert flat(rec.action.get("fr")) in text  # flat: the narrow no-break space before ":" is whitespace too
    assert f"{t('basis.practice', 'fr')} : Sert" in text  # the basis of a practice question; U+202F folded by flat()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "profile-SEN-fr.pdf").write_bytes(pdf)
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=1.5).to_pil()
    path = ARTIFACTS / "profile-first-page.png"
    image.save(path)
    assert path.stat().st_size > 10_000
    assert image.size == (round(595.28 * 1.5), round(841.89 * 1.5))


def test_the_bytes_do_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import sys, hashlib\n"
        "from datetime import date\n"
        "from questionnaires import load_questionnaire\n"
        "from reports import render_profile\n"
        "from tests.reports.helpers import mini_doc\n"
        "q = load_questionnaire('tests/fixtures/mini')\n"
        "pdf = render_profile(q, mini_doc(q, comment='مرحبا Привет'), lang='fr', generated_on=date(2026, 1, 1))\n"
        "print(hashlib.sha256(pdf).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_longest_country_name_stays_inside_the_margins(mini: Questionnaire, lang: str) -> None:
    pdf = render_profile(mini, mini_doc(mini, country="GBR"), lang=lang, generated_on=DAY)
    mm = 72 / 25.4
    assert _char_boxes_inside(pdf, 22 * mm, (210 - 22) * mm) == []
    assert f"{country_name('GBR', lang)} 2026 · " in flat(pages_text(pdf)[2])


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_the_profile_shows_no_internal_id_no_wrong_number_and_no_english(lang: str) -> None:
    """Issue 11.5, then 24: question numbers, clause citations and the language's decimal mark only, on every page,
    and no text of the English catalog (the Rwanda example: targets, low answers, every annex)."""
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    pdf = render_profile(q, doc, lang=lang, generated_on=DAY)
    text = "\n".join(pages_text(pdf))
    assert code_like_tokens(text, q) == []
    assert wrong_decimals(text, q, lang) == []
    assert english_leaks(flat(text), lang, q) == []  # flat: a phrase wrapped over two lines is still found
    assert flat(t("unofficial_translation", "en")) not in flat(text)  # no English text of the resolution is shown
    if is_rtl(lang):  # pypdf gives a right-to-left line's runs in the order drawn: read them back first
        from tests.reports.test_arabic import _read, _words

        assert _words(clause_reference(q, "instructs-bdt-3", lang)) in _read(pdf)
    else:
        assert clause_reference(q, "instructs-bdt-3", lang) in flat(text)
    if lang == "fr":
        assert "Pourquoi\u202f: à la question 1." in text  # French typography (issue 12.4)
        assert "Recommandation UIT-T Y.4200 (Prescriptions relatives" in flat(text)


def test_the_checks_catch_what_they_look_for() -> None:
    """The checks above would fail on the old output (ids, 0.50, clause ids)."""
    q = default_questionnaire()
    old = "Pourquoi : la question pol_data_governance obtient 0.50 (sous 0.75)\nSert la disposition instructs-bdt-3"
    assert code_like_tokens(old, q) == ["instructs-bdt-3", "pol_data_governance"]
    assert decimal_points(old, q) == ["0.50", "0.75"]
    assert decimal_points("Score 47.7\n1.2  Question\nquestions 1.2, 1.3\nversion 1.0.0", q) == ["47.7"]


def test_the_english_profile_cites_clauses_as_the_resolution_does() -> None:
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    text = flat(all_text(render_profile(q, doc, lang="en", generated_on=DAY)))
    assert code_like_tokens(text, q) == []
    assert "instructs the Director of BDT, 3" in text
    assert t("unofficial_translation", "en") in text  # the English profile quotes a translation


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_five_actions_are_kept_on_one_page(lang: str) -> None:
    """The Rwanda example's long actions once split the table over two pages, leaving half of one empty."""
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    pages = [flat(p) for p in pages_text(render_profile(q, doc, lang=lang))]
    heading, note = flat(t("pdf.top_recs", lang)), flat(t("pdf.gain_help", lang))
    [start] = [i for i, p in enumerate(pages) if heading in p]
    assert note in pages[start]


def test_contradicting_answers_are_flagged_in_the_profile() -> None:
    from answers.document import Answer
    from tests.strategies import document

    q = default_questionnaire()
    doc = document(q, {"str_national_strategy": Answer(value="advanced"), "str_strategy_owner": Answer(value="no")})
    text = all_text(render_profile(q, doc, lang="en", generated_on=DAY))
    rule = next(r for r in q.meta.consistency if r.id == "strategy_adopted_has_owner")
    assert flat(rule.message.en)[:60] in flat(text)


def test_the_charts_are_vector_drawings_not_pictures(rendered: tuple[str, AnswersDocument, bytes]) -> None:
    lang, _, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf))
    assert [image.name for page in reader.pages for image in page.images] == []  # pypdf lists raster images
    caption = flat(t("pdf.radar_caption", lang))[:10]  # "Figure 1. ", with a target or without
    page = next(p for p in reader.pages if caption in flat(p.extract_text() or ""))
    drawing = page.get_contents().get_data()  # type: ignore[union-attr]
    assert drawing.count(b" l") > 200  # grid, polygons and bars drawn as paths, not a picture


def test_the_charts_name_pillars_by_their_short_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The full names ran into each other on the bar chart; they are in the tables beside the charts."""
    from reports import charts

    q = default_questionnaire()
    drawn: list[list[str]] = []
    for name in ("radar_svg", "bars_svg"):
        real = getattr(charts, name)

        def spy(points: Any, *args: Any, _real: Any = real, **kwargs: Any) -> bytes:
            drawn.append([p.label for p in points])
            return bytes(_real(points, *args, **kwargs))

        monkeypatch.setattr(charts, name, spy)
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    render_profile(q, doc, lang="fr", generated_on=DAY)
    assert drawn == [[p.short_name("fr") for p in q.pillars]] * 2
    assert all(p.short_name("fr") != p.name.get("fr") for p in q.pillars)  # the shipped ones do have short names


def test_the_radar_caption_speaks_of_a_target_only_when_one_is_set(mini: Questionnaire) -> None:
    doc = mini_doc(mini)
    without = doc.model_copy(update={"targets": {}})
    with_target = doc.model_copy(update={"targets": {mini.pillars[0].id: 60.0}})
    against = flat(t("pdf.radar_caption", "fr"))
    assert against in flat(all_text(render_profile(mini, with_target, lang="fr", generated_on=DAY)))
    text = flat(all_text(render_profile(mini, without, lang="fr", generated_on=DAY)))
    assert against not in text and flat(t("pdf.radar_caption_plain", "fr")) in text


def test_long_pillar_names_wrap_whole_in_the_contents() -> None:
    """"Stratégie nationale des TIC pour l'IoT et les villes et communautés intelligentes et durables" was cut
    with an ellipsis."""
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    toc = flat(pages_text(render_profile(q, doc, lang="fr", generated_on=DAY))[1])
    assert "…" not in toc
    for p in q.pillars:
        assert flat(p.name.get("fr")) in toc


def test_why_an_action_names_the_answer_given_not_a_score() -> None:
    """"Pourquoi : la question 9.1 obtient 0,00 (sous 0,75)" told a minister nothing; the answer does."""
    from questionnaires.references import question_number

    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    text = flat(all_text(render_profile(q, doc, lang="fr", generated_on=DAY)))
    rec = next(r for r in recommend(q, score(q, doc), doc) if r.trigger.question_id)
    qid = rec.trigger.question_id or ""
    option = q.scales[q.question(qid).scale or ""].option(str(rec.trigger.value))
    assert option is not None
    expected = t("pdf.trigger_question", "fr", question=question_number(q, qid), answer=option.label.get("fr"))
    assert flat(expected) in text and "obtient 0,00" not in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_iot_uptake_baseline_is_a_key_figure_said_to_be_unscored(lang: str) -> None:
    """Issue 21, point 17: the context indicator is in the key figures, with its figure and "not scored"."""
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    pages = pages_text(render_profile(q, doc, lang=lang, generated_on=DAY))
    first = next(flat(p) for p in pages if flat(t("pdf.key_figures", lang)) in flat(p))  # the summary page
    figure = "2,8" if lang == "fr" else "2.8"
    unit = q.question("spc_iot_connections").numeric.unit.get(lang)  # type: ignore[union-attr]
    assert flat(f"{figure} {unit} ({t('context.label', lang).lower()})") in first
    assert flat(q.question("spc_iot_connections").short.get(lang)) in first  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["1 contribution", "2 cities", "1 connection per 100 inhabitants"]),
    ("ru", ["1 вклад", "2 города", "1 соединение на 100 жителей"]),
    ("es", ["1 contribución", "2 ciudades", "1 conexión por cada 100 habitantes"]),
])
def test_a_count_in_the_profile_takes_its_units_plural_form(lang: str, said: list[str]) -> None:
    """Issue 24.4: each answer and key figure with a counted unit reads in the form of the value's CLDR category."""
    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    given = {"coo_itu_contributions": 1, "ssc_kpi_cities": 2, "spc_iot_connections": 1}
    doc = doc.model_copy(update={"answers": {**doc.answers, **{k: Answer(value=v) for k, v in given.items()}}})
    text = all_text(render_profile(q, doc, lang=lang, generated_on=DAY))
    for phrase in said:  # the text layer glues the points before the answer ("из 11,81 вклад"): no look-behind
        assert re.search(rf"{phrase}(?!\w)", text), phrase
