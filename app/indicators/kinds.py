"""An indicator scoring round (resultatdokumentation) as a kind of round."""

from flask_babel import lazy_gettext as _l

from app.indicators import report
from app.invitations.kinds import RoundKind, Words, register

INDICATORS = register(RoundKind(
    name="indicators",
    label=_l("Indikatorscoring"),
    # Scorers are asked how things are going now, not how the meeting was.
    handout_title=_l("Vil du vurdere, hvordan det går?"),
    summary_heading=_l("Samstem: indikatorscoring ved %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s fra %(organisation)s beder dig vurdere, hvordan det går."),
    email_subject=Words(adult=_l("Hvordan går det med %(child)s?"), child=_l("Hvordan går det for dig?")),
    email_ask=Words(
        adult=_l("%(caseworker)s fra %(organisation)s beder dig vurdere, hvordan det går med %(child)s lige nu "
                 "på nogle områder, fx skole, sundhed og familie."),
        child=_l("%(caseworker)s fra %(organisation)s beder dig vurdere, hvordan det går for dig lige nu "
                 "på nogle områder, fx skole, sundhed og familie."),
    ),
    asks_unscored_reason=True,
    intro_partial="indicators/_intro.html",
    round_links_partial="indicators/_round_links.html",
    reconcile_links_partial="indicators/_matrix_link.html",
    # The report and the text for the case system carry the matrix (issue 10 item 4).
    report_partial="indicators/_report.html",
    report_context=report.report_context,
    summary_lines=report.summary_lines,
))
