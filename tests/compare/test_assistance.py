"""The assistance-needs planning table."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare import assistance_needs, fired_rules
from exchange import frame_to_csv, frames_to_xlsx
from recommendations import fired_rule_ids, recommend
from scoring import score
from tests.compare.conftest import MINI, make_doc
from tests.strategies import documents


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(MINI), min_size=1, max_size=6))
def test_fired_rules_agree_with_recommend(docs: list) -> None:
    docs = [d.model_copy(update={"country": c}) for d, c in zip(docs, ["KEN", "ETH", "FJI", "KAZ", "HTI", "FRA"],
                                                                strict=False)]
    fired = fired_rules(MINI, docs)
    got = {(r.country, r.rule_id) for r in fired.itertuples()}
    expected = {(d.country, rid) for d in docs for rid in fired_rule_ids(MINI, score(MINI, d))}
    shown = {(d.country, rid) for d in docs for rec in recommend(MINI, score(MINI, d), d)
             for rid in [rec.rule_id, *(f.rule_id for f in rec.includes)]}
    assert got == expected == shown


def _table() -> pd.DataFrame:
    docs = [make_doc(MINI, "ETH", level=0.0), make_doc(MINI, "HTI", level=0.0), make_doc(MINI, "FRA", level=1.0),
            make_doc(MINI, "KEN", level=0.5)]
    return assistance_needs(MINI, docs).set_index("rule_id")


def test_countries_triggering_a_rule_are_listed_and_counted() -> None:
    row = _table().loc["rec_pillar_ipv6"]  # ipv6 below 45: only the two at level 0
    assert (row["n_countries"], row["countries"], row["share"]) == (2, "ETH, HTI", 0.5)


def test_counts_by_region_and_group() -> None:
    row = _table().loc["rec_pillar_ipv6"]
    assert (row["Africa"], row["Americas"], row["Europe"], row["ldc"], row["sids"], row["developing"]) == (
        1, 1, 0, 2, 1, 2,
    )


def test_a_rule_nobody_triggers_stays_with_zero() -> None:
    docs = [make_doc(MINI, "FRA", level=1.0)]
    table = assistance_needs(MINI, docs)
    assert len(table) == len(MINI.rules)
    assert (table["n_countries"] == 0).all()


def test_most_needed_rules_come_first() -> None:
    table = _table()
    assert table["n_countries"].is_monotonic_decreasing


def test_action_text_in_the_chosen_language() -> None:
    table = assistance_needs(MINI, [make_doc(MINI, "ETH", level=0.0)], lang="fr").set_index("rule_id")
    assert table.loc["rec_pillar_ipv6", "action"] == "Pilier IPv6."


def test_a_country_with_two_documents_counts_once() -> None:
    docs = [make_doc(MINI, "ETH", 2024, level=0.0), make_doc(MINI, "ETH", 2025, level=0.0)]
    assert assistance_needs(MINI, docs).set_index("rule_id").loc["rec_pillar_ipv6", "n_countries"] == 1


def test_table_exports_to_csv_and_xlsx() -> None:
    table = _table().reset_index()
    back = pd.read_csv(io.BytesIO(frame_to_csv(table)), encoding="utf-8-sig")
    assert back["rule_id"].tolist() == table["rule_id"].tolist()
    wb = openpyxl.load_workbook(io.BytesIO(frames_to_xlsx({"assistance": table})))
    assert wb["assistance"].cell(row=1, column=1).value == "rule_id"
    assert wb["assistance"].max_row == len(table) + 1
