"""The hub's change feed (docs/trust-and-sync.md §2.3), a step of ``smgov hub init``.

- ``hub_changes`` gets one row per written row of every replicated table, by AFTER triggers,
  so writes pushed by replicas and writes made directly on the hub feed replicas the same way.
  ``seq`` comes from ``hub_counter``, updated inside the writing transaction (under the audit
  chain's advisory lock, taken first by every writer to avoid lock-order deadlocks), so seq
  order is commit order and a puller never skips a change that commits late.
- ``hub_applied`` remembers every pushed change id (who pushed it, when, what came of it), so
  an interrupted push is retried without applying anything twice.
- The audit log's record digests follow only entries that continue a record's current digest
  (``before`` equal to it): an event of a replica whose change lost a conflict, and the event
  that later undoes it, leave the digest of the row the hub kept alone (§4).

Every function is ``SECURITY DEFINER`` owned by the owner role: person logins need no rights on
the feed's tables beyond reading ``hub_changes``.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, Uuid

from desktop.hub.roles import PREFIX, group
from desktop.storage.auditlog.chain import CHAIN_LOCK

# Kept by each copy itself, never replicated.
LOCAL_ONLY = frozenset({"record_digests", "database_meta"})


def replicated_tables() -> list[Table]:
    from desktop.models import Base

    return [t for t in Base.metadata.sorted_tables if t.name not in LOCAL_ONLY]


def key_spec(table: Table) -> list[str]:
    """The primary key's columns as the feed's trigger takes them (``name`` or ``name:uuid``)."""
    return [
        f"{c.name}:uuid" if isinstance(c.type, Uuid) else c.name for c in table.primary_key.columns
    ]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


FEED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION smgov_change_feed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    r jsonb;
    parts text[] := '{{}}';
    spec text;
    v text;
    n bigint;
BEGIN
    r := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    FOREACH spec IN ARRAY TG_ARGV LOOP
        v := r->>split_part(spec, ':', 1);
        IF split_part(spec, ':', 2) = 'uuid' THEN
            v := replace(v, '-', '');
        END IF;
        parts := parts || to_json(v)::text;
    END LOOP;
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    UPDATE hub_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO n;
    INSERT INTO hub_changes (seq, table_name, row_key, op, version, change_id, actor, at)
    VALUES (n, TG_TABLE_NAME, '[' || array_to_string(parts, ',') || ']', lower(TG_OP),
            (r->>'version')::integer,
            nullif(current_setting('smgov.change_id', true), ''), session_user, now());
    RETURN NULL;
END
$$
"""

RESULT_FUNCTION = """
CREATE OR REPLACE FUNCTION smgov_sync_result(cid text)
RETURNS TABLE (result text, detail text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT result::text, detail FROM hub_applied WHERE change_id = cid
$$
"""

APPLIED_FUNCTION = """
CREATE OR REPLACE FUNCTION smgov_sync_applied(cid text, res text, det text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO hub_applied (change_id, pusher, at, result, detail)
    VALUES (cid, session_user, now(), res, det)
    ON CONFLICT (change_id) DO NOTHING
$$
"""

# Issue 12's trigger function, made tolerant of forks (§4): an entry applies only where it
# continues the record's current digest. A replica's push names, in ``smgov.skip_records``,
# the records whose change the hub did not take earlier in the same batch (a conflict or a
# refusal): the events of that change are logged but move no kept digest. Naming a record
# there can only keep a digest from following the log, which verify reports; it hides nothing.
RECORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION smgov_apply_records() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    e jsonb;
    skip jsonb := coalesce(nullif(current_setting('smgov.skip_records', true), ''), '[]')::jsonb;
BEGIN
    IF NEW.records IS NULL OR left(NEW.records, 1) <> '[' THEN
        RETURN NULL;
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(NEW.records::jsonb) LOOP
        CONTINUE WHEN e->>1 = '*';
        CONTINUE WHEN skip @> jsonb_build_array(jsonb_build_array(e->>0, e->>1));
        IF coalesce(e->>2, '') = '' THEN
            IF coalesce(e->>3, '') <> '' THEN
                INSERT INTO record_digests (table_name, record_id, digest, event_id)
                VALUES (e->>0, e->>1, e->>3, NEW.id)
                ON CONFLICT (table_name, record_id) DO NOTHING;
            END IF;
        ELSIF coalesce(e->>3, '') = '' THEN
            DELETE FROM record_digests
            WHERE table_name = e->>0 AND record_id = e->>1 AND digest = e->>2;
        ELSE
            UPDATE record_digests SET digest = e->>3, event_id = NEW.id
            WHERE table_name = e->>0 AND record_id = e->>1 AND digest = e->>2;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
"""


def provision_change_feed(connection: Connection, prefix: str = PREFIX) -> None:
    """Create or bring up to date the feed's functions, triggers and grants (idempotent; run
    after ``roles.provision_roles``, which resets every table's grants)."""
    run = connection.exec_driver_sql
    owner = _q(group(prefix, "owner"))
    person = _q(group(prefix, "person"))
    reader = _q(group(prefix, "reader"))
    for sql in (FEED_FUNCTION, RESULT_FUNCTION, APPLIED_FUNCTION, RECORDS_FUNCTION):
        run(sql)
    for fn in (
        "smgov_change_feed()",
        "smgov_sync_result(text)",
        "smgov_sync_applied(text, text, text)",
        "smgov_apply_records()",
    ):
        run(f"ALTER FUNCTION {fn} OWNER TO {owner}")
        run(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in ("smgov_sync_result(text)", "smgov_sync_applied(text, text, text)"):
        run(f"GRANT EXECUTE ON FUNCTION {fn} TO {person}")
    for name in ("hub_counter", "hub_changes", "hub_applied"):
        run(f"ALTER TABLE {name} OWNER TO {owner}")
        run(f"REVOKE ALL ON {name} FROM PUBLIC")
    run(f"GRANT SELECT ON hub_changes TO {reader}")
    for table in replicated_tables():
        args = ", ".join("'" + s + "'" for s in key_spec(table))
        run(f"DROP TRIGGER IF EXISTS smgov_change_feed ON {_q(table.name)}")
        run(
            f"CREATE TRIGGER smgov_change_feed AFTER INSERT OR UPDATE OR DELETE ON "
            f"{_q(table.name)} FOR EACH ROW EXECUTE FUNCTION smgov_change_feed({args})"
        )
