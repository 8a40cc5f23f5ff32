"""Assess: one pillar per step, every change saved at once, skip logic applied live."""

from ui.views.assess import main

main()
