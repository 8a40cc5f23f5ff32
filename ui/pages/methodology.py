"""Methodology: the questionnaire by pillar, weights, tiers, scales and the clause → question matrix."""

from ui.views.methodology import main

main()
