"""The Approvals tab: the tracker, the step timeline, and the decision and request dialogs."""
