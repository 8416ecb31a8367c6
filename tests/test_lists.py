"""The organisation's lists (issue 14 item 1: "lists the organisation edits in settings"): shipped
defaults, renaming, adding, taking out of use, and the rules a saved list keeps."""

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.settings import lists
from app.settings.lists import ListError


def _row(code, da=None, active=True, **other):
    labels = {"da": da, **other} if da else dict(other)
    return {"code": code, "labels": labels, "active": active}


def test_an_unsaved_list_is_the_shipped_one(app):
    with app.test_request_context():
        assert lists.codes("target_group") == {"vulnerable", "disability", "young_adults", "infants", "other"}
        assert lists.label("case_type", "investigation") == "Børnefaglig undersøgelse"
        with force_locale("en"):
            assert lists.label("case_type", "investigation") == "Child welfare assessment"
        assert lists.entries("provider") == []


def test_renaming_adding_and_taking_out_of_use(app):
    with app.test_request_context():
        rows = [_row(e.code, active=e.code != "other") for e in lists.entries("target_group")]
        rows[0] = _row("vulnerable", "Børn i udsatte positioner")
        rows.append(_row("refugees", "Uledsagede flygtningebørn", en="Unaccompanied refugee children"))
        assert lists.save("target_group", rows) is True
        db.session.commit()
        assert "other" not in lists.codes("target_group")
        assert lists.known("target_group", "other")
        assert lists.label("target_group", "other") == "Anden målgruppe"  # rows recorded with it keep their name
        assert lists.label("target_group", "vulnerable") == "Børn i udsatte positioner"
        assert ("other", "Anden målgruppe") in lists.choices("target_group", keep="other")
        assert "other" not in dict(lists.choices("target_group"))
        with force_locale("en"):
            assert lists.label("target_group", "refugees") == "Unaccompanied refugee children"
            assert lists.label("target_group", "vulnerable") == "Børn i udsatte positioner"  # no English yet
        assert lists.save("target_group", rows) is False  # nothing changed


@pytest.mark.parametrize("rows, message", [
    ([_row("a", "A"), _row("a", "B")], "står to gange"),
    ([_row("", "A")], "kode"),
    ([_row("x" * 41, "A")], "kode"),
    ([_row("new")], "dansk navn"),
    ([_row("new", "x" * 121)], "højst være 120"),
], ids=["duplicate", "empty-code", "long-code", "no-danish-name", "long-name"])
def test_a_list_that_breaks_a_rule_is_refused(app, rows, message):
    with app.test_request_context():
        with pytest.raises(ListError, match=message):
            lists.save("provider", rows)


def test_an_entry_is_never_removed(app):
    with app.test_request_context():
        lists.save("provider", [_row("familiehuset", "Familiehuset")])
        with pytest.raises(ListError, match="ikke slettes: familiehuset"):
            lists.save("provider", [_row("other", "Andet sted")])
