"""Data exchange: the offline questionnaire workbook to download, and uploads of filled workbooks or JSON exports."""

import streamlit as st

from ui.views.exchange import main

st.set_page_config(layout="wide")
main()
