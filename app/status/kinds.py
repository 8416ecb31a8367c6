"""The provider's status before a follow-up meeting, and the wishes before a meeting, as kinds of round."""

from flask_babel import lazy_gettext as _l

from app.invitations.kinds import RoundKind, Words, register
from app.status import services

STATUS = register(RoundKind(
    name="status",
    label=_l("Status"),
    handout_title=_l("Status før mødet"),
    summary_heading=_l("Samstem: status før %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s fra %(organisation)s beder om status senest %(due)s."),
    # Only the provider and the school are asked (services.RECIPIENT_ROLES): the professional's words.
    email_subject=Words(professional=_l("Status om %(child)s senest %(due)s")),
    email_ask=Words(professional=_l(
        "%(caseworker)s fra %(organisation)s beder om din status om %(child)s før mødet den %(date)s. "
        "Skriv status senest %(due)s.")),
    email_more=Words(professional=_l(
        "Du skriver kort om hvert mål i barnets plan, giver en samlet vurdering og fortæller, om du har "
        "gennemgået statussen med familien. %(caseworker)s, som er rådgiver, læser det, du skriver, og det "
        "gemmes i sagen.")),
    before_meeting=True,
    own_form=services.FORM.id,
    asks_whole_case=True,
    intro_partial="status/_intro.html",
    thanks_partial="status/_thanks.html",
    answers_partial="status/_status_answers.html",
    summary_lines=services.status_lines,
    thanks_context=lambda invitation: {"late": services.is_late(services.current_status(invitation), invitation.round)},
))

SEE_HAPPEN = register(RoundKind(
    name="see_happen",
    label=_l("Ønsker før mødet"),
    handout_title=_l("Hvad vil du gerne se ske?"),
    summary_heading=_l("Samstem: ønsker før %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s fra %(organisation)s spørger, hvad du gerne vil se ske."),
    email_subject=Words(adult=_l("Hvad vil du gerne se ske? Før mødet den %(date)s")),
    email_ask=Words(
        adult=_l("%(caseworker)s fra %(organisation)s spørger, hvad du gerne vil se ske for %(child)s. Så kan "
                 "vi tale om det på mødet den %(date)s."),
        child=_l("%(caseworker)s fra %(organisation)s spørger, hvad du gerne vil se ske. Så kan vi tale om det "
                 "på mødet den %(date)s."),
    ),
    # Wishes are for the meeting's agenda, not new information to decide on.
    waits_for_decision=False,
    before_meeting=True,
    round_links_partial="status/_wishes_round_links.html",
))
