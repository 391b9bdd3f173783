"""Report-data functions: a session and plain parameters in, frozen dataclasses out."""
