"""A test page for the right-to-left hook of ui/browser.py (issue 24): a sidebar, a heading and a chart,
in the language the address names (?lang=ar), without Arabic being offered to users."""

import plotly.graph_objects as go
import streamlit as st

from ui.browser import page_scripts

lang = st.query_params.get("lang", "en")
page_scripts(lang)
with st.sidebar:
    st.write("الشريط الجانبي")
st.title("ملف الجاهزية")
st.write("السياسة الوطنية لإنترنت الأشياء وفق التوصية ITU-T Y.4904")
st.plotly_chart(go.Figure(go.Bar(x=["IPv6", "NB-IoT"], y=[40, 60])), key="chart")
