"""Local-first replicas of a hub (docs/trust-and-sync.md §6).

A replica is a SQLite file made by the app's migrations; ``replica.create`` fills it from the
hub and installs the outbox triggers; ``engine.Syncer`` pushes the outbox and pulls the hub's
change feed; ``resolve`` settles conflicts. The hub's side is ``desktop.hub.changes``.
"""
