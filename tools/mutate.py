"""Run mutmut with the tests narrowed to the ones meant to kill a module's mutants (`make mutate MUTATE_TESTS=...`).

mutmut runs, for each mutant, every selected test that reaches the mutated function. `scoring.engine.score()`
is reached by hundreds of service, exchange and assessment tests, so a mutant there costs minutes on a shared
2-core machine. `MUTATE_TESTS` (space-separated pytest paths) replaces `pytest_add_cli_args_test_selection`
from pyproject.toml for this run only; everything else (`pytest_add_cli_args`, the mutated paths) is unchanged.
A score made this way is a score against those tests, and docs/testing.md says so next to it. mutmut itself
resets its cached verdicts in mutants/ when the selection changes, so one selection per mutants/ directory.
"""

from __future__ import annotations

import os
from dataclasses import replace

from mutmut import configuration
from mutmut.__main__ import cli

if __name__ == "__main__":
    tests = os.environ.get("MUTATE_TESTS", "").split()
    if tests:
        configuration._config = replace(configuration.config(), pytest_add_cli_args_test_selection=tests)
    cli()
