"""Admin: users, invitations, grants, revocations, last sign-in, and the audit trail."""

from ui.views.admin import main

main()
