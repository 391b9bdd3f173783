"""Pure policy rules: SLA clock, compliance checks, workflows. No Qt, no sessions."""
