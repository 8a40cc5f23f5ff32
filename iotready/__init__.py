"""The ``iotready`` command line: the same services as the app, for scripts and secretariats (no Streamlit)."""

__version__ = "0.1.0"
