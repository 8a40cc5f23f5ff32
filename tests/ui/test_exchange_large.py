"""Data exchange page: a JSON export over 20 MB (every Member State over ten cycles is 28-35 MB) imports back.

The file is streamed to a temporary file and through the command line's two readings (exchange.bulk): a
summary of one line per assessment before the yes, everything saved in one transaction after it, or nothing.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from exchange import export_json
from exchange.workbook import MAX_BYTES
from refdata import countries
from tests.compare.conftest import make_doc
from tests.ui.conftest import Env, open_page, texts
from tests.ui.test_exchange import assessments

JSON = "application/json"
SLOW = 600  # seconds for one run of the page: several hundred assessments on a shared machine


def big_export(env: Env, n: int = 380) -> bytes:
    """``n`` assessments with long comments and evidence: just over 20 MB (mini has five questions)."""
    q = env.questionnaire
    codes = [c.iso3 for c in countries()]
    docs = []
    for i in range(n):
        doc = make_doc(q, codes[i % len(codes)], 2026 + i // len(codes), status="draft")
        answers = {qid: Answer.model_validate(a.model_dump() | {"comment": f"{qid} {i} " + "c" * 9_000,
                                                                 "evidence": "e" * 1_900})
                   for qid, a in doc.answers.items()}
        docs.append(doc.model_copy(update={"answers": answers}))
    data = export_json(q, docs)
    assert len(data) > MAX_BYTES, len(data)
    return data


def check(at: AppTest, name: str, payload: bytes) -> AppTest:
    at.file_uploader(key="exchange.upload").set_value((name, payload, JSON)).run(timeout=SLOW)
    return at.button(key="exchange.import").click().run(timeout=SLOW)


def page(env: Env, lang: str | None = None) -> AppTest:
    at = env.app()
    if lang:
        at.query_params["lang"] = lang
    return open_page(at, "exchange")


def test_the_limit_is_said_before_the_upload(env: Env) -> None:
    assert "Files up to 100 MB" in texts(page(env))
    assert "Fichiers jusqu'à 100 Mo\u202f:" in texts(page(env, "fr"))


def test_an_export_over_20_mb_is_summarized_then_saved_whole(env: Env) -> None:
    data = big_export(env)
    at = check(page(env), "export.json", data)
    assert not at.exception
    assert "380 assessments in the file. New: 380; to change: 0; unchanged: 0." in texts(at)
    [summary] = at.dataframe
    assert len(summary.value) == 380 and str(summary.value.iloc[0, 0]).endswith(": new, 5 answered questions")
    assert assessments(env) == []  # nothing before the yes
    at.button(key="exchange.confirm").click().run(timeout=SLOW)
    assert not at.exception
    assert any("380 assessments saved in one transaction (new: 380; changed: 0)" in s.value for s in at.success)
    saved = assessments(env)
    assert len(saved) == 380 and all(s.overall is not None for s in saved)


def test_an_export_over_20_mb_with_one_bad_assessment_saves_nothing(env: Env) -> None:
    export = json.loads(big_export(env))
    bad = export["assessments"][200]["answers"]
    bad["answers"]["v6_users"] = {"value": 500}  # out of range (0-100)
    at = check(page(env), "export.json", json.dumps(export).encode())
    assert not at.exception
    assert any("nothing was saved" in e.value for e in at.error)
    located = at.table[0].value
    where = f"{bad['country']} {bad['cycle']}"
    assert list(located["Assessment"]) == [where] and "IPv6" in located["Question"].iloc[0]
    assert not any(b.key == "exchange.confirm" for b in at.button)
    assert assessments(env) == []


def test_a_truncated_export_over_20_mb_is_refused_in_french(env: Env) -> None:
    data = big_export(env)
    at = check(page(env, "fr"), "export.json", data[: len(data) - 1_000])
    assert not at.exception
    assert any("rien n'a été enregistré" in e.value for e in at.error), [e.value for e in at.error]
    assert assessments(env) == []


def test_a_file_over_the_limit_is_refused_with_the_limit(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    # The server refuses it before the page sees it; a test client does not, and 100 MB is a lot to hold in a
    # test: the page's own check at a 1 MB limit.
    monkeypatch.setattr("ui.views.exchange.MAX_UPLOAD_MB", 1)
    at = page(env)
    at.file_uploader(key="exchange.upload").set_value(("export.json", b" " * 2_000_000, JSON)).run()
    assert not at.exception
    [error] = at.error
    assert "export.json is 1.9 MB; the limit is 1 MB and nothing was saved" in error.value
    assert not any(b.key == "exchange.import" for b in at.button)
