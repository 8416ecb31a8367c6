"""The provider's status before a follow-up meeting, and the wishes before a meeting, as kinds of round."""

from flask_babel import lazy_gettext as _l

from app.invitations.kinds import RoundKind, register
from app.status import services

STATUS = register(RoundKind(
    name="status",
    label=_l("Status"),
    handout_title=_l("Status før mødet"),
    summary_heading=_l("Samstem: status før %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s beder om status om %(child)s senest %(due)s:"),
    before_meeting=True,
    own_form=services.FORM.id,
    asks_whole_case=True,
    intro_partial="status/_intro.html",
    thanks_partial="status/_thanks.html",
    answers_partial="status/_status_answers.html",
    compose_email=services.request_email,
    summary_lines=services.status_lines,
))

SEE_HAPPEN = register(RoundKind(
    name="see_happen",
    label=_l("Ønsker før mødet"),
    handout_title=_l("Hvad vil du gerne se ske?"),
    summary_heading=_l("Samstem: ønsker før %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s vil gerne vide, hvad du gerne vil se ske for %(child)s:"),
    email_subject=_l("Hvad vil du gerne se ske? Før mødet %(date)s"),
    email_ask=_l("%(caseworker)s fra %(organisation)s vil gerne vide, hvad du gerne vil se ske for %(child)s, "
                 "før mødet %(date)s."),
    # Wishes are for the meeting's agenda, not new information to decide on.
    waits_for_decision=False,
    before_meeting=True,
    round_links_partial="status/_wishes_round_links.html",
))
