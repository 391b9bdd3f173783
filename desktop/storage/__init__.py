"""Engines, sessions, migrations, backups, the settings file and the password keyring.

Nothing is imported here: the app reads its paths and settings file at start-up, before it
loads SQLAlchemy (``desktop.storage.database``).
"""
