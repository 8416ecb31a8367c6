"""The e-mail and SMS in Arabic and Ukrainian (issue 18 item 1): in the reader's language, and
an SMS counted in the 70-place UCS-2 segments its letters need."""

import pytest

from app.cases.models import Person
from app.extensions import db
from app.invitations.models import Invitation
from app.outbox.segments import UCS2_PART, UCS2_SEGMENT, is_gsm, length, segments
from tests.test_messages import CASES, ORGANISATIONS, _asked, _sent

BASE_URL = "https://samstem.ringkobing-skjern.dk"
# Words each language's e-mail says, whatever the round: the link, that it is voluntary.
EMAIL_WORDS = {"ar": ["رابطك الشخصي:", "أنت تقرر إن كنت تريد الإجابة."],
               "uk": ["Ваше особисте посилання:", "Ви самі вирішуєте, чи відповідати."]}
SMS_VOLUNTARY = {"ar": "اختياري:", "uk": "Добровільно:"}
# The most SMS one message may take with the longest names and address (ORGANISATIONS), its
# short link (app.invitations.links.sms_url) included: about 145 places, three 67-place parts.
MOST_SMS = 3


def _in_language(app, make, kind, reader, lang) -> int:
    invitation_id = _asked(app, make, kind, reader)
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        db.session.get(Person, invitation.person_id).language = lang
        db.session.commit()
    return invitation_id


@pytest.mark.parametrize(("text", "count"), [
    ("я" * UCS2_SEGMENT, 1),  # one SMS: 70 places
    ("я" * (UCS2_SEGMENT + 1), 2),  # joined parts: 67 places each
    ("ب" * (UCS2_PART * 2), 2),
    ("ب" * (UCS2_PART * 2 + 1), 3),
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),  # GSM: 160, then 153 each
])
def test_an_sms_is_counted_in_the_segments_a_phone_sends(text, count):
    assert segments(text) == count


@pytest.mark.parametrize("lang", ["ar", "uk"])
@pytest.mark.parametrize(("kind", "reader"), CASES)
def test_the_email_and_sms_speak_the_readers_language(app, make, kind, reader, lang):
    name, short_name = ORGANISATIONS["longest full name"]
    app.config.update(ORGANISATION_NAME=name, PUBLIC_BASE_URL=BASE_URL, SMS_SENDER="tests.test_messages:KeptSms")
    subject, body, sms = _sent(app, _in_language(app, make, kind, reader, lang))
    for words in EMAIL_WORDS[lang]:
        assert words in body
    assert "Du bestemmer selv" not in body and "Frivilligt" not in sms
    assert SMS_VOLUNTARY[lang] in sms and sms.rstrip().split()[-1].startswith(BASE_URL + "/")
    # An SMS is read on a lock screen: never the child's name.
    assert "Emma" not in sms
    # Its letters are outside the GSM alphabet: it goes as UCS-2, in 70 places (67 when joined).
    assert not is_gsm(sms)
    assert segments(sms) <= MOST_SMS, (segments(sms), length(sms), sms)


def test_a_language_chosen_on_the_link_is_the_one_a_reminder_speaks(app, make):
    app.config.update(PUBLIC_BASE_URL=BASE_URL, SMS_SENDER="tests.test_messages:KeptSms")
    invitation_id = _asked(app, make, "feedback", "parent")
    with app.app_context():
        db.session.get(Invitation, invitation_id).language = "uk"
        db.session.commit()
    subject, body, sms = _sent(app, invitation_id)
    assert subject.startswith("Якою була зустріч") and "Привіт" in body and "Добровільно:" in sms
