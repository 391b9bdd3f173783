"""Renderers: one class per report over shared reportlab building blocks."""
