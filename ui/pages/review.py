"""Review: an adviser's queries per question, and the validation workflow's moves."""

from ui.views.review import main

main()
