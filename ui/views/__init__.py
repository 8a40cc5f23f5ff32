"""Page bodies, imported by the thin scripts in ``ui/pages/`` (imported modules are compiled once per
process; a page script is re-read on every rerun, so it stays two lines)."""
