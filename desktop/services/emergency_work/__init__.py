"""Work on a running emergency beyond declaring and ending it: naming and changing the on-call
people, and the emergency's record (what it covers, who is on call, its group updates)."""
