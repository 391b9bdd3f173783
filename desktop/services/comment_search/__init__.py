"""Searching the comment log through its index (``desktop.storage.comment_search``)."""
