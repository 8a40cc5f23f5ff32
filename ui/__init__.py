"""The Streamlit app's building blocks: thin pages over the assessment services (no scoring logic here)."""
