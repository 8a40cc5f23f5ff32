"""Assess page: rerun time after one answer change, against a bare script with the same widgets.

Both are driven by Streamlit's AppTest in the same run, interleaved, so machine noise hits both alike.
The app's rerun includes the autosave (one ``save_answer`` to SQLite), the router, skip logic and
progress; the bare script renders the same widgets for the same pillar with literal labels and no
logic. Target: the app at most 1.5x the bare script. Run: ``python benchmarks/app_rerun.py [rounds]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, Python puts benchmarks/ first on the path, where benchmarks/scoring.py would
# shadow the scoring package: use the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.timing import timed_rerun  # noqa: E402
from questionnaires import Questionnaire, default_questionnaire  # noqa: E402
from questionnaires.models import Question  # noqa: E402

TARGET_RATIO = 1.5


def _question_source(questionnaire: Questionnaire, q: Question) -> list[str]:
    """The widgets ``ui.widgets.render_question`` draws for ``q``, as literal Streamlit calls."""
    key = f"q.{q.id}"
    lines = [
        f"with st.container(border=True, key={('question-' + q.id)!r}):",
        f"    st.markdown({q.text.en!r})",
        f"    st.caption({q.help.en!r})",
    ]
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        options = [o.label.en for o in scale.options]
        if scale.kind == "maturity":
            captions = [questionnaire.descriptor(q, o.value, "en") or "" for o in scale.options]
            lines.append(f"    st.radio({q.text.en!r}, {options!r}, captions={captions!r}, key='{key}.value', "
                         "index=None, label_visibility='collapsed')")
        else:
            lines.append(f"    st.radio({q.text.en!r}, {options!r}, horizontal=True, key='{key}.value', index=None, "
                         "label_visibility='collapsed')")
    elif q.type == "numeric":
        lines += [
            f"    st.text_input({q.text.en!r}, key='{key}.value', placeholder='A number', "
            "label_visibility='collapsed')",
            "    st.caption('In units, from 0 to 100.')",
        ]
    else:
        options = [o.label.en for o in q.options or []] + ["None of these"]
        lines += [
            f"    st.multiselect({q.text.en!r}, {options!r}, key='{key}.value', label_visibility='collapsed')",
            "    st.caption('Full score with 2 or more selected.')",
        ]
    lines += [
        "    cols = st.columns(3)",
        f"    cols[0].checkbox(\"Don't know\", key='{key}.dk')",
        f"    cols[1].checkbox('Not applicable', key='{key}.na')",
        f"    cols[2].checkbox('Mark for review', key='{key}.review')",
        "    with st.expander('Evidence and comment'):",
        f"        st.text_input('Evidence', key='{key}.evidence', placeholder={q.evidence_prompt.en!r})",
        f"        st.text_area('Comment', key='{key}.comment', height=80)",
    ]
    return lines


def bare_script(questionnaire: Questionnaire, pillar_id: str) -> str:
    """A script with the Assess page's widgets for one pillar and no logic at all."""
    pillars = [p.name.en for p in questionnaire.pillars]
    lines = [
        "import streamlit as st",
        "st.sidebar.selectbox('Language / Langue', ['English', 'Français'])",
        "st.sidebar.caption('Local single-user mode')",
        "st.title('Kenya, 2026')",
        "st.caption('Every change is saved at once.')",
        "st.progress(0.1, text='1 of 59 questions answered')",
        f"st.selectbox('Go to pillar', {pillars!r})",
        f"st.subheader({questionnaire.pillar(pillar_id).name.en!r})",
        f"st.caption({questionnaire.pillar(pillar_id).description.en!r})",
    ]
    for q in questionnaire.questions_in(pillar_id):
        lines += _question_source(questionnaire, q)
    lines += [
        "c1, c2 = st.columns(2)",
        "c1.button('Previous pillar')",
        "c2.button('Next pillar')",
        "with st.expander('Submit the assessment'):",
        "    st.button('Submit')",
    ]
    return "\n".join(lines)


def _timed_change(at: AppTest, key: str, value: str) -> float:
    at.radio(key=key).set_value(value)
    return timed_rerun(at)


def main(rounds: int = 40) -> dict[str, float]:
    from assessment import db, service

    questionnaire = default_questionnaire()
    pillar = questionnaire.pillars[0].id
    question = next(q for q in questionnaire.questions_in(pillar) if q.type == "scale" and q.depends_on is None)
    scale = questionnaire.scales[question.scale or ""]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["DATABASE_URL"] = url
        os.environ["IOTREADY_LOG_DIR"] = tmp
        os.environ.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
        with Session(db.connect(url)) as s:
            assessment_id = service.get_or_create_assessment(
                s, country="KEN", cycle=2026, questionnaire=questionnaire
            ).id
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.query_params["assessment"] = assessment_id
        app.run()
        app.switch_page("ui/pages/assess.py").run()
        bare = AppTest.from_string(bare_script(questionnaire, pillar), default_timeout=60).run()
        key = f"q.{question.id}.value"
        # Levels above 0 only: the gate's follow-ups then stay shown, so both scripts draw the same widgets.
        levels = [o for o in scale.options if (o.score or 0) > 0]
        app_values = [o.value for o in levels]
        bare_values = [o.label.en for o in levels]
        app_times: list[float] = []
        bare_times: list[float] = []
        for i in range(rounds + 5):  # the first 5 rounds warm up both
            a = _timed_change(app, key, app_values[i % len(app_values)])
            b = _timed_change(bare, key, bare_values[i % len(bare_values)])
            if i >= 5:
                app_times.append(a)
                bare_times.append(b)
    app_ms = 1000 * statistics.median(app_times)
    bare_ms = 1000 * statistics.median(bare_times)
    ratio = app_ms / bare_ms
    widgets = len(questionnaire.questions_in(pillar))
    print(f"Assess page rerun after one answer change ({widgets} questions in the pillar, {rounds} rounds, median):")
    print(f"  app (autosave + skip logic + progress): {app_ms:.1f} ms")
    print(f"  bare script, same widgets, no logic:    {bare_ms:.1f} ms")
    print(f"  ratio: {ratio:.2f}x (target <= {TARGET_RATIO}x) -> {'OK' if ratio <= TARGET_RATIO else 'ABOVE TARGET'}")
    return {"app_ms": app_ms, "bare_ms": bare_ms, "ratio": ratio}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
