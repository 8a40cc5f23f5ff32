"""Methodology: the questionnaire by pillar, weights (with the expert panel's spread when a panel weighed this
version), tiers, scales and the clause → question matrix."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from formatting.markdown import answer_options
from formatting.numbers import MISSING, fmt_number, fmt_percent
from questionnaires.basis import aim_text, practice_mark
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import unofficial_clause_text
from questionnaires.panel import PanelWeight
from questionnaires.references import clause_reference, question_number
from ui import data, state, static_charts


def _panel_range(panel: dict[tuple[str, str], PanelWeight], kind: str, ident: str, lang: str) -> str | None:
    """"expert panel: 0,75 to 1,25 (4 experts)" for a weight the panel gave, else None."""
    w = panel.get((kind, ident))
    if w is None:
        return None
    return t("ui.method.panel_range", lang, low=fmt_number(w.low, lang), high=fmt_number(w.high, lang), n=w.n)


def _table(table: pd.DataFrame, lang: str) -> None:
    """A reference table as plain HTML: the page's five data grids loaded the grid's scripts (Glide, Arrow's
    decoder: 31 chunks, 1.7 MB) in the folded tabs too, and made the whole page about 2x a bare one (issue 26).
    Every cell is already text in the reader's language; a missing one shows as "–"."""
    st.html(static_charts.html_table(table.fillna(MISSING), lang))


def _questions(questionnaire: Questionnaire, lang: str, panel: dict[tuple[str, str], PanelWeight]) -> None:
    state.reword(state.METHOD_PILLAR, lang)  # the chosen pillar stays shown after a language switch
    pid = st.selectbox(
        t("pillar", lang), [p.id for p in questionnaire.pillars], key=state.METHOD_PILLAR,
        format_func=lambda p: questionnaire.pillar(p).name.get(lang),
    )
    pillar = questionnaire.pillar(pid)
    st.caption(pillar.description.get(lang))
    for question in questionnaire.questions_in(pid):
        with st.expander(f"{question_number(questionnaire, question.id)} {question.text.get(lang)}"):
            st.markdown(question.help.get(lang))
            st.markdown("\n".join(f"- {o}" for o in answer_options(questionnaire, question, lang, codes=False)))
            colon = separator(":", lang)
            cited = separator(";", lang).join(clause_reference(questionnaire, c, lang) for c in question.clauses)
            facts = [
                f"{t('ui.col.weight', lang)} {fmt_number(question.weight, lang)}"
                + (f" ({spread})" if (spread := _panel_range(panel, "question", question.id, lang)) else ""),
                f"{t('cli.clauses', lang)}{colon}{cited}",
                f"{t('cli.basis', lang)}{colon}{t('basis.' + question.basis, lang)}",
            ]
            if question.allow_na:
                facts.append(t("status.not_applicable", lang))
            if question.allow_dont_know:
                facts.append(t("status.dont_know", lang))
            if question.depends_on:
                parent = questionnaire.question(question.depends_on.question)
                facts.append(t("ui.method.depends_on", lang, parent=parent.text.get(lang)))
            st.caption(" · ".join(facts))
            aim = aim_text(questionnaire, question, lang)
            if aim is not None:
                st.caption(f"{t('cli.aim', lang)}{colon} {aim}")
            st.caption(f"{t('cli.evidence', lang)}{colon} {question.evidence_prompt.get(lang)}")


def _pillar_weights(questionnaire: Questionnaire, lang: str, panel: dict[tuple[str, str], PanelWeight]) -> None:
    """Each pillar's weight and share; with a panel, its lowest and highest expert weight and the spread."""
    pillars = questionnaire.pillars
    total = sum(p.weight for p in pillars)
    # Small reference tables: numbers as text in the reader's language (NumberColumn writes a point).
    columns = {
        t("pillar", lang): [p.name.get(lang) for p in pillars],
        t("ui.col.weight", lang): [fmt_number(p.weight, lang) for p in pillars],
        t("ui.col.share", lang): [fmt_percent(100 * p.weight / total, lang) for p in pillars],
        t("ui.col.questions", lang): [len(questionnaire.questions_in(p.id)) for p in pillars],
    }
    if panel:
        given = [panel.get(("pillar", p.id)) for p in pillars]
        columns[t("ui.col.panel_low", lang)] = [fmt_number(w.low, lang) if w else "–" for w in given]
        columns[t("ui.col.panel_high", lang)] = [fmt_number(w.high, lang) if w else "–" for w in given]
        columns[t("ui.col.panel_spread", lang)] = [
            fmt_percent(100 * (w.high - w.low) / p.weight, lang) if w else "–" for p, w in zip(pillars, given,
                                                                                             strict=True)
        ]
        columns[t("ui.col.panel_n", lang)] = [str(w.n) if w else "–" for w in given]
    _table(pd.DataFrame(columns), lang)
    st.caption(t("ui.method.panel_help" if panel else "ui.method.panel_none", lang))


def _weights_and_tiers(questionnaire: Questionnaire, lang: str, panel: dict[tuple[str, str], PanelWeight]) -> None:
    st.markdown(t("ui.method.weights_help", lang))
    _pillar_weights(questionnaire, lang, panel)
    st.markdown(t("ui.method.tiers_help", lang))
    tiers = questionnaire.tiers
    _table(
        pd.DataFrame(
            {
                t("tier", lang): [tier.name.get(lang) for tier in tiers],
                t("ui.col.from", lang): [fmt_number(tier.min_score, lang) for tier in tiers],
                t("ui.col.to", lang): [fmt_number(nxt.min_score, lang) for nxt in tiers[1:]] + ["100"],
                t("ui.col.description", lang): [tier.description.get(lang) for tier in tiers],
            }
        ),
        lang,
    )


def _scales(questionnaire: Questionnaire, lang: str) -> None:
    for scale in questionnaire.scales.values():
        st.markdown(f"**{t(f'ui.method.scale_{scale.kind}', lang)}**")
        _table(
            pd.DataFrame(
                {
                    t("ui.col.level", lang): [o.label.get(lang) for o in scale.options],
                    t("score", lang): [fmt_number(o.score, lang) for o in scale.options],
                    t("ui.col.description", lang): [
                        o.descriptor.get(lang) if o.descriptor else "" for o in scale.options
                    ],
                }
            ),
            lang,
        )


def _traceability(questionnaire: Questionnaire, lang: str) -> None:
    st.markdown(t("cli.traceability_intro", lang))
    required = set(questionnaire.required_clause_ids())
    rows = []
    for clause_id, question_ids in questionnaire.traceability().items():
        clause = questionnaire.clause_map.get(clause_id)
        rows.append(
            {
                t("cli.clause", lang): clause_reference(questionnaire, clause_id, lang) if clause else "",
                t("cli.required", lang): "✔" if clause_id in required else "",
                t("cli.text", lang): clause.text(lang) if clause else "",
                t("cli.questions", lang): ", ".join(
                    question_number(questionnaire, q) + practice_mark(questionnaire, q) for q in question_ids
                ),
            }
        )
    _table(pd.DataFrame(rows), lang)
    st.caption(t("cli.basis_intro", lang))
    if unofficial_clause_text(lang):  # the French page shows the French text of the resolution, the authentic one
        st.caption(t("unofficial_translation", lang))


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    panel = {(w.kind, w.id): w for w in data.panel() or ()}
    st.title(t("ui.nav.methodology", lang))
    st.markdown(t("ui.method.intro", lang, title=questionnaire.meta.title.get(lang), version=questionnaire.version))
    tabs = st.tabs(
        [t("ui.method.tab_questions", lang), t("ui.method.tab_weights", lang), t("ui.method.tab_scales", lang),
         t("ui.method.tab_matrix", lang)]
    )
    with tabs[0]:
        _questions(questionnaire, lang, panel)
    with tabs[1]:
        _weights_and_tiers(questionnaire, lang, panel)
    with tabs[2]:
        _scales(questionnaire, lang)
    with tabs[3]:
        _traceability(questionnaire, lang)
