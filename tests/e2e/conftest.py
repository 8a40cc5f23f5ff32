"""Browser tests wait for what a busy 2-core machine needs, not for Playwright's 5 s default."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the tests themselves skip with a reason
    pass
else:
    expect.set_options(timeout=20_000)
