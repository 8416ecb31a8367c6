"""Danish names (translated through Babel) for the codes stored in the database."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "child": _l("Barn/ung"),
    "mother": _l("Mor"),
    "father": _l("Far"),
    "carer": _l("Anden omsorgsperson"),
    "network": _l("Netværk"),
    "provider": _l("Udfører"),
    "school": _l("Skole/dagtilbud"),
}

MEETING_KIND_LABELS = {
    "network_meeting": _l("Netværksmøde"),
    "family_group_conference": _l("Familierådslagning"),
    "startup": _l("Opstartsmøde"),
    "follow_up": _l("Opfølgningsmøde"),
    "action_plan": _l("Møde om barnets plan"),
    "notification": _l("Underretningsmøde"),
    "informal": _l("Kaffemøde"),
    "fit_session": _l("FIT-samtale"),
}
# The same in the definite form, for a text about one meeting: "Status før netværksmødet".
MEETING_KIND_DEFINITE_LABELS = {
    "network_meeting": _l("netværksmødet"),
    "family_group_conference": _l("familierådslagningen"),
    "startup": _l("opstartsmødet"),
    "follow_up": _l("opfølgningsmødet"),
    "action_plan": _l("mødet om barnets plan"),
    "notification": _l("underretningsmødet"),
    "informal": _l("kaffemødet"),
    "fit_session": _l("FIT-samtalen"),
}

STAFF_ROLE_LABELS = {
    "caseworker": _l("Rådgiver"),
    "team_leader": _l("Teamleder"),
    "leader": _l("Leder"),
    "admin": _l("Administrator"),
}

STATUS_LABELS = {
    "waiting": _l("Venter"),
    "opened": _l("Åbnet"),
    "answered": _l("Besvaret"),
    "declined": _l("Vil ikke svare"),
    "expired": _l("Udløbet"),
    "revoked": _l("Tilbagekaldt"),
}

# FIT signals are shown in colour and always also in words; these name the colour.
SIGNAL_LEVEL_LABELS = {
    "grey": _l("Grå"),
    "green": _l("Grøn"),
    "orange": _l("Orange"),
    "red": _l("Rød"),
}

# The life domain a goal concerns: the indicator forms' factors (INSTRUMENTS.md sections 4-5).
DOMAIN_LABELS = {
    "development": _l("Udvikling og adfærd"),
    "family": _l("Familieforhold"),
    "school": _l("Skole, uddannelse og beskæftigelse"),
    "health": _l("Sundhed"),
    "leisure": _l("Fritid og venskaber"),
    "everyday": _l("Hverdagsliv og selvstændighed"),
    "other": _l("Andet"),
}

GOAL_KIND_LABELS = {
    "improve": _l("Progressionsmål"),
    "maintain": _l("Fastholdelsesmål"),
}
# The same, said so the choice explains itself on the goal form.
GOAL_KIND_CHOICE_LABELS = {
    "improve": _l("Noget skal blive bedre (progressionsmål)"),
    "maintain": _l("Noget godt skal holdes, som det er (fastholdelsesmål)"),
}

OUTCOME_LABELS = {
    "action": _l("Giver anledning til handling"),
    "no_adjustment": _l("Giver ikke anledning til justering"),
}

# What a line on the due list asks the case worker to do.
DUE_KIND_LABELS = {
    "decision": _l("Tag stilling til nye svar"),
    "status": _l("Status mangler"),
    "ask_status": _l("Bed om status før mødet"),
    "measurement": _l("Måling af indikatorer"),
    "observations": _l("Tag stilling til nye observationer"),
    "phone_follow_up": _l("Ring og følg op"),
    "file_decision": _l("Journalisér i fagsystemet"),
}

# Why a case was closed, and why it was opened again (issue 12 item 14). Said so they also
# read well after "Lukket den 3. marts 2026 (…)".
CLOSE_REASON_LABELS = {
    "closed_no_measure": _l("Uden yderligere indsats efter familierådslagning eller netværksmøde"),
    "measure_ended": _l("Indsatsen er slut"),
    "moved": _l("Familien er flyttet til en anden kommune"),
    "aged_out": _l("Den unge er fyldt 18, eller ungestøtten er slut"),
    "transferred": _l("Sagen er givet videre til en anden afdeling"),
    "other": _l("Anden årsag"),
    "not_recorded": _l("Årsagen blev ikke skrevet ned"),
}
REOPEN_REASON_LABELS = {
    "notification": _l("Ny underretning"),
    "family_asked": _l("Familien har selv bedt om hjælp igen"),
    "plan_failed": _l("Netværkets plan holdt ikke"),
    "other": _l("Anden årsag"),
}


def init_app(app) -> None:
    """Make the labels available to every template."""

    @app.context_processor
    def labels() -> dict:
        return {
            "role_labels": ROLE_LABELS,
            "meeting_kind_labels": MEETING_KIND_LABELS,
            "meeting_kind_definite_labels": MEETING_KIND_DEFINITE_LABELS,
            "status_labels": STATUS_LABELS,
            "staff_role_labels": STAFF_ROLE_LABELS,
            "signal_level_labels": SIGNAL_LEVEL_LABELS,
            "outcome_labels": OUTCOME_LABELS,
            "domain_labels": DOMAIN_LABELS,
            "goal_kind_labels": GOAL_KIND_LABELS,
            "due_kind_labels": DUE_KIND_LABELS,
            "close_reason_labels": CLOSE_REASON_LABELS,
            "reopen_reason_labels": REOPEN_REASON_LABELS,
            "gender_labels": GENDER_LABELS,
        }

# Resultatdokumentation (INSTRUMENTS.md §4-5).
INDICATOR_CATEGORY_LABELS = {
    "no_problem": _l("Uproblematisk"),
    "improvement_goal_met": _l("Progressionsmål opfyldt"),
    "progression": _l("Progression"),
    "no_progression": _l("Ingen progression"),
    "hold_goal_met": _l("Fastholdelsesmål opfyldt"),
    "negative_progression": _l("Negativ progression"),
    "not_followed_up": _l("Ikke fulgt op"),
    "not_classifiable": _l("Kan ikke klassificeres"),
}
ICF_DEVELOPMENT_LABELS = {
    "positive": _l("Positiv udvikling"),
    "none": _l("Ingen udvikling"),
    "negative": _l("Negativ udvikling"),
    "missing": _l("Mangler"),
}
SCORER_LABELS = {
    "caseworker": _l("Rådgiver"),
    "provider": _l("Udfører"),
    "school": _l("Skole/dagtilbud"),
    "child": _l("Barn/ung"),
    "parents": _l("Forældre (mor, far, anden omsorgsperson)"),
}

# The provider status: how far a goal has come (INSTRUMENTS.md section 3).
ATTAINMENT_LABELS = {
    "full": _l("Helt opfyldt"),
    "high": _l("I høj grad opfyldt"),
    "some": _l("I nogen grad opfyldt"),
    "none": _l("Ikke opfyldt"),
    "not_relevant": _l("Ikke relevant"),
}

# The case worker's goal attainment at a follow-up meeting (issue 14 item 4): the provider's steps
# and "ikke fulgt op" as its own value (INSTRUMENTS.md §5).
CASEWORKER_ATTAINMENT_LABELS = {**ATTAINMENT_LABELS, "not_followed_up": _l("Ikke fulgt op")}

# Where a status request stands for one recipient.
RECIPIENT_STATUS_LABELS = {
    "waiting": _l("Venter"),
    "answered": _l("Besvaret"),
    "answered_late": _l("Besvaret efter fristen"),
    "revoked": _l("Tilbagekaldt"),
    "expired": _l("Udløbet"),
}

# An outbox message's state (app.outbox.models.OutboxMessage.status).
OUTBOX_STATE_LABELS = {
    "waiting": _l("I kø"),
    "failed": _l("I kø, forsøges igen"),
    "sent": _l("Sendt"),
    "given_up": _l("Opgivet"),
}

# Why a message with a link was not sent (app.outbox.models.NOT_SENT_REASONS): its link no longer works or is no longer kept.
NOT_SENT_LABELS = {
    "revoked": _l("Ikke sendt: linket er tilbagekaldt"),
    "answered": _l("Ikke sendt: personen har allerede svaret"),
    "declined": _l("Ikke sendt: personen har allerede sagt nej tak til at svare"),
    "locked": _l("Ikke sendt: runden er afsluttet"),
    "expired": _l("Ikke sendt: linket er udløbet"),
    "opened": _l("Ikke sendt: linket er allerede åbnet"),
    "lost": _l("Ikke sendt: linket kan ikke vises igen"),
}

# Everyday observations from the network (DESIGN.md D).
OBSERVATION_KIND_LABELS = {
    "positive": _l("Positiv"),
    "negative": _l("Negativ"),
    "mixed": _l("Både og"),
}

# Phone follow-up (INSTRUMENTS.md §6): has the intervention started?
STARTED_LABELS = {
    "yes": _l("Ja"),
    "partly": _l("Delvist"),
    "no": _l("Nej"),
}

# Method registration (INSTRUMENTS.md §6, DESIGN.md G).
METHOD_LABELS = {
    "network_meeting": _l("Netværksmøde"),
    "family_group_conference": _l("Familierådslagning"),
}
TARGET_GROUP_LABELS = {
    "vulnerable": _l("Udsatte børn og unge"),
    "disability": _l("Børn og unge med funktionsnedsættelse"),
    "young_adults": _l("Unge 18–22 år (ungestøtte)"),
    "infants": _l("Gravide og familier med spædbørn"),
    "other": _l("Anden målgruppe"),
}
CASE_TYPE_LABELS = {
    "notification": _l("Underretning"),
    "application": _l("Henvendelse eller ansøgning fra familien"),
    "initial_assessment": _l("Afdækning"),
    "investigation": _l("Børnefaglig undersøgelse"),
    "ongoing_measure": _l("Igangværende indsats"),
    "after_care": _l("Ungestøtte"),
    "other": _l("Anden sagstype"),
}
METHOD_OUTCOME_LABELS = {
    "closed": _l("Sagen er lukket uden yderligere indsats"),
    "measure": _l("En indsats er sat i gang"),
    "network_role": _l("Netværket har taget en rolle i stedet for en indsats"),
    "continues": _l("Sagen fortsætter"),
}
# Was the method used (issue 14 item 3; FIGURES.md K2)?
METHOD_STATUS_LABELS = {
    "held": _l("Ja, mødet blev holdt"),
    "not_used": _l("Nej, metoden blev tilbudt, men ikke brugt"),
    "failed": _l("Nej, metoden blev forsøgt, men det lykkedes ikke"),
}
# The first family group conference or network meeting on the case, or a follow-up one (FIGURES.md K1, K5).
OCCASION_LABELS = {
    "first": _l("Det første"),
    "follow_up": _l("Et opfølgende"),
}
# The child's gender, when the organisation records it (issue 14 item 1).
GENDER_LABELS = {
    "girl": _l("Pige"),
    "boy": _l("Dreng"),
    "other": _l("Andet"),
}

# What each staff role may do, as the administrator chooses them (app.auth.models ROLES).
STAFF_ROLE_LABELS = {
    "caseworker": _l("Rådgiver"),
    "team_leader": _l("Teamleder"),
    "leader": _l("Leder"),
    "analyst": _l("Analytiker (må hente de pseudonyme tal)"),
    "admin": _l("Administrator"),
}
