"""Small pieces of English the check messages are made of."""

from __future__ import annotations

from collections.abc import Sequence


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 comment', '3 comments'."""
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def number(value: float) -> str:
    """1.0 -> '1', 1.5 -> '1.5'."""
    return f"{value:g}"


def join_names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def sentence(text: str) -> str:
    """The text with its first letter in upper case and the rest untouched."""
    return text[:1].upper() + text[1:]


def hours(value: float, unit: str = "hour") -> str:
    """'1 business hour', '1.5 hours', '4 hours'."""
    return f"{number(value)} {unit}{'' if value == 1 else 's'}"
