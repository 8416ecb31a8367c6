"""Plain Danish names for the actions the audit log records; an action not named here is shown as is."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "login": _l("Loggede ind"),
    "login.failed": _l("Forkert login"),
    "logout": _l("Loggede ud"),
    "case.view": _l("Så sagen"),
    "case.create": _l("Oprettede en sag"),
    "case.export": _l("Hentede en rapport om sagen"),
    "person.save": _l("Gemte en person"),
    "meeting.create": _l("Oprettede et møde"),
    "goal.create": _l("Oprettede et mål"),
    "goal.reword": _l("Ændrede et måls ordlyd"),
    "goal.close": _l("Tog et mål ud af planen"),
    "round.open": _l("Bad om svar"),
    "invitation.send": _l("Sendte et link"),
    "invitation.reissue": _l("Lavede et nyt link"),
    "invitation.revoke": _l("Lukkede et link"),
    "observation_link.create": _l("Lavede et link til observationer"),
    "observation_link.revoke": _l("Lukkede et link til observationer"),
    "decision.create": _l("Traf en beslutning"),
    "indicators.procedure": _l("Ændrede proceduren for resultatdokumentation"),
    "indicators.case_settings": _l("Valgte indikatorskema for sagen"),
    "indicators.staff_scoring": _l("Scorede indikatorer"),
    "indicators.final_scores": _l("Satte endelige scorer"),
    "phone_follow_up.create": _l("Skrev en telefonopfølgning"),
    "method_registration.create": _l("Registrerede metoden"),
    "reopening.create": _l("Skrev en genåbning af sagen"),
    "audit.search": _l("Søgte i auditloggen"),
    "audit.export": _l("Hentede auditloggen som CSV"),
    "user.create": _l("Oprettede en bruger"),
    "user.update": _l("Ændrede en bruger (navn, e-mail, roller eller team)"),
    "user.deactivate": _l("Lukkede en brugers konto"),
    "user.password": _l("Gav en bruger en ny adgangskode"),
    "user.hand_over": _l("Gav en rådgivers sager videre"),
    "case.hand_over": _l("Gav sagen til en anden rådgiver"),
    "import.apply": _l("Importerede sager fra fagsystemets fil"),
    "import.case": _l("Oprettede eller ændrede sagen ved en import"),
    "team.create": _l("Oprettede et team"),
    "team.rename": _l("Omdøbte et team"),
    "team.merge": _l("Slog to teams sammen"),
    "settings.save": _l("Ændrede organisationens indstillinger"),
    "texts.save": _l("Ændrede en tekst til dem, der svarer"),
    "forms.approve": _l("Godkendte et udkast til et skema"),
    "forms.deactivate": _l("Slog et skema fra"),
    "forms.activate": _l("Slog et skema til igen"),
    "figures.extract": _l("Hentede et pseudonymt udtræk til analyse"),
    "case.background": _l("Ændrede sagens baggrund"),
    "lists.save": _l("Ændrede en af organisationens lister"),
}


def action_label(action: str) -> str:
    """Return the action's Danish name, or the action itself when it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
