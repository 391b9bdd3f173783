"""The server enforces the role table (DESIGN §6): raw SQL as each database login.

Every statement runs in its own transaction, rolled back, as each member of the cast and as a
login with no person behind it; it must succeed (and touch a row) exactly for the roles the
table allows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.enums import AccountStatus, Platform
from tests.factories import ROLE_CAST
from tests.hub.conftest import Hub

EVERYONE = (*ROLE_CAST, "stranger")
READERS = frozenset(EVERYONE) - {"agency", "stranger"}


@dataclass(frozen=True)
class Case:
    name: str
    sql: str
    allowed: frozenset[str]
    params: tuple[tuple[str, Any], ...] = ()


def _ids(hub: Hub) -> dict[str, Any]:
    return {
        "hea": hub.ministries["HEA"].id,
        "env": hub.ministries["ENV"].id,
        **{f"p_{k}": p.id for k, p in hub.people.items()},
    }


@pytest.fixture(scope="module")
def rows(hub: Hub) -> dict[str, Any]:
    """Records the statements work on, written by the DBA."""
    ids = _ids(hub)
    ids["acc_hea"], ids["acc_env"], ids["campaign"], ids["other_campaign"] = (
        uuid.uuid4() for _ in range(4)
    )
    with hub.db.engine.begin() as conn:
        for key, ministry in (("acc_hea", "hea"), ("acc_env", "env")):
            conn.execute(
                text(
                    "INSERT INTO accounts (id, platform, handle, display_name, url, ministry_id,"
                    " purpose, status, government_email, posting_tool, is_international,"
                    " language, cultural_notes, is_central, status_reason, version,"
                    " created_at, updated_at) VALUES (:id, 'facebook', :h, '', '', :m, '',"
                    " 'active', '', 'native', false, '', '', false, '', 1, now(), now())"
                ),
                {"id": ids[key], "h": f"Acc{key}", "m": ids[ministry]},
            )
        for key, agency in (("campaign", "Prairie Ads Inc."), ("other_campaign", "Other Co")):
            conn.execute(
                text(
                    "INSERT INTO campaigns (id, name, ministry_id, agency_name, description,"
                    " starts_on, ends_on, version, created_at, updated_at) VALUES (:id, :n,"
                    " :m, :a, '', '2026-10-01', '2026-12-31', 1, now(), now())"
                ),
                {"id": ids[key], "n": f"Campaign {agency}", "m": ids["hea"], "a": agency},
            )
        ids["emergency"] = uuid.uuid4()
        conn.execute(
            text(
                "INSERT INTO emergencies (id, kind, title, description, declared_at, version,"
                " created_at, updated_at) VALUES (:id, 'flood', 'Flood', '', now(), 1, now(),"
                " now())"
            ),
            {"id": ids["emergency"]},
        )
    return ids


def _account_insert(status: AccountStatus) -> str:
    return (
        "INSERT INTO accounts (id, platform, handle, display_name, url, ministry_id, purpose,"
        " status, government_email, posting_tool, is_international, language, cultural_notes,"
        f" is_central, status_reason, version, created_at, updated_at) VALUES"
        f" (gen_random_uuid(), '{Platform.X.value}', 'New' || md5(random()::text), '', '',"
        f" :hea, '', '{status.value}', '', 'tweetdeck', false, '', '', false, '', 1, now(),"
        " now())"
    )


CASES = [
    Case("read the accounts", "SELECT id FROM accounts WHERE id = :acc_hea", READERS),
    Case("read the audit log", "SELECT count(*) FROM audit_events", READERS),
    Case("read the people", "SELECT id FROM people WHERE id = :p_officer", READERS),
    # The comment log's sort keys: read with the log, written by their triggers only.
    Case("read the comment sort keys", "SELECT count(*) FROM comment_sort_keys", READERS),
    Case(
        "write a comment sort key",
        "INSERT INTO comment_sort_keys (comment_id, received_at, ministry, assignee, flags)"
        " VALUES (gen_random_uuid(), now(), 'X', '', 0)",
        frozenset(),
    ),
    Case(
        "read a campaign of one's agency",
        "SELECT id FROM campaigns WHERE id = :campaign",
        READERS | {"agency"},
    ),
    Case(
        "read another agency's campaign",
        "SELECT id FROM campaigns WHERE id = :other_campaign",
        READERS,
    ),
    Case("edit an audit event", "UPDATE audit_events SET action = 'x'", frozenset()),
    Case("delete audit events", "DELETE FROM audit_events", frozenset()),
    Case("truncate the audit log", "TRUNCATE audit_events", frozenset()),
    Case(
        "propose an account",
        _account_insert(AccountStatus.PROPOSED),
        frozenset({"officer", "officer2", "comms", "dso", "admin"}),
    ),
    Case(
        "create an active account",
        _account_insert(AccountStatus.ACTIVE),
        frozenset({"dso", "admin"}),
    ),
    Case(
        "edit an account of the health ministry",
        "UPDATE accounts SET purpose = 'edited' WHERE id = :acc_hea",
        frozenset({"officer", "comms", "dso", "admin"}),
    ),
    Case(
        "change an account's owner",
        "UPDATE accounts SET owner_id = :p_agency WHERE id = :acc_env",
        frozenset({"officer2", "comms", "dso", "admin"}),
    ),
    Case(
        "grant a role to somebody else",
        "INSERT INTO person_roles (person_id, role) VALUES (:p_officer, 'auditor')",
        frozenset({"dso", "admin"}),
    ),
    Case(
        "grant the administrator role to somebody else",
        "INSERT INTO person_roles (person_id, role) VALUES (:p_officer, 'admin')",
        frozenset({"admin"}),
    ),
    Case(
        "grant the DSO the administrator role",
        "INSERT INTO person_roles (person_id, role) VALUES (:p_dso, 'admin')",
        frozenset({"admin"}),
    ),
    Case(
        "grant oneself a role",
        "INSERT INTO person_roles (person_id, role) SELECT id, 'auditor' FROM people"
        " WHERE login = session_user",
        frozenset(),
    ),
    Case(
        "grant oneself the administrator role",
        "INSERT INTO person_roles (person_id, role) SELECT id, 'admin' FROM people"
        " WHERE login = session_user",
        frozenset(),
    ),
    Case(
        "deactivate a person",
        "UPDATE people SET active = false WHERE id = :p_officer2",
        frozenset({"dso", "admin"}),
    ),
    Case(
        "change a setting",
        "INSERT INTO settings (key, value, version, created_at, updated_at)"
        " VALUES ('ban_days', '45', 1, now(), now())",
        frozenset({"dso", "admin"}),
    ),
    Case(
        "declare an emergency",
        "INSERT INTO emergencies (id, kind, title, description, declared_at, version,"
        " created_at, updated_at) VALUES (gen_random_uuid(), 'flood', 'Flood', '', now(), 1,"
        " now(), now())",
        frozenset({"comms", "dci", "dso", "council", "council2", "admin"}),
    ),
    Case(
        "log a comment",
        "INSERT INTO comments (id, account_id, received_at, author_name, author_handle, text,"
        " url, kind, status, high_profile, clock_start_at, acknowledge_due_at, answer_due_at,"
        " version, created_at, updated_at) VALUES (gen_random_uuid(), :acc_hea, now(), '', '',"
        " 'Hello?', '', 'question', 'new', false, now(), now(), now(), 1, now(), now())",
        frozenset(
            {
                "officer",
                "officer2",
                "comms",
                "dci",
                "dso",
                "admin",
                "council",
                "council2",
                "minister",
            }
        ),
    ),
    Case(
        "post a group update",  # a reply to the public: who handles comments posts them too
        "INSERT INTO group_updates (id, emergency_id, kind, text, link_url, phone, posted_at,"
        " version, created_at, updated_at) VALUES (gen_random_uuid(), :emergency, 'statement',"
        " 'Sandbags at the rink.', '', '', now(), 1, now(), now())",
        frozenset(
            {
                "officer",
                "officer2",
                "comms",
                "dci",
                "dso",
                "admin",
                "council",
                "council2",
                "minister",
            }
        ),
    ),
    Case(
        "draft an evaluation recommending termination",
        "INSERT INTO evaluations (id, account_id, period, period_start, period_end, status,"
        " summary, recommendation, version, created_at, updated_at) VALUES (gen_random_uuid(),"
        " :acc_hea, '2026H2', '2026-07-01', '2026-12-31', 'draft', '', 'terminate', 1, now(),"
        " now())",
        frozenset({"dci", "admin"}),
    ),
    Case(
        "draft an evaluation",
        "INSERT INTO evaluations (id, account_id, period, period_start, period_end, status,"
        " summary, recommendation, version, created_at, updated_at) VALUES (gen_random_uuid(),"
        " :acc_hea, '2026H2', '2026-07-01', '2026-12-31', 'draft', '', 'continue', 1, now(),"
        " now())",
        frozenset({"officer", "officer2", "comms", "dci", "dso", "admin"}),
    ),
    Case(
        "write an audit event in somebody else's name",
        "INSERT INTO audit_events (id, origin, origin_seq, origin_prev_hash, origin_hash,"
        " occurred_at, actor_login, action, entity_type, entity_id, before, after, records)"
        " SELECT gen_random_uuid(), 'forged', 1, repeat('0', 64), repeat('1', 64), now(),"
        " login, 'x', 'x', 'x', '', '', '' FROM people WHERE login <> session_user LIMIT 1",
        frozenset(),
    ),
    Case(
        "write one's own audit event",
        "INSERT INTO audit_events (id, origin, origin_seq, origin_prev_hash, origin_hash,"
        " occurred_at, actor_login, action, entity_type, entity_id, before, after, records)"
        " VALUES (gen_random_uuid(), 'own', 1, repeat('0', 64), repeat('1', 64), now(),"
        " session_user, 'x', 'x', 'x', '', '', '')",
        READERS,
    ),
    Case("write a record digest", "UPDATE record_digests SET digest = 'x'", frozenset()),
]


def _outcome(hub: Hub, who: str, case: Case, params: dict[str, Any]) -> bool:
    with hub.engine(who).connect() as conn:
        tx = conn.begin()
        try:
            result = conn.execute(
                text(case.sql), {k: v for k, v in params.items() if f":{k}" in case.sql}
            )
            if case.sql.lstrip().upper().startswith("SELECT"):
                return bool(result.fetchall())
            return result.rowcount != 0
        except DBAPIError:
            return False
        finally:
            tx.rollback()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_login_may_do_what_the_role_table_says(
    hub: Hub, rows: dict[str, Any], case: Case
) -> None:
    allowed = {who for who in EVERYONE if _outcome(hub, who, case, rows)}
    assert allowed == set(case.allowed)


def test_a_comment_logged_by_a_person_gets_its_sort_keys(hub: Hub, rows: dict[str, Any]) -> None:
    """The trigger writes the table the person may not: its function runs as the owner."""
    comment = uuid.uuid4()
    with hub.engine("officer").connect() as conn, conn.begin() as tx:
        conn.execute(
            text(
                "INSERT INTO comments (id, account_id, received_at, author_name, author_handle,"
                " text, url, kind, status, high_profile, clock_start_at, acknowledge_due_at,"
                " answer_due_at, assignee_id, version, created_at, updated_at) VALUES (:id,"
                " :acc_hea, now(), '', '', 'Hello', '', 'question', 'new', true, now(), now(),"
                " now(), :p_officer, 1, now(), now())"
            ),
            {"id": comment, "acc_hea": rows["acc_hea"], "p_officer": rows["p_officer"]},
        )
        keys = conn.execute(
            text("SELECT ministry, assignee, flags FROM comment_sort_keys WHERE comment_id = :id"),
            {"id": comment},
        ).one()
        tx.rollback()
    assert tuple(keys) == ("HEA", "Officer Person", 2)
