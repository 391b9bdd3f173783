"""Which platform export a file is: its header found in the first rows by the required-subset
signature of each known format, then read into a ParsedFile."""

from __future__ import annotations

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.services.imports import values as v
from desktop.services.imports.formats import ALL, meta
from desktop.services.imports.formats.base import Spec, read_table
from desktop.services.imports.model import ParsedFile
from desktop.services.imports.sources import Sheet, Source

HEADER_ROWS = 5


def find_header(sheet: Sheet) -> tuple[Spec, int] | None:
    """The best-matching format and the index of its header row, if any."""
    best: tuple[int, Spec, int] | None = None
    for index, (_line, cells) in enumerate(sheet.rows[:HEADER_ROWS]):
        headers = [v.header_key(c) for c in cells if c is not None]
        for spec in ALL:
            score = spec.match(headers)
            if score and (best is None or score > best[0]):
                best = (score, spec, index)
        if best is not None:
            break
    return (best[1], best[2]) if best else None


def parse_source(source: Source, zone: str) -> ParsedFile:
    found = [(sheet, find_header(sheet)) for sheet in source.sheets]
    matched = [(sheet, hit) for sheet, hit in found if hit is not None]
    if not matched:
        known = "; ".join(spec.label for spec in ALL)
        raise DomainError(
            f"{source.name}: the app does not recognise this file (no known header in its "
            f"first {HEADER_ROWS} rows). It reads these exports: {known}."
        )
    specs = list(dict.fromkeys(hit[0] for _sheet, hit in matched))
    platforms = {spec.platform for spec in specs}
    if len(platforms) > 1:
        raise DomainError(f"{source.name} mixes exports of several platforms; import them apart.")
    out = ParsedFile(
        file_name=source.name,
        format_key="+".join(spec.key for spec in specs),
        format_label=" and ".join(spec.label for spec in specs),
        format_version=specs[0].default_version,
        platform=specs[0].platform,
        warnings=list(source.warnings),
    )
    for sheet, (spec, header_at) in matched:
        override = None
        if spec is meta.PAGE_DAILY:
            title, measure = _page_daily_measure(sheet, header_at)
            override = {"value": measure}
            if title.startswith("instagram"):  # Instagram's per-metric files have this shape too
                out.platform = Platform.INSTAGRAM
                out.format_label = "Meta Business Suite: Instagram daily series"
        read_table(spec, sheet, header_at, out, zone, override)
    for sheet, hit in found:
        if hit is None:
            where = f"{sheet.file} {sheet.name}".strip()
            out.warnings.append(f"{where}: not read (not one of the exports the app knows).")
    if not out.account_hint:
        out.account_hint = _hint_from_name(source.name, out.format_key)
    return out


def _page_daily_measure(sheet: Sheet, header_at: int) -> tuple[str, str]:
    """The title line's key and the measure it names."""
    title = ""
    for _line, cells in sheet.rows[:header_at]:
        text = " ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
        if text:
            title = text
    key = v.header_key(title)
    measure = meta.PAGE_DAILY_TITLES.get(key)
    if measure is not None:
        return key, measure
    if any(v.header_key(n) == key for n in meta.PAGE_DAILY_NOT_IMPORTED):
        raise DomainError(
            f"{sheet.file} holds “{title}”, which is not an engagement measure the app counts "
            "(it imports reactions, comments, shares, reach, views and watch time); nothing "
            "to import."
        )
    raise DomainError(
        f"{sheet.file}: the title line “{title or '(none)'}” does not name a daily metric the "
        "app knows (Facebook follows, Views, Viewers, Content interactions)."
    )


def _hint_from_name(name: str, format_key: str) -> str:
    """The handle some exports put in their file name (legacy X, LinkedIn)."""
    stem = name.rsplit(".", 1)[0]
    if format_key == "x_tweet_activity" and stem.startswith("tweet_activity_metrics_"):
        parts = stem.removeprefix("tweet_activity_metrics_").split("_")
        return "_".join(parts[:-3]) if len(parts) > 3 else parts[0]
    if format_key.startswith("linkedin") and "_content_" in stem:
        return stem.split("_content_")[0]
    return ""
