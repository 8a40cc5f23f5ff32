"""Assessment data: the answers document (pure) and, in submodules, persistence services."""
