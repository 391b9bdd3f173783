"""Bring the numbers in: the platforms' export files read, previewed and committed.

``sources`` reads a file into tables of cells (BOM and encoding checks, XLSX/XLS, ZIP);
``formats`` describes each platform's export as data; ``detect`` finds which one a file is;
``values`` parses counts, durations and dates; ``metrics_import`` and ``comments_import``
are the preview and commit use cases; ``metric_store`` and ``rollup`` write the numbers and
the monthly snapshots the evaluations read.
"""

from __future__ import annotations

from pathlib import Path

_COMMENT_HEADERS = ({"received_at", "text"}, {"comment id", "comment create timestamp"})


def is_comments_file(path: Path) -> bool:
    """True for a comments file (JSON, the app's template, Takeout); False for metrics."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text[:1] in (b"{", b"["):
        return True
    try:
        first = text.decode("utf-8", errors="replace").splitlines()[0]
    except IndexError:
        return False
    headers = {h.strip().strip('"').casefold() for h in first.split(",")}
    return any(needed <= headers for needed in _COMMENT_HEADERS)
