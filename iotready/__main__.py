"""``python -m iotready``: the command line without the installed script (a worktree, a checkout)."""

from iotready.cli import main

main()
