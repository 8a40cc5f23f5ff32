"""Methodology: the questionnaire by pillar, weights, tiers, scales and the clause → question matrix."""

import streamlit as st

from ui.views.methodology import main

st.set_page_config(layout="wide")
main()
