"""A replica's SQLite triggers: every local write records its change in the outbox in the
same transaction (silenced while a pull applies the hub's rows), and the audit log's record
digests follow only entries that continue a record's current digest (as on the hub, §4).

On a replica the kept digests follow this copy's own events only: events pulled from the hub
leave them alone, and the pull sets the kept digest of each row it applies from the row itself
(``engine.fix_digest``). A pulled event may describe a change whose row this copy does not
have (yet, or ever: a change the hub refused or that lost a conflict); following it would make
the ``before`` of the next local event of that record a state the row never had, and the log
would stop adding up on every copy."""

from __future__ import annotations

from sqlalchemy import Connection, Table

from desktop.sync.rows import tables_by_name

APPLYING = "applying"  # sync_state key: "1" while a pull or a resolution applies rows
_LIVE = f"(SELECT value FROM sync_state WHERE key = '{APPLYING}') IS NOT '1'"
_SINCE = (
    "(SELECT coalesce(max(origin_seq), 0) FROM audit_events WHERE origin = "
    "(SELECT value FROM database_meta WHERE key = 'origin'))"
)
_POS = "(SELECT coalesce(max(pos), 0) + 1 FROM sync_outbox)"
_NOW = "strftime('%Y-%m-%dT%H:%M:%f', 'now')"
_NEW_ID = "lower(hex(randomblob(16)))"

RECORDS_TRIGGER = """
CREATE TRIGGER trg_audit_events_records AFTER INSERT ON audit_events
WHEN NEW.records <> '' AND json_valid(NEW.records) AND {live}
BEGIN
    UPDATE record_digests
    SET digest = (SELECT json_extract(j.value, '$[3]') FROM json_each(NEW.records) AS j
                  WHERE json_extract(j.value, '$[0]') = record_digests.table_name
                    AND json_extract(j.value, '$[1]') = record_digests.record_id),
        event_id = NEW.id
    WHERE EXISTS (SELECT 1 FROM json_each(NEW.records) AS j
                  WHERE json_extract(j.value, '$[0]') = record_digests.table_name
                    AND json_extract(j.value, '$[1]') = record_digests.record_id
                    AND json_extract(j.value, '$[1]') <> '*'
                    AND json_extract(j.value, '$[2]') = record_digests.digest
                    AND json_extract(j.value, '$[3]') <> '');
    DELETE FROM record_digests WHERE rowid IN (
        SELECT rd.rowid FROM json_each(NEW.records) AS j
        JOIN record_digests AS rd
          ON rd.table_name = json_extract(j.value, '$[0]')
         AND rd.record_id = json_extract(j.value, '$[1]')
        WHERE json_extract(j.value, '$[1]') <> '*'
          AND json_extract(j.value, '$[3]') = ''
          AND rd.digest = json_extract(j.value, '$[2]')
    );
    INSERT OR IGNORE INTO record_digests (table_name, record_id, digest, event_id)
        SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
               json_extract(j.value, '$[3]'), NEW.id
        FROM json_each(NEW.records) AS j
        WHERE json_extract(j.value, '$[1]') <> '*' AND json_extract(j.value, '$[2]') = ''
          AND json_extract(j.value, '$[3]') <> '';
END
""".replace("{live}", _LIVE)


def _key(table: Table, row: str) -> str:
    return "json_array(" + ", ".join(f"{row}.{c.name}" for c in table.primary_key.columns) + ")"


def _pending(table: Table, row: str, op: str | None = None) -> str:
    extra = f" AND op = '{op}'" if op else ""
    return (
        f"table_name = '{table.name}' AND row_key = {_key(table, row)} AND state = 'pending'{extra}"
    )


def _insert_entry(table: Table, row: str, op: str, base: str) -> str:
    return (
        "INSERT INTO sync_outbox (pos, table_name, row_key, op, base_version, "
        "since_origin_seq, change_id, state, written_at) SELECT "
        f"{_POS}, '{table.name}', {_key(table, row)}, '{op}', {base}, {_SINCE}, {_NEW_ID}, "
        f"'pending', {_NOW}"
    )


def outbox_triggers(table: Table) -> list[str]:
    name = table.name
    base = "OLD.version" if "version" in table.c else "NULL"
    return [
        f"""CREATE TRIGGER sync_out_{name}_ins AFTER INSERT ON "{name}" WHEN {_LIVE}
BEGIN
    {_insert_entry(table, "NEW", "insert", "NULL")};
END""",
        f"""CREATE TRIGGER sync_out_{name}_upd AFTER UPDATE ON "{name}" WHEN {_LIVE}
BEGIN
    UPDATE sync_outbox SET pos = {_POS}, written_at = {_NOW}
    WHERE {_pending(table, "NEW", "update")};
    {_insert_entry(table, "NEW", "update", base)}
    WHERE NOT EXISTS (SELECT 1 FROM sync_outbox WHERE {_pending(table, "NEW")});
END""",
        f"""CREATE TRIGGER sync_out_{name}_del AFTER DELETE ON "{name}" WHEN {_LIVE}
BEGIN
    UPDATE sync_outbox SET op = 'delete', pos = {_POS}, written_at = {_NOW}
    WHERE {_pending(table, "OLD", "update")};
    {_insert_entry(table, "OLD", "delete", base)}
    WHERE NOT EXISTS (SELECT 1 FROM sync_outbox WHERE {_pending(table, "OLD")});
    DELETE FROM sync_outbox WHERE {_pending(table, "OLD", "insert")};
END""",
    ]


def install(conn: Connection) -> None:
    """(Re)create the outbox triggers on every replicated table and the fork-tolerant
    record-digests trigger."""
    run = conn.exec_driver_sql
    for table in tables_by_name().values():
        for op in ("ins", "upd", "del"):
            run(f"DROP TRIGGER IF EXISTS sync_out_{table.name}_{op}")
        for sql in outbox_triggers(table):
            run(sql)
    run("DROP TRIGGER IF EXISTS trg_audit_events_records")
    run(RECORDS_TRIGGER)
