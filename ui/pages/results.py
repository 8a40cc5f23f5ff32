"""Results: overall score and tier, charts against the user's targets, why this score, the roadmap."""

from ui.views.results import main

main()
