"""Read an export file as a stream of events, one row at a time, in any valid JSON layout.

The structure (the top-level object, ``tables``, each table's list) is walked here; each row
and each header value is decoded by the standard library's C decoder (``raw_decode``) from a
buffer refilled as it is used up, so memory holds one chunk and one row, not the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from desktop.services.transfer.columns import ImportRefused

CHUNK_CHARS = 1 << 20
# A row (or header value) larger than this is not something the app writes: the file is
# reported as broken there instead of being read whole into memory looking for its end.
MAX_VALUE_CHARS = 64 << 20

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_VALUE_START = frozenset('{["-0123456789tfn')


@dataclass(frozen=True)
class Header:
    """A top-level key other than ``tables`` (format, format_version, exported_at...)."""

    key: str
    value: Any


@dataclass(frozen=True)
class TableStart:
    name: str


@dataclass(frozen=True)
class Row:
    table: str
    index: int
    raw: Any


Event = Header | TableStart | Row


class _Stream:
    """A window on the text: ``buf[pos:]`` is what is still to be read."""

    def __init__(self, fh: TextIO, chunk: int) -> None:
        self.fh = fh
        self.chunk = chunk
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # the line ``buf[0]`` is on
        self.column = 1  # and its column

    def fill(self) -> bool:
        """Read another chunk; False at the end of the file."""
        if self.eof:
            return False
        data = self.fh.read(self.chunk)
        if not data:
            self.eof = True
            return False
        consumed = self.buf[: self.pos]
        newlines = consumed.count("\n")
        if newlines:
            self.line += newlines
            self.column = len(consumed) - consumed.rfind("\n")
        else:
            self.column += len(consumed)
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, or "" at the end of the file."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def take(self, expected: str, what: str) -> None:
        if self.peek() != expected:
            raise self.broken(self.pos, f"expected {what}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < MAX_VALUE_CHARS and self.fill():
                    continue
                raise self.broken(exc.pos, exc.msg) from None
            # A number cut at the end of the buffer decodes too: make sure it has ended.
            if end == len(self.buf) and self.fill():
                continue
            self.pos = end
            return value

    def broken(self, at: int, problem: str) -> ImportRefused:
        before = self.buf[:at]
        newlines = before.count("\n")
        line = self.line + newlines
        column = at - before.rfind("\n") if newlines else self.column + at
        return ImportRefused(
            "$", f"the file is not valid JSON at line {line}, column {column} ({problem})."
        )


def read_export(fh: TextIO, *, chunk: int = CHUNK_CHARS) -> Iterator[Event]:
    """The events of an export document in file order; raises ImportRefused where the JSON
    or its outline (an object with ``tables``, an object of lists) is wrong."""
    s = _Stream(fh, chunk)
    first = s.peek()
    if first != "{":
        if first in _VALUE_START and first:
            raise ImportRefused("$", "the top level must be an object.")
        raise s.broken(s.pos, "expected an object")
    s.pos += 1
    for key in _keys(s):
        if key != "tables":
            yield Header(key, s.value())
            continue
        if s.peek() != "{":
            s.value()  # a syntax error is reported as one
            raise ImportRefused("$.tables", "must be an object of table name → list of rows.")
        s.pos += 1
        for name in _keys(s):
            if s.peek() != "[":
                s.value()
                raise ImportRefused(f"$.tables.{name}", "must be a list of rows.")
            s.pos += 1
            yield TableStart(name)
            index = 0
            if s.peek() == "]":
                s.pos += 1
                continue
            while True:
                yield Row(name, index, s.value())
                index += 1
                if _separator(s, "]"):
                    break
    if s.peek():
        raise s.broken(s.pos, "extra data after the document")


def _keys(s: _Stream) -> Iterator[str]:
    """The keys of an object whose "{" was read, each with its ":" read; ends after "}"."""
    if s.peek() == "}":
        s.pos += 1
        return
    while True:
        if s.peek() != '"':
            raise s.broken(s.pos, "expected a key in double quotes")
        key = s.value()
        s.take(":", "':' after a key")
        yield key
        if _separator(s, "}"):
            return


def _separator(s: _Stream, closing: str) -> bool:
    """After a value: True when ``closing`` ends the list or object, False after a comma."""
    char = s.peek()
    if char == ",":
        s.pos += 1
        return False
    if char == closing:
        s.pos += 1
        return True
    raise s.broken(s.pos, f"expected ',' or '{closing}'")
