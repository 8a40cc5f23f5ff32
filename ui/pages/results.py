"""Results: overall score and tier, charts against the user's targets, why this score, the roadmap."""

import streamlit as st

from ui.views.results import main

st.set_page_config(layout="wide")
main()
