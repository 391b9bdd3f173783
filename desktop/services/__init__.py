"""Use cases: one transaction each, authorisation, validation, audit. Never imports Qt."""
