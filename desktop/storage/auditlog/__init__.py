"""The audit log's machinery: the two hash chains, the record digests, verification.

Lives in storage because migrations need it too (a new record layout is vouched for right after
the upgrade); ``desktop.services.audit`` is the services' door to it. See
docs/trust-and-sync.md §3–§5.
"""
