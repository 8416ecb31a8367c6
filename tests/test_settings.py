"""The organisation's settings page (issue 13, "the organisation's settings in one place"):
administrators only, kept in the database, read instead of the configuration, every change audited."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.settings import services as settings
from app.settings.models import Setting
from tests.factories import login

GOOD = {"organisation_name": "Solby Kommune", "token_days": "21", "reminder_days": "5", "retention_days": "1825",
        "audit_retention_days": "730", "min_group_count": "6", "min_group_mean": "12", "round_to_five": "y",
        "target_network_share": "40"}


@pytest.fixture
def admin(app, make, client):
    make.user("admin", role="admin")
    login(client, "admin")
    return client


@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader"])
def test_only_an_administrator_opens_the_settings(app, make, client, role):
    make.user("someone", role=role, team=make.team() if role != "leader" else None)
    assert client.get("/admin/settings").status_code == 302  # anonymous: to the login
    login(client, "someone")
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data=GOOD).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []


def test_unconfigured_the_page_shows_the_configuration(app, admin):
    page = admin.get("/admin/settings")
    assert page.status_code == 200 and "Organisationens indstillinger" in page.text
    assert 'value="Samstem Kommune"' in page.text and 'value="14"' in page.text  # TOKEN_DAYS
    with app.test_request_context():
        assert settings.get("organisation_name") == "Samstem Kommune"
        assert settings.get("min_group_count") == 5 and settings.get("pilot_mode") is False


def test_saving_keeps_the_settings_and_audits_what_changed(app, admin):
    response = admin.post("/admin/settings", data=GOOD)
    assert response.status_code == 302
    page = admin.get("/admin/settings")
    assert "Indstillingerne er gemt." in page.text and 'value="Solby Kommune"' in page.text
    with app.test_request_context():
        assert settings.get("token_days") == 21 and settings.get("round_to_five") is True
        assert settings.get("pilot_mode") is False and settings.get("target_network_share") == 40
        row = db.session.get(Setting, "organisation_name")
        assert row.changed_by_id is not None and row.changed_at is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.save"))
        assert event.detail["changed"]["organisation_name"] == ["Samstem Kommune", "Solby Kommune"]
        assert "pilot_mode" not in event.detail["changed"]  # unchanged, not noted
    log = admin.get("/admin/audit")
    assert "Ændrede organisationens indstillinger" in log.text


@pytest.mark.parametrize("change, message", [
    # FIGURES.md "Disclosure rules" 2: never below 3.
    ({"min_group_count": "2"}, "Mindst 3: med færre børn i en gruppe kan man regne ud"),
    ({"min_group_mean": "1"}, "Mindst 3: med færre børn i en gruppe kan man regne ud"),
    ({"min_group_count": "fem"}, "Skriv et helt tal."),
    ({"token_days": ""}, "Skriv et antal dage."),
    ({"token_days": "0"}, "Skriv et antal dage fra 1 til 365."),
    ({"reminder_days": "21"}, "Påmindelsen skal sendes, før linket holder op med at virke."),
    ({"retention_days": "0"}, "Skriv et antal dage fra 1 til 36500."),
    ({"target_network_share": "101"}, "Skriv en procent fra 0 til 100."),
    ({"organisation_name": "   "}, "Skriv organisationens navn."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_typed_is_lost(app, admin, change, message):
    response = admin.post("/admin/settings", data=GOOD | change)
    assert response.status_code == 400 and message in response.text
    assert 'value="Solby Kommune"' in response.text or change.get("organisation_name")
    assert 'value="730"' in response.text
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.save")) is None


def test_the_settings_are_linked_where_an_administrator_lands(admin):
    assert 'href="/admin/settings"' in admin.get("/").text


def _store(app, **values):
    with app.test_request_context():
        for key, value in values.items():
            settings.put(key, value)
        db.session.commit()


def test_respondents_and_messages_read_the_name_set_here(app, make, caseworker):
    ids = make.emma(caseworker)
    _store(app, organisation_name="Solby Kommune")
    page = app.test_client().get(f"/r/{ids.tokens['mother']}")
    assert "Solby Kommune" in page.text and "Samstem Kommune" not in page.text
    with app.test_request_context():
        from app.invitations import messages
        from app.invitations.models import Invitation

        subject, body = messages.email(db.session.get(Invitation, ids.invitations["mother"]))
        assert "Solby Kommune" in body


def test_links_live_and_reminders_come_as_long_as_set_here(app):
    _store(app, token_days=30, reminder_days=0)
    with app.test_request_context():
        from app.invitations.services import expiry
        from app.status.sending import due_reminders

        now = datetime(2026, 1, 1, tzinfo=UTC)
        assert expiry(now, None) == now + timedelta(days=30)
        assert due_reminders(now + timedelta(days=300)) == []


def test_the_purge_reads_the_retention_set_here(app, runner):
    assert "SAMSTEM_RETENTION_DAYS is not set" in runner.invoke(args=["purge", "--dry-run"]).output
    _store(app, retention_days=1825, audit_retention_days=730)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output


def test_settings_are_read_once_per_request(app):
    from bench.queries import count_queries

    _store(app, token_days=30)
    with app.test_request_context():
        settings.forget()
        with count_queries(db.engine) as counted:
            assert [settings.get("token_days"), settings.get("reminder_days"), settings.get("token_days")] == [30, 3, 30]
        assert counted.total == 1


def test_a_change_on_another_host_is_read_once_the_cache_has_aged(app):
    # Two hosts share the database (issue 13, "more than one machine"): each keeps the settings a
    # short while, then reads them again.
    with app.test_request_context():
        assert settings.get("token_days") == 14
    with app.app_context():
        db.session.add(Setting(key="token_days", value=60))  # as another host would
        db.session.commit()
    with app.test_request_context():
        assert settings.get("token_days") == 14
    app.config["SETTINGS_CACHE_SECONDS"] = 0
    with app.test_request_context():
        assert settings.get("token_days") == 60
