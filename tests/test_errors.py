"""An unexpected error is logged with its traceback, and never with a token or an answer in it."""

import logging

from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.respond import services
from tests.conftest import _config
from tests.test_respond import NETWORK_FORM

SAID = NETWORK_FORM["participation-network.comment"]


def test_an_unexpected_error_is_logged_with_its_traceback_but_no_token_or_answer(app, make, caseworker, caplog,
                                                                                  monkeypatch):
    emma = make.emma(caseworker)
    token = emma.tokens["network"]
    live = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"TESTING": False})

    def broken(invitation, answers, declined, lang, submission, *how_given):
        # A statement that fails with the respondent's answer among its parameters.
        db.session.execute(text("SELECT * FROM no_such_table WHERE said = :said"), {"said": answers[0][1]["comment"]})

    monkeypatch.setattr(services, "_store", broken)
    caplog.set_level(logging.ERROR)
    try:
        response = live.test_client().post(f"/r/{token}/form", data=NETWORK_FORM)
    finally:
        with live.app_context():
            db.engine.dispose()
    assert response.status_code == 500 and "Det gik ikke" in response.text
    [record] = [r for r in caplog.records if r.exc_info]
    assert "respond.answer" in record.getMessage()
    assert "Traceback" in caplog.text and "no_such_table" in caplog.text
    assert token not in caplog.text and SAID not in caplog.text and "Godt møde" not in caplog.text
