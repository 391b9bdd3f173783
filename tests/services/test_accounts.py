from __future__ import annotations

import pytest

from desktop.enums import AccountStatus, Platform, PostingTool
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import AuditEvent
from desktop.services.accounts import AccountInput, AccountService
from tests.factories import Cast, approve_new_account


def _input(cast: Cast, **kw: object) -> AccountInput:
    base: dict[str, object] = {
        "platform": Platform.FACEBOOK,
        "handle": "SaskHealthNews",
        "ministry_id": cast.health.id,
        "government_email": "healthnews@gov.sk.ca",
        "owner_id": cast.people["officer"].id,
        "url": "https://www.facebook.com/SaskHealthNews",
    }
    base.update(kw)
    return AccountInput(**base)  # type: ignore[arg-type]


def test_officer_proposes_account_in_proposed_status_with_audit(cast: Cast) -> None:
    account = AccountService(cast.ctx("officer")).propose(_input(cast))
    assert account.status == AccountStatus.PROPOSED
    with cast.db.read() as s:
        events = s.query(AuditEvent).filter_by(entity_id=str(account.id)).all()
    assert [e.action for e in events] == ["account.propose"]
    assert events[0].actor_login == "officer"


def test_personal_email_is_refused_with_a_sentence(cast: Cast) -> None:
    with pytest.raises(DomainError, match="not a government address") as err:
        AccountService(cast.ctx("officer")).propose(_input(cast, government_email="me@gmail.com"))
    assert err.value.field == "government_email"


def test_subdomain_of_allowed_domain_is_accepted(cast: Cast) -> None:
    account = AccountService(cast.ctx("officer")).propose(
        _input(cast, government_email="web@health.gov.sk.ca")
    )
    assert account.government_email == "web@health.gov.sk.ca"


def test_x_account_must_use_tweetdeck(cast: Cast) -> None:
    with pytest.raises(DomainError, match="TweetDeck"):
        AccountService(cast.ctx("officer")).propose(_input(cast, platform=Platform.X))
    ok = AccountService(cast.ctx("officer")).propose(
        _input(cast, platform=Platform.X, posting_tool=PostingTool.TWEETDECK)
    )
    assert ok.posting_tool == PostingTool.TWEETDECK


def test_bad_url_and_duplicate_handle(cast: Cast) -> None:
    service = AccountService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="not a web address"):
        service.propose(_input(cast, url="facebook dot com"))
    service.propose(_input(cast))
    with pytest.raises(ConflictError, match="already in the inventory"):
        service.propose(_input(cast, handle="saskhealthnews"))


@pytest.mark.parametrize("who", ["dci", "council", "minister", "agency", "auditor"])
def test_roles_that_may_not_propose(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied, match="needs the role"):
        AccountService(cast.ctx(who)).propose(_input(cast))


@pytest.mark.parametrize(
    "who", ["officer", "comms", "dci", "council", "minister", "agency", "auditor"]
)
def test_only_dso_and_admin_create_accounts(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        AccountService(cast.ctx(who)).create(_input(cast))


def test_officer_edits_only_own_ministry(cast: Cast) -> None:
    account = cast.account()
    with pytest.raises(PermissionDenied, match="own ministry"):
        AccountService(cast.ctx("officer2")).edit(account.id, _input(cast, handle="SKHealth"))
    edited = AccountService(cast.ctx("officer")).edit(
        account.id, _input(cast, handle="SKHealth", purpose="Health news")
    )
    assert edited.purpose == "Health news"


def test_stale_version_is_a_conflict(cast: Cast) -> None:
    account = cast.account()
    service = AccountService(cast.ctx("officer"))
    service.edit(
        account.id, _input(cast, handle="SKHealth", purpose="one"), version=account.version
    )
    with pytest.raises(ConflictError, match="Someone else changed"):
        service.edit(
            account.id, _input(cast, handle="SKHealth", purpose="two"), version=account.version
        )


def test_lifecycle_transitions(cast: Cast) -> None:
    account = AccountService(cast.ctx("officer")).propose(_input(cast))
    dso = AccountService(cast.ctx("dso"))
    with pytest.raises(DomainError, match="cannot become active"):
        dso.activate(account.id)
    with pytest.raises(DomainError, match="becomes approved only when its new-account request"):
        dso.set_status(account.id, AccountStatus.APPROVED)
    approve_new_account(cast, account.id)
    active = dso.activate(account.id)
    assert active.status == AccountStatus.ACTIVE
    assert active.activated_at is not None
    with pytest.raises(DomainError, match="reason"):
        dso.retire(account.id, "")
    done = dso.retire(account.id, "Program ended")
    assert done.status == AccountStatus.SHUT_DOWN
    with pytest.raises(DomainError, match="closed for good"):
        dso.activate(account.id)


def test_password_change_recorded_not_in_future(cast: Cast) -> None:
    account = cast.account()
    service = AccountService(cast.ctx("officer"))
    updated = service.record_password_change(account.id)
    assert updated.password_changed_at == cast.clock()
    from datetime import timedelta

    with pytest.raises(DomainError, match="future"):
        service.record_password_change(account.id, cast.clock() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        AccountService(cast.ctx("auditor")).record_password_change(account.id)
