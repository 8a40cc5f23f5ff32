"""Data exchange: the offline questionnaire workbook to download, and uploads of filled workbooks or JSON exports."""

from ui.views.exchange import main

main()
