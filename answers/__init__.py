"""The answers document: one Member State's answers to one questionnaire version (pure, no database)."""
