"""The case report of a round: the PDF for the case file and the same summary as plain text."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from app.i18n import current_language, decimal1
from app.invitations.kinds import round_kind
from app.invitations.overview import Earlier, InstrumentTable, RoundOverview
from app.labels import (
    MEETING_KIND_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    SIGNAL_LEVEL_LABELS,
    STATUS_LABELS,
)
from app.pdf import render_pdf
from app.reconcile.history import CaseHistory
from app.reconcile.pages import load_case, load_round, shown_with
from app.reconcile.wording import score_label, score_value, signal_text
from app.reports.trends import trend_charts
from app.settings import services as settings
from app.timestamps import utcnow

WHEN = "d. MMM yyyy HH:mm"


def report_pdf(overview: RoundOverview, history: CaseHistory | None = None) -> bytes:
    """Render the round's reconciliation, signals, charts and decisions to PDF bytes.

    Everything the template shows is loaded first (from `history` when the caller has it).
    """
    case = load_case(overview.round.meeting.case)
    load_round(overview.round)
    kind = round_kind(overview.round.kind)
    html = render_template(
        "reports/report.html",
        overview=overview,
        answers_partial=kind.report_partial or kind.answers_partial,
        **(kind.report_context(overview.round) if kind.report_context else {}),
        case=case,
        charts=trend_charts([overview]),
        organisation=settings.get("organisation_name"),
        now=utcnow(),
        **shown_with([overview], history or CaseHistory(case)),
    )
    return render_pdf(html)


def _person(invitation) -> str:
    return f"{invitation.person.first_name} ({ROLE_LABELS[invitation.person.role]})"


def summary_text(overview: RoundOverview) -> str:
    """Say the same as the report in plain text, to paste into the municipality's case system."""
    lang = current_language()
    round_ = overview.round
    meeting = round_.meeting
    case = meeting.case
    kind = round_kind(round_.kind)
    lines = [
        kind.summary_heading % {"kind": MEETING_KIND_LABELS[meeting.kind].lower(), "date": format_date(meeting.held_on, "d. MMMM yyyy")},
        _("Barn: %(name)s, født %(year)s", name=case.child.first_name, year=case.child_birth_year)
        + (" · " + _("Sag: %(ref)s", ref=case.external_ref) if case.external_ref else ""),
        _("Rådgiver: %(name)s", name=case.caseworker.name),
        _("Deltagere: %(people)s", people=", ".join(f"{p.first_name} ({ROLE_LABELS[p.role]})" for p in meeting.participants)),
        _("Svar: %(people)s", people=", ".join(f"{_person(inv)} {STATUS_LABELS[status].lower()}" for inv, status in overview.statuses)),
    ]
    if kind.summary_lines is not None:
        lines += kind.summary_lines(round_)
    for table in overview.tables:
        instrument = table.instrument
        lines += ["", f"{instrument.title(lang)} ({instrument.id})"]
        lines += _answer_lines(table, lang) or ["  " + _("Intet svar.")]
    lines.append("")
    for decision in reversed(round_.decisions):
        status = "" if decision.is_current else " [" + _("rettet") + "]"
        lines.append(_("Beslutning %(when)s, %(who)s: %(outcome)s", when=format_datetime(decision.decided_at, "d. MMM yyyy HH:mm"),
                       who=decision.decided_by.name, outcome=OUTCOME_LABELS[decision.outcome]) + status)
        lines.append(f"  {decision.text}")
        if decision.follow_up_meeting is not None:
            lines.append("  " + _("Nyt opfølgningsmøde: %(date)s", date=format_date(decision.follow_up_meeting.held_on, "d. MMMM yyyy")))
        else:
            lines.append("  " + _("Intet nyt opfølgningsmøde"))
    if not round_.decisions:
        lines.append(_("Der er endnu ikke taget stilling til runden."))
    return "\n".join(lines) + "\n"


def _changed_lines(table: InstrumentTable) -> list[str]:
    """Say who changed their answers on their link, when, and when the earlier ones came."""
    return [
        "  " + _("%(name)s ændrede sine svar %(when)s (tidligere svar: %(earlier)s).",
                 name=voice.invitation.person.first_name, when=format_datetime(voice.response.submitted_at, WHEN),
                 earlier=", ".join(format_datetime(r.submitted_at, WHEN) for r in voice.earlier))
        for voice in table.voices if voice.changed
    ]


def _was(earlier: list[Earlier]) -> str:
    """Say what a changed answer was before, or nothing if it did not change."""
    if not earlier:
        return ""
    values = ", ".join(_("vil ikke svare") if e.declined else e.value or _("intet svar") for e in earlier)
    return " (" + _("ændret, før %(value)s", value=values) + ")"


def _answer_lines(table: InstrumentTable, lang: str) -> list[str]:
    """Each question with every voice's answer on one line; free text in full; then totals and signals."""
    instrument = table.instrument
    lines = _changed_lines(table)
    for item in instrument.items:
        said = []
        for voice, now, then, earlier in zip(table.voices, table.cells(item, lang), table.previous_cells(item, lang),
                                             table.earlier_cells(item, lang), strict=True):
            name = voice.invitation.person.first_name
            if voice.declined:
                said.append(_("%(name)s: vil ikke svare", name=name) + _was(earlier))
            elif now:
                said.append(f"{name}: {now}" + (" (" + _("sidst %(value)s", value=then) + ")" if then else "") + _was(earlier))
            elif earlier:
                said.append(f"{name}: –" + _was(earlier))  # an answer taken back on the same link
        if not said:
            continue
        if item.type in ("text", "longtext"):
            lines.append(f"  {item.text(lang)}:")
            lines += ["    " + answer.replace("\n", "\n      ") for answer in said]
        else:
            lines.append(f"  {item.text(lang)}: " + " · ".join(said))
        gap = table.divergences.get(item.key)
        if gap is not None:
            lines.append("    " + _(
                "Uenige: %(spread)s fra hinanden; højest %(high)s (%(highest)s), lavest %(low)s (%(lowest)s).",
                spread=decimal1(gap.spread), high=", ".join(table.names(gap.high)), highest=decimal1(gap.highest),
                low=", ".join(table.names(gap.low)), lowest=decimal1(gap.lowest)))
    for voice in table.voices:
        name = voice.invitation.person.first_name
        value = score_value(instrument, voice.score)
        if value is not None:
            lines.append(f"  {name}: {score_label(instrument)} {decimal1(value)}")
        for signal in voice.signals:
            lines.append(f"    {name}, {SIGNAL_LEVEL_LABELS[signal.level].lower()}: {signal_text(signal, instrument)}")
    return lines
