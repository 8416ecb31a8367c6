"""Tell the case worker that something new waits on a case (issue 11 item 3).

An observation, or an answer with something written in it, may say something serious, and
nobody would see it until the case worker next opens the case. So an e-mail goes through the
outbox, in the transaction that stores what arrived: it says only that something new waits,
with a link to the case page. No child's name, no text, nothing of the case: e-mail is read
on phones and in shared inboxes. At most one an hour per case worker and case
(outbox.queue_email_once looks in the outbox); a case worker without an e-mail address
gets none.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.cases.models import Case
from app.invitations.links import base_url
from app.outbox import queue_email_once

log = logging.getLogger(__name__)

TOPIC = "news"
WITHIN = timedelta(hours=1)


def tell_caseworker(case: Case) -> None:
    """Queue the "something new" e-mail to the case's case worker, unless one went within the hour."""
    worker = case.caseworker
    if worker is None or not worker.active or not (worker.email or "").strip():
        return
    link = base_url() + url_for("cases.show", case_id=case.id)
    # Staff read Samstem in its source language, whatever the respondent chose.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Nyt i Samstem")
        body = _("Der er kommet noget nyt på en af dine sager i Samstem: %(link)s", link=link)
    if queue_email_once(worker.email, subject, body, case_id=case.id, topic=TOPIC, within=WITHIN):
        log.info("case %s: the case worker is told something new waits", case.id)
