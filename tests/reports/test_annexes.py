"""The annexes are drawn once per questionnaire and language and replayed into every profile, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from answers.document import AnswersDocument
from questionnaires import Questionnaire, default_questionnaire
from questionnaires.messages import t
from reports import annexes
from reports.annexes import AnnexWriter, annexes_for, record_annexes
from reports.bulk import ProfileJob, _init_worker, _questionnaire, _render_one, _worker_annexes, render_many
from reports.profile import _Builder, render_profile
from reports.replay import Live, NotReplayable
from scoring.engine import score
from tests.reports.helpers import all_text, mini_doc, pages_text

DAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    """No recording kept from another test, none left for the next."""
    annexes._kept.clear()
    _worker_annexes.clear()
    yield
    annexes._kept.clear()
    _worker_annexes.clear()


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The language of each time the annexes are laid out (recorded or drawn in a profile)."""
    calls: list[str] = []
    original = AnnexWriter.annexes

    def counted(self: AnnexWriter) -> None:
        calls.append(self.lang)
        original(self)

    monkeypatch.setattr(AnnexWriter, "annexes", counted)
    return calls


def _both(q: Questionnaire, doc: AnswersDocument, lang: str, **kwargs: object) -> tuple[bytes, bytes]:
    """The profile with its annexes replayed, and drawn in it (both with the recording's glyph numbering)."""
    recording = record_annexes(q, lang)
    args = (q, doc, score(q, doc), lang, kwargs.get("peers"), None, DAY, kwargs.get("queries", ()), recording)
    return _Builder(*args).build(), _Builder(*args, replay_annexes=False).build()  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    "case",
    ["draft", "submitted", "illustrative", "queries", "peers"],
)
def test_replayed_annexes_are_the_bytes_drawn_ones_are(mini: Questionnaire, lang: str, case: str) -> None:
    doc = mini_doc(mini, status="submitted" if case == "submitted" else "draft", illustrative=case == "illustrative")
    kwargs: dict[str, object] = {}
    if case == "queries":
        kwargs["queries"] = [("IPv6 users?", ["Which survey is this from?"])]
    if case == "peers":
        kwargs["peers"] = {p.id: 40.0 for p in mini.pillars}
    replayed, drawn = _both(mini, doc, lang, **kwargs)
    assert replayed == drawn


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_shipped_annexes_break_pages_inside_their_tables_and_still_replay_exactly(lang: str) -> None:
    q = default_questionnaire()
    recording = record_annexes(q, lang)
    assert any(isinstance(e, Live) and dict(e.kwargs).get("same") for e in recording.events)  # a table's break
    doc = AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, country="SEN", cycle=2026)
    replayed, drawn = _both(q, doc, lang)
    assert replayed == drawn
    assert t("pdf.annex_method", lang) in all_text(replayed)
    last = pages_text(replayed)[-1]  # the traceability annex's last page, with the profile's own header
    assert ("Sénégal" if lang == "fr" else "Senegal") in last


@pytest.mark.parametrize("lang", ["ar", "zh", "es", "ru"])
def test_the_shipped_annexes_replay_exactly_in_every_other_language(lang: str) -> None:
    """Arabic's glyphs are shaped (joining forms, marks) and Chinese's come from two fonts: both replay too."""
    q = default_questionnaire()
    doc = AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, country="SEN", cycle=2026)
    replayed, drawn = _both(q, doc, lang)
    assert replayed == drawn


def test_an_arabic_recording_numbers_its_shaped_glyphs_whole() -> None:
    recording = record_annexes(default_questionnaire(), "ar")
    kept = [g for _, glyphs in recording.glyphs for g in glyphs]
    shaped = [g for g in kept if not isinstance(g, int)]
    assert shaped and all(len(g) == 4 for g in shaped)  # (glyph id, cluster's code points, name, width)


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_a_profile_in_arabic_or_chinese_replays_the_annexes_this_process_keeps(lang: str, drawn: list[str]) -> None:
    q = default_questionnaire()
    for country in ("SEN", "KEN"):
        doc = AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, country=country, cycle=2026)
        render_profile(q, doc, lang=lang, generated_on=DAY)
    assert drawn == [lang]  # recorded once, replayed twice


def test_a_profile_replays_the_annexes_this_process_keeps(mini: Questionnaire, drawn: list[str]) -> None:
    first = render_profile(mini, mini_doc(mini), lang="fr", generated_on=DAY)
    second = render_profile(mini, mini_doc(mini, country="SEN"), lang="fr", generated_on=DAY)
    assert drawn == ["fr"]  # recorded once, replayed twice
    assert first != second and t("pdf.annex_trace", "fr").split()[0] in all_text(second)


def test_a_bulk_run_draws_the_annexes_once_per_language(mini: Questionnaire, drawn: list[str]) -> None:
    jobs = [ProfileJob(mini_doc(mini, country=c), lang=lang, generated_on=DAY)
            for c in ("KEN", "SEN", "FJI") for lang in ("en", "fr")]
    outputs = render_many(jobs, questionnaire=mini, workers=1)
    assert all(o.ok for o in outputs)
    assert sorted(drawn) == ["en", "fr"]


def test_a_pool_worker_replays_what_its_parent_drew(mini: Questionnaire, drawn: list[str]) -> None:
    folder = str(mini.source_dir)
    recording = record_annexes(_questionnaire(folder), "en")
    drawn.clear()
    _init_worker({"en": recording})  # what the pool's initializer receives
    out = _render_one(folder, ProfileJob(mini_doc(mini), lang="en", generated_on=DAY))
    assert out.ok and drawn == []  # nothing laid out again in the worker
    assert out.pdf == render_profile(_questionnaire(folder), mini_doc(mini), lang="en", generated_on=DAY,
                                     annexes=recording)


def test_the_pool_gives_the_bytes_one_process_gives_in_both_languages(mini: Questionnaire) -> None:
    jobs = [ProfileJob(mini_doc(mini, country=c), lang=lang, generated_on=DAY) for c in ("KEN", "GHA")
            for lang in ("en", "fr")]
    pooled = render_many(jobs, questionnaire=mini, workers=2)
    serial = [render_profile(mini, j.doc, lang=j.lang, generated_on=DAY) for j in jobs]
    assert [o.pdf for o in pooled] == serial


def test_annexes_that_cannot_be_replayed_are_drawn_in_each_profile(
    mini: Questionnaire, drawn: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(q: Questionnaire, lang: str) -> None:
        raise NotReplayable("an image")

    monkeypatch.setattr(annexes, "record_annexes", refuse)
    assert annexes_for(mini, "en") is None
    pdf = render_profile(mini, mini_doc(mini), lang="en", generated_on=DAY)
    assert drawn == ["en"]  # laid out in the profile itself
    text = all_text(pdf)
    assert t("pdf.annex_method", "en") in text and t("pdf.annex_trace", "en") in text


def test_each_questionnaire_has_its_own_recording(mini: Questionnaire) -> None:
    shipped = default_questionnaire()
    assert annexes_for(mini, "en") is annexes_for(mini, "en")
    assert annexes_for(mini, "en") is not annexes_for(shipped, "en")
    assert annexes_for(mini, "en") is not annexes_for(mini, "fr")
