"""Compare: countries, regions and groups side by side, for BDT advisers."""

import streamlit as st

from ui.views.compare import main

st.set_page_config(layout="wide")
main()
