"""Compare: countries, regions and groups side by side, for BDT advisers."""

from ui.views.compare import main

main()
