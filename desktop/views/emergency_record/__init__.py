"""The emergency's record: what it covers, its on-call people (named and changed while it
runs) and its group updates."""
