"""Bulk generation: N profiles on a process pool, in job order, errors isolated, one zip."""

from __future__ import annotations

import io
import sys
import types
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from questionnaires import Questionnaire
from refdata import country_name
from reports.bulk import ProfileJob, ProfileOutput, render_many, save_profiles, zip_profiles
from tests.reports.helpers import flat, mini_doc

DAY = date(2026, 11, 29)


def test_render_many_makes_one_valid_pdf_per_job_in_order(mini: Questionnaire) -> None:
    countries = ["KEN", "FRA", "BRA"]
    jobs = [ProfileJob(mini_doc(mini, country=c), lang="fr", generated_on=DAY) for c in countries]
    outputs = render_many(jobs, questionnaire=mini, workers=2)
    assert [o.name for o in outputs] == [f"iot-readiness-{c}-2026-fr.pdf" for c in countries]
    for country, out in zip(countries, outputs, strict=True):
        assert out.ok and out.pdf is not None
        cover = flat(PdfReader(io.BytesIO(out.pdf)).pages[0].extract_text())
        assert country_name(country, "fr") in cover


def test_pool_and_in_process_give_the_same_bytes(mini: Questionnaire) -> None:
    jobs = [ProfileJob(mini_doc(mini, country=c), generated_on=DAY) for c in ("KEN", "GHA")]
    pooled = render_many(jobs, questionnaire=mini, workers=2)
    serial = render_many(jobs, questionnaire=mini, workers=1)
    assert [o.pdf for o in pooled] == [o.pdf for o in serial]


def test_a_bad_document_fails_alone(mini: Questionnaire) -> None:
    bad = mini_doc(mini).model_copy(update={"questionnaire_version": "9.9.9"})
    outputs = render_many(
        [ProfileJob(mini_doc(mini), generated_on=DAY), ProfileJob(bad, filename="bad.pdf", generated_on=DAY)],
        questionnaire=mini, workers=1,
    )
    assert outputs[0].ok
    assert not outputs[1].ok and outputs[1].error and "9.9.9" in outputs[1].error


def test_progress_is_reported_after_each_profile(mini: Questionnaire) -> None:
    seen: list[tuple[int, int]] = []
    jobs = [ProfileJob(mini_doc(mini, country=c), generated_on=DAY) for c in ("KEN", "GHA", "SEN")]
    render_many(jobs, questionnaire=mini, workers=1, progress=lambda d, n: seen.append((d, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_zip_holds_every_pdf_and_lists_failures() -> None:
    outputs = [
        ProfileOutput("a.pdf", pdf=b"%PDF-a"),
        ProfileOutput("a.pdf", pdf=b"%PDF-b"),
        ProfileOutput("c.pdf", error="cannot score: version 9.9.9"),
    ]
    data = zip_profiles(outputs)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["ERRORS.txt", "a-2.pdf", "a.pdf"]
        assert zf.read("a-2.pdf") == b"%PDF-b"
        assert "c.pdf: cannot score: version 9.9.9" in zf.read("ERRORS.txt").decode()
    assert zip_profiles(outputs) == data


def test_save_profiles_writes_each_pdf_by_file_name_only(tmp_path: Path) -> None:
    outputs = [
        ProfileOutput("a.pdf", pdf=b"%PDF-a"),
        ProfileOutput("../../escape.pdf", pdf=b"%PDF-e"),
        ProfileOutput("bad.pdf", error="cannot score"),
    ]
    written = save_profiles(outputs, tmp_path / "out")
    assert sorted(p.name for p in written) == ["a.pdf", "escape.pdf"]
    assert all(p.parent == tmp_path / "out" for p in written)
    assert (tmp_path / "out" / "a.pdf").read_bytes() == b"%PDF-a"


def test_the_pool_never_runs_the_callers_script_again(
    mini: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the app (and under AppTest) ``__main__`` is the Streamlit page last run; a worker that re-ran it died
    (`NameError: __args` from AppTest's generated script: BrokenProcessPool in a full run)."""
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('the caller script ran in a worker')\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    jobs = [ProfileJob(mini_doc(mini, country=c), lang="en", generated_on=DAY) for c in ("KEN", "FRA")]
    outputs = render_many(jobs, questionnaire=mini, workers=2)
    assert [o.ok for o in outputs] == [True, True]
    assert sys.modules["__main__"] is page  # the caller's own module is back


def _arabic_jobs(mini: Questionnaire, countries: tuple[str, ...]) -> list[ProfileJob]:
    return [ProfileJob(mini_doc(mini, country=c), lang="ar", generated_on=DAY) for c in countries]


@pytest.fixture
def handed_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many shaped widths each profile's worker measured and handed back to this process.

    No annexes recorded by an earlier test are kept: one that poured sample text into Arabic
    (``tests.sample_languages``) leaves its recording behind, which a profile drawn here would replay and a new
    worker would not have.
    """
    from reports import annexes, bulk, shaping

    shaping.clear()
    annexes._kept.clear()
    counts: list[int] = []
    keep = bulk._keep_widths

    def counted(widths: shaping.Widths) -> None:
        counts.append(sum(len(texts) for texts in widths.values()))
        keep(widths)

    monkeypatch.setattr(bulk, "_keep_widths", counted)
    yield counts
    shaping.clear()
    annexes._kept.clear()


def test_the_zips_arabic_profiles_are_the_profiles_drawn_one_by_one(
    mini: Questionnaire, handed_back: list[int]
) -> None:
    from reports.profile import render_profile

    jobs = _arabic_jobs(mini, ("KEN", "GHA", "SEN"))
    with zipfile.ZipFile(io.BytesIO(zip_profiles(render_many(jobs, questionnaire=mini, workers=2)))) as zf:
        zipped = {name: zf.read(name) for name in zf.namelist()}
    assert zipped == {job.name: render_profile(mini, job.doc, lang="ar", generated_on=DAY) for job in jobs}


def test_pool_workers_start_with_the_shaped_widths_this_process_kept(
    mini: Questionnaire, handed_back: list[int]
) -> None:
    from reports import shaping
    from reports.profile import render_profile

    jobs = _arabic_jobs(mini, ("KEN", "GHA"))
    first = render_many(jobs, questionnaire=mini, workers=2)  # workers start empty: each measures its profile
    assert len(handed_back) == 2 and all(handed_back)
    assert shaping.kept() >= max(handed_back)  # and this process keeps what they measured
    handed_back.clear()
    again = render_many(jobs, questionnaire=mini, workers=2)  # new workers, given those widths: nothing to measure
    assert handed_back == [0, 0]
    alone = [render_profile(mini, job.doc, lang="ar", generated_on=DAY) for job in jobs]
    assert [o.pdf for o in first] == [o.pdf for o in again] == alone
