"""PDF reports (reportlab) built from plain report-data functions."""
