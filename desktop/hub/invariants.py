"""Rules that span rows, checked again on the hub when a change arrives (a step of
``smgov hub init``): a replica checked them against what it knew, offline; the hub checks them
against what is true now, and refuses — the change comes back to its author with the reason
(docs/trust-and-sync.md §6).

- A page role is held once: nobody gets the same role on the same account twice (two
  replicas granting it offline).
- The Facebook Admin rule: on Facebook pages only the ministry's Director of Communications
  and the Director, Digital Channels and Insights are Admins — with the roles the person holds
  on the hub when the grant arrives.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from desktop.hub.roles import PREFIX, group

ACCOUNT_ROLE_GUARD = """
CREATE OR REPLACE FUNCTION smgov_account_role_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    who people;
    acc accounts;
BEGIN
    IF NEW.revoked_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO who FROM people WHERE id = NEW.person_id;
    SELECT * INTO acc FROM accounts WHERE id = NEW.account_id;
    IF EXISTS (SELECT 1 FROM account_roles
               WHERE person_id = NEW.person_id AND account_id = NEW.account_id
                 AND role = NEW.role AND revoked_at IS NULL AND id <> NEW.id) THEN
        RAISE EXCEPTION '% already holds the role % on % @%.', who.name, NEW.role,
            acc.platform, acc.handle USING ERRCODE = '23505';
    END IF;
    IF acc.platform = 'facebook' AND NEW.role = 'admin'
       AND NOT EXISTS (SELECT 1 FROM person_roles
                       WHERE person_id = who.id AND role = 'dci_director')
       AND NOT (EXISTS (SELECT 1 FROM person_roles
                        WHERE person_id = who.id AND role = 'comms_director')
                AND who.ministry_id IS NOT DISTINCT FROM acc.ministry_id) THEN
        RAISE EXCEPTION '% cannot be Admin of Facebook @%: only the ministry''s Director of '
            'Communications and the Director, Digital Channels and Insights are Admins.',
            who.name, acc.handle USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$
"""


def provision_invariants(connection: Connection, prefix: str = PREFIX) -> None:
    run = connection.exec_driver_sql
    connection.execute(text(ACCOUNT_ROLE_GUARD))  # text(): the '%' of RAISE are escaped
    run(f'ALTER FUNCTION smgov_account_role_guard() OWNER TO "{group(prefix, "owner")}"')
    run("REVOKE ALL ON FUNCTION smgov_account_role_guard() FROM PUBLIC")
    run("DROP TRIGGER IF EXISTS smgov_account_role_guard ON account_roles")
    run(
        "CREATE TRIGGER smgov_account_role_guard BEFORE INSERT OR UPDATE ON account_roles "
        "FOR EACH ROW EXECUTE FUNCTION smgov_account_role_guard()"
    )
