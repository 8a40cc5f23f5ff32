"""Home: choose a Member State and a cycle, start or resume an assessment, see every assessment."""

from ui.views.home import main

main()
