"""The hub's roles and rights: the server enforces DESIGN §6 (docs/trust-and-sync.md §2.2).

``provision_roles(connection)`` (a step of ``smgov hub init``, run by the branch's DBA with a
login that may create roles; idempotent, run again after every upgrade):

- ``<prefix>_owner`` (NOLOGIN) owns every table and the trigger functions; nobody logs in as it;
- ``<prefix>_person``: every person login (CONNECT, the schema, the log's bookkeeping);
- ``<prefix>_reader``: read everything (every application role but the agency);
- one NOLOGIN group per application role (``<prefix>_officer``, …) with the grants of §6, per
  table and, where a role may change only some columns, per column;
- row-level security where reads or writes are limited to some rows: agencies see their own
  campaigns, the accounts they work on and themselves; an officer edits the accounts of their
  own ministry; officers and directors propose accounts (status "proposed") and no more;
- triggers: the audit table takes inserts only (no UPDATE, DELETE or TRUNCATE by anybody), its
  events are by the connected login and get their branch position and time from the server;
  a person's roles are changed by somebody else and the administrator role only by an
  administrator; a signed step stays signed, by a holder of its role who is not the requester
  and has signed no other step of that request; an evaluation recommends termination or is
  completed only by the Director DCI or an administrator.

``add_login(connection, login, password)`` creates a person's login (the person must exist in
``people`` with that login) and keeps its group memberships in step with ``person_roles``;
the memberships follow every later change of ``person_roles`` and ``people.active`` by trigger.

The prefix (default ``smgov``) lets several hubs share one PostgreSQL cluster; it is kept in
``database_meta`` as ``hub_role_prefix``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Connection, text

from desktop.enums import AppRole
from desktop.models import Base
from desktop.storage import comment_sort
from desktop.storage.auditlog.chain import CHAIN_LOCK

R = AppRole
PREFIX = "smgov"
PREFIX_KEY = "hub_role_prefix"

WORKERS = frozenset(
    {R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.EXEC_COUNCIL, R.MINISTERS_OFFICE,
     R.ADMIN}
)  # fmt: skip
READERS = WORKERS | {R.AUDITOR}
EMERGENCY = frozenset({R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.EXEC_COUNCIL, R.ADMIN})
# Executive Council and the Minister's Office work on the central accounts' comments (the
# services check which account; the server only knows the role).
COMMENTS = frozenset(
    {R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.ADMIN, R.EXEC_COUNCIL,
     R.MINISTERS_OFFICE}
)  # fmt: skip
DRAFTERS = frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.ADMIN})
PEOPLE = frozenset({R.DSO, R.ADMIN})
ACCOUNT_STATUS = ("status", "status_changed_at", "status_reason", "activated_at", "version",
                  "updated_at")  # fmt: skip
DUE_TIMES = ("clock_start_at", "acknowledge_due_at", "answer_due_at", "emergency_id")

# table → privilege → roles. Reading is the reader group's (every table); writing is listed.
WRITES: dict[str, dict[str, frozenset[AppRole]]] = {
    "ministries": {"INSERT": PEOPLE, "UPDATE": PEOPLE},
    "key_contacts": {"INSERT": PEOPLE, "UPDATE": PEOPLE, "DELETE": PEOPLE},
    "people": {"INSERT": PEOPLE, "UPDATE": PEOPLE},
    "person_roles": {"INSERT": PEOPLE, "DELETE": PEOPLE},
    "accounts": {
        "INSERT": frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
        "UPDATE": frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    },
    "account_roles": {"INSERT": PEOPLE, "UPDATE": PEOPLE},
    "campaigns": {
        "INSERT": frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
        "UPDATE": frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    },
    # Requests are raised by their roles and signed by the steps' roles (the invariants below).
    "approvals": {"INSERT": WORKERS, "UPDATE": WORKERS},
    "approval_steps": {"INSERT": WORKERS, "UPDATE": WORKERS},
    "personal_names": {"INSERT": WORKERS, "UPDATE": WORKERS},
    "goals": {"INSERT": DRAFTERS, "UPDATE": DRAFTERS | {R.EXEC_COUNCIL}, "DELETE": DRAFTERS},
    "metric_snapshots": {"INSERT": DRAFTERS, "UPDATE": DRAFTERS},
    "evaluations": {"INSERT": DRAFTERS, "UPDATE": DRAFTERS},
    "commenters": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "comments": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "responses": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "response_media": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "strikes": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "bans": {"INSERT": COMMENTS, "UPDATE": COMMENTS},
    "emergencies": {"INSERT": EMERGENCY, "UPDATE": EMERGENCY},
    "emergency_ministries": {"INSERT": EMERGENCY, "DELETE": EMERGENCY},
    "emergency_accounts": {"INSERT": EMERGENCY, "DELETE": EMERGENCY},
    # Group updates are replies to the public: the comment workers post them too.
    "group_updates": {"INSERT": EMERGENCY | COMMENTS, "UPDATE": EMERGENCY},
    "settings": {"INSERT": PEOPLE, "UPDATE": PEOPLE},
    "closures": {"INSERT": PEOPLE, "UPDATE": PEOPLE, "DELETE": PEOPLE},
    # Signing a checkpoint is part of verifying the log: every reader.
    "signing_keys": {"INSERT": READERS, "UPDATE": READERS},
    "checkpoints": {"INSERT": READERS},
    # Every write appends one event; the trigger checks it is the connected person's.
    "audit_events": {"INSERT": READERS},
}
# Columns some roles may change beyond their own rows of work: approval decisions move an
# account's status (Executive Council, Director DCI); calendar, clock settings and emergencies
# move open comments' due times (their roles).
COLUMN_UPDATES: list[tuple[str, tuple[str, ...], frozenset[AppRole]]] = [
    ("accounts", ACCOUNT_STATUS, frozenset({R.DCI_DIRECTOR, R.EXEC_COUNCIL})),
    ("comments", DUE_TIMES, EMERGENCY | PEOPLE),
]
# Read by every person login, registered or not: what opening the database needs.
EVERY_PERSON_READS = ("alembic_version", "database_meta")
# Where an agency may read some rows (its campaigns, the accounts it works on, itself).
AGENCY_READS = ("campaigns", "accounts", "people", "account_roles", "ministries")

_NAME = re.compile(r"^[a-z_][a-z0-9_$.\\-]{0,62}$")


def group(prefix: str, role: AppRole | str) -> str:
    return f"{prefix}_{role.value if isinstance(role, AppRole) else role}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} cannot be a database login (lower-case letters, digits, _).")
    return name


def provision_roles(connection: Connection, prefix: str = PREFIX) -> None:
    """Create or bring up to date the hub's roles, grants, policies and triggers."""
    _check_name(prefix)
    run = _Runner(connection)
    owner, person, reader = (group(prefix, x) for x in ("owner", "person", "reader"))
    for name in (owner, person, reader, *(group(prefix, r) for r in AppRole)):
        run.role(name)
    # The owner grants memberships in the groups (by trigger, as people's roles change).
    for r in AppRole:
        run(f"GRANT {_q(group(prefix, r))} TO {_q(owner)} WITH ADMIN OPTION")
        run(f"GRANT {_q(person)} TO {_q(group(prefix, r))}")
        if r in READERS:
            run(f"GRANT {_q(reader)} TO {_q(group(prefix, r))}")
    run(f"GRANT {_q(person)} TO {_q(owner)} WITH ADMIN OPTION")
    db = connection.execute(text("SELECT current_database()")).scalar_one()
    run(f"REVOKE ALL ON DATABASE {_q(db)} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {_q(db)} TO {_q(person)}")
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {_q(person)}")
    run(
        "INSERT INTO database_meta (key, value) VALUES (:k, :v) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        k=PREFIX_KEY,
        v=prefix,
    )
    tables = [
        r[0]
        for r in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        )
    ]
    for table in tables:
        run(f"ALTER TABLE {_q(table)} OWNER TO {_q(owner)}")
        run(f"REVOKE ALL ON {_q(table)} FROM PUBLIC")
        for r in AppRole:
            run(f"REVOKE ALL ON {_q(table)} FROM {_q(group(prefix, r))}")
        run(f"REVOKE ALL ON {_q(table)} FROM {_q(reader)}, {_q(person)}")
    known = {t.name for t in Base.metadata.sorted_tables}
    for table in sorted(known & set(tables)):
        run(f"GRANT SELECT ON {_q(table)} TO {_q(reader)}")
        for privilege, roles in WRITES.get(table, {}).items():
            for r in sorted(roles):
                run(f"GRANT {privilege} ON {_q(table)} TO {_q(group(prefix, r))}")
    for table, columns, roles in COLUMN_UPDATES:
        cols = ", ".join(_q(c) for c in columns)
        for r in sorted(roles):
            run(f"GRANT UPDATE ({cols}) ON {_q(table)} TO {_q(group(prefix, r))}")
    for table in EVERY_PERSON_READS:
        if table in tables:
            run(f"GRANT SELECT ON {_q(table)} TO {_q(person)}")
    for table in AGENCY_READS:
        run(f"GRANT SELECT ON {_q(table)} TO {_q(group(prefix, R.AGENCY))}")
    # The comment log's sort keys: read with the log, written only by their triggers, whose
    # functions run as the owner whoever writes a comment.
    if comment_sort.TABLE in tables:
        run(f"GRANT SELECT ON {_q(comment_sort.TABLE)} TO {_q(reader)}")
        for name in comment_sort.PG_FUNCTIONS:
            run(f"ALTER FUNCTION {name} OWNER TO {_q(owner)}")
            run(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
    _functions(run, prefix, owner)
    _policies(run, prefix)
    _triggers(run)
    _sync_all_memberships(run, connection, prefix)


class _Runner:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def __call__(self, sql: str, **params: object) -> None:
        self.connection.execute(text(sql), params)

    def role(self, name: str) -> None:
        exists = self.connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}
        ).first()
        if not exists:
            self(f"CREATE ROLE {_q(name)} NOLOGIN")


def _functions(run: _Runner, prefix: str, owner: str) -> None:
    """Helpers the policies and triggers use: who is connected, as the register knows them."""
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_me() RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT id FROM people WHERE login = session_user AND active
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_my_ministry() RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT ministry_id FROM people WHERE login = session_user AND active
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_my_agency() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT agency_name FROM people
            WHERE login = session_user AND active AND kind = 'agency'
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_my_accounts() RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT account_id FROM account_roles
            WHERE person_id = smgov_me() AND revoked_at IS NULL
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_holds(role_name text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT pg_has_role(session_user, (SELECT value FROM database_meta
                                              WHERE key = 'hub_role_prefix') || '_' || role_name,
                               'MEMBER')
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_is_owner() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                OR pg_has_role(session_user, (SELECT value FROM database_meta
                                              WHERE key = 'hub_role_prefix') || '_owner',
                               'MEMBER')
        $$
        """
    )
    for name in (
        "smgov_me()",
        "smgov_my_ministry()",
        "smgov_my_agency()",
        "smgov_my_accounts()",
        "smgov_holds(text)",
        "smgov_is_owner()",
    ):
        run(f"ALTER FUNCTION {name} OWNER TO {_q(owner)}")
        run(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        run(f"GRANT EXECUTE ON FUNCTION {name} TO {_q(group(prefix, 'person'))}")
    # The record digests are kept by the log's trigger, whoever writes the event.
    run("ALTER FUNCTION smgov_apply_records() OWNER TO " + _q(owner))
    run("ALTER FUNCTION smgov_apply_records() SECURITY DEFINER")
    run("ALTER FUNCTION smgov_apply_records() SET search_path = public")


def _policy(run: _Runner, table: str, name: str, sql: str) -> None:
    run(f"DROP POLICY IF EXISTS {name} ON {_q(table)}")
    run(f"CREATE POLICY {name} ON {_q(table)} {sql}")


def _policies(run: _Runner, prefix: str) -> None:
    reader = _q(group(prefix, "reader"))
    agency = _q(group(prefix, R.AGENCY))

    def roles(rs: Iterable[AppRole]) -> str:
        return ", ".join(_q(group(prefix, r)) for r in sorted(rs))

    for table in ("accounts", "campaigns", "people", "account_roles", "ministries"):
        run(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY")
        _policy(run, table, "smgov_read", f"FOR SELECT TO {reader} USING (true)")
    _policy(
        run,
        "campaigns",
        "smgov_agency_read",
        f"FOR SELECT TO {agency} USING (agency_name <> '' AND agency_name = smgov_my_agency())",
    )
    _policy(
        run,
        "accounts",
        "smgov_agency_read",
        f"FOR SELECT TO {agency} USING (id IN (SELECT smgov_my_accounts()))",
    )
    _policy(run, "people", "smgov_agency_read", f"FOR SELECT TO {agency} USING (id = smgov_me())")
    _policy(
        run,
        "account_roles",
        "smgov_agency_read",
        f"FOR SELECT TO {agency} USING (person_id = smgov_me())",
    )
    _policy(run, "ministries", "smgov_agency_read", f"FOR SELECT TO {agency} USING (true)")
    # Accounts: directors, DSO and administrators add any account; officers and directors of
    # communications propose only (status "proposed"); officers edit their own ministry's.
    _policy(
        run,
        "accounts",
        "smgov_create",
        f"FOR INSERT TO {roles({R.DSO, R.ADMIN})} WITH CHECK (true)",
    )
    _policy(
        run,
        "accounts",
        "smgov_propose",
        f"FOR INSERT TO {roles({R.OFFICER, R.COMMS_DIRECTOR})} WITH CHECK (status = 'proposed')",
    )
    _policy(
        run,
        "accounts",
        "smgov_edit",
        f"FOR UPDATE TO {roles({R.COMMS_DIRECTOR, R.DSO, R.ADMIN, R.DCI_DIRECTOR, R.EXEC_COUNCIL})}"
        " USING (true) WITH CHECK (true)",
    )
    _policy(
        run,
        "accounts",
        "smgov_edit_own_ministry",
        f"FOR UPDATE TO {roles({R.OFFICER})} "
        "USING (ministry_id = smgov_my_ministry()) WITH CHECK (ministry_id = smgov_my_ministry())",
    )
    for table in ("campaigns", "people", "account_roles", "ministries"):
        for privilege in ("INSERT", "UPDATE", "DELETE"):
            rs = WRITES.get(table, {}).get(privilege)
            if not rs:
                continue
            using = "" if privilege == "INSERT" else " USING (true)"
            check = "" if privilege == "DELETE" else " WITH CHECK (true)"
            _policy(
                run,
                table,
                f"smgov_{privilege.lower()}",
                f"FOR {privilege} TO {roles(rs)}{using}{check}",
            )


def _triggers(run: _Runner) -> None:
    run(
        f"""
        CREATE OR REPLACE FUNCTION smgov_audit_accept() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            head_seq integer;
            head_hash text;
            last_seq integer;
            last_hash text;
            expected text;
        BEGIN
            PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
            IF NEW.actor_login IS DISTINCT FROM session_user::text AND NOT smgov_is_owner() THEN
                RAISE EXCEPTION 'This audit event names % but the connection is %.',
                    NEW.actor_login, session_user USING ERRCODE = '42501';
            END IF;
            SELECT origin_seq, origin_hash INTO last_seq, last_hash FROM audit_events
            WHERE origin = NEW.origin ORDER BY origin_seq DESC LIMIT 1;
            IF NEW.origin_seq <> coalesce(last_seq, 0) + 1
               OR NEW.origin_prev_hash <> coalesce(last_hash, repeat('0', 64)) THEN
                RAISE EXCEPTION 'Audit event % of origin % does not follow event % of that origin.',
                    NEW.origin_seq, NEW.origin, coalesce(last_seq, 0)
                    USING ERRCODE = '23514';
            END IF;
            SELECT seq, hash INTO head_seq, head_hash FROM audit_events
            WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
            head_seq := coalesce(head_seq, 0);
            head_hash := coalesce(head_hash, repeat('0', 64));
            expected := encode(sha256(convert_to(
                (head_seq + 1)::text || '|' || head_hash || '|' || NEW.origin_hash, 'UTF8')),
                'hex');
            IF NEW.seq IS NULL THEN
                NEW.seq := head_seq + 1;
                NEW.prev_hash := head_hash;
                NEW.hash := expected;
            ELSIF NEW.seq <> head_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head_hash
                  OR NEW.hash IS DISTINCT FROM expected THEN
                RAISE EXCEPTION 'Audit event #% is not the next one of the branch chain (#%).',
                    NEW.seq, head_seq + 1 USING ERRCODE = '23514';
            END IF;
            NEW.recorded_at := now();
            RETURN NEW;
        END
        $$
        """
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_audit_frozen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit log is append-only: % is refused.', TG_OP
                USING ERRCODE = '42501';
        END
        $$
        """
    )
    _trigger(run, "audit_events", "smgov_audit_accept", "BEFORE INSERT", "smgov_audit_accept")
    _trigger(
        run, "audit_events", "smgov_audit_frozen", "BEFORE UPDATE OR DELETE", "smgov_audit_frozen"
    )
    _trigger(
        run,
        "audit_events",
        "smgov_audit_no_truncate",
        "BEFORE TRUNCATE",
        "smgov_audit_frozen",
        each="STATEMENT",
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_person_roles_guard() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            row_ person_roles;
            whose text;
        BEGIN
            row_ := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            IF smgov_is_owner() THEN
                RETURN row_;
            END IF;
            SELECT login INTO whose FROM people WHERE id = row_.person_id;
            IF whose = session_user::text THEN
                RAISE EXCEPTION 'Nobody grants or removes their own roles; ask another '
                    'administrator.' USING ERRCODE = '42501';
            END IF;
            IF row_.role = 'admin' AND NOT smgov_holds('admin') THEN
                RAISE EXCEPTION 'Only an administrator grants or removes the administrator role.'
                    USING ERRCODE = '42501';
            END IF;
            RETURN row_;
        END
        $$
        """
    )
    _trigger(
        run,
        "person_roles",
        "smgov_person_roles_guard",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "smgov_person_roles_guard",
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_membership() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            prefix text := (SELECT value FROM database_meta WHERE key = 'hub_role_prefix');
            who people;
            held boolean;
            r text;
        BEGIN
            IF TG_TABLE_NAME = 'people' THEN
                who := NEW;
            ELSE
                SELECT * INTO who FROM people
                WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END;
            END IF;
            IF who.id IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who.login)
            THEN
                RETURN NULL;
            END IF;
            FOR r IN SELECT unnest(ARRAY['officer', 'comms_director', 'dci_director', 'dso',
                                         'exec_council', 'ministers_office', 'agency',
                                         'auditor', 'admin']) LOOP
                held := who.active AND EXISTS (
                    SELECT 1 FROM person_roles WHERE person_id = who.id AND role = r);
                IF held THEN
                    EXECUTE format('GRANT %I TO %I', prefix || '_' || r, who.login);
                ELSE
                    EXECUTE format('REVOKE %I FROM %I', prefix || '_' || r, who.login);
                END IF;
            END LOOP;
            RETURN NULL;
        END
        $$
        """
    )
    _trigger(
        run,
        "person_roles",
        "smgov_membership",
        "AFTER INSERT OR UPDATE OR DELETE",
        "smgov_membership",
    )
    _trigger(run, "people", "smgov_membership", "AFTER UPDATE OF active, login", "smgov_membership")
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_step_guard() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            me uuid := smgov_me();
        BEGIN
            IF smgov_is_owner() THEN
                RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.decided_by_id IS NOT NULL
               AND NEW.decided_by_id IS DISTINCT FROM OLD.decided_by_id THEN
                RAISE EXCEPTION 'This step was already signed; it is signed once.'
                    USING ERRCODE = '42501';
            END IF;
            IF NEW.decided_by_id IS NOT NULL
               AND (TG_OP = 'INSERT' OR OLD.decided_by_id IS NULL) THEN
                IF NEW.decided_by_id IS DISTINCT FROM me THEN
                    RAISE EXCEPTION 'A step is signed by the person connected, not for someone '
                        'else.' USING ERRCODE = '42501';
                END IF;
                IF NOT smgov_holds(NEW.role) THEN
                    RAISE EXCEPTION 'Only a holder of the role % signs this step.', NEW.role
                        USING ERRCODE = '42501';
                END IF;
                IF EXISTS (SELECT 1 FROM approvals
                           WHERE id = NEW.approval_id AND submitter_id = me) THEN
                    RAISE EXCEPTION 'Nobody signs a step of their own request.'
                        USING ERRCODE = '42501';
                END IF;
                IF EXISTS (SELECT 1 FROM approval_steps
                           WHERE approval_id = NEW.approval_id AND id <> NEW.id
                             AND decided_by_id = me) THEN
                    RAISE EXCEPTION 'One person signs one step of a request.'
                        USING ERRCODE = '42501';
                END IF;
            END IF;
            RETURN NEW;
        END
        $$
        """
    )
    _trigger(
        run,
        "approval_steps",
        "smgov_step_guard",
        "BEFORE INSERT OR UPDATE",
        "smgov_step_guard",
    )
    run(
        """
        CREATE OR REPLACE FUNCTION smgov_evaluation_guard() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF smgov_is_owner() OR smgov_holds('dci_director') OR smgov_holds('admin') THEN
                RETURN NEW;
            END IF;
            IF NEW.recommendation = 'terminate' OR NEW.status <> 'draft' THEN
                RAISE EXCEPTION 'Only the Director, Digital Channels and Insights or an '
                    'administrator completes an evaluation or recommends termination.'
                    USING ERRCODE = '42501';
            END IF;
            RETURN NEW;
        END
        $$
        """
    )
    _trigger(
        run,
        "evaluations",
        "smgov_evaluation_guard",
        "BEFORE INSERT OR UPDATE",
        "smgov_evaluation_guard",
    )


def _trigger(
    run: _Runner, table: str, name: str, when: str, function: str, each: str = "ROW"
) -> None:
    run(f"DROP TRIGGER IF EXISTS {name} ON {_q(table)}")
    run(
        f"CREATE TRIGGER {name} {when} ON {_q(table)} FOR EACH {each} EXECUTE FUNCTION {function}()"
    )


def _sync_all_memberships(run: _Runner, connection: Connection, prefix: str) -> None:
    logins = [
        r[0]
        for r in connection.execute(
            text("SELECT p.login FROM people p JOIN pg_roles r ON r.rolname = p.login")
        )
    ]
    for login in logins:
        sync_memberships(connection, login, prefix)


def add_login(
    connection: Connection, login: str, password: str | None = None, prefix: str = PREFIX
) -> None:
    """A person's own database login, its groups those of their roles in ``person_roles``."""
    login = _check_name(login)
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}
    ).first()
    if not exists:
        connection.execute(text(f"CREATE ROLE {_q(login)} LOGIN"))
    if password is not None:
        # DDL takes no parameters: a quoted literal (never logged by the app).
        literal = "'" + password.replace("'", "''") + "'"
        connection.exec_driver_sql(f"ALTER ROLE {_q(login)} PASSWORD {literal}")
    connection.execute(text(f"GRANT {_q(group(prefix, 'person'))} TO {_q(login)}"))
    sync_memberships(connection, login, prefix)


def sync_memberships(connection: Connection, login: str, prefix: str = PREFIX) -> None:
    held = {
        r[0]
        for r in connection.execute(
            text(
                "SELECT pr.role FROM person_roles pr JOIN people p ON p.id = pr.person_id "
                "WHERE p.login = :l AND p.active"
            ),
            {"l": login},
        )
    }
    for r in AppRole:
        verb = "GRANT" if r.value in held else "REVOKE"
        preposition = "TO" if verb == "GRANT" else "FROM"
        connection.execute(
            text(f"{verb} {_q(group(prefix, r))} {preposition} {_q(_check_name(login))}")
        )
