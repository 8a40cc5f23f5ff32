"""IoT Readiness: application layer shared by the CLI, the Streamlit app and the PDF reports."""

__version__ = "0.1.0"
