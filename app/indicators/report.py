"""An indicator round in the report: the matrix for the PDF, and the same as plain text for the
case system, built by the matrix page's own builder (app.indicators.matrix.build)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _

from app.i18n import current_language
from app.indicators.matrix import Column, Matrix, Row, build
from app.indicators.section import category_label
from app.invitations.models import Round
from app.labels import ROLE_LABELS

WHEN = "d. MMM yyyy HH:mm"


def report_context(round_: Round) -> dict:
    """What templates/indicators/_report.html reads: the round's matrix."""
    return {"matrix": build(round_)}


def _shown(value: Any) -> str:
    if value == "dont_know":
        return _("Ved ikke")
    return "–" if value is None or value == "" else str(value)


def _score(status: Any, goal: Any, with_goal: bool) -> str:
    said = _("status %(value)s", value=_shown(status))
    if with_goal and goal is not None:
        said += ", " + _("mål %(value)s", value=_shown(goal))
    return said


def _who(column: Column) -> str:
    return f"{column.name} ({ROLE_LABELS[column.role] if column.role in ROLE_LABELS else _('Rådgiver')})"


def _indented(text: str) -> str:
    return text.replace("\n", "\n      ")


def _was(earlier: list[tuple[datetime, dict, bool]], with_goal: bool) -> str:
    """Say what a changed score was before, or nothing if it did not change."""
    if not earlier:
        return ""
    values = ", ".join(
        _("vil ikke svare") if declined else _score(was.get("status"), was.get("goal"), with_goal) if was else _("intet svar")
        for _when, was, declined in earlier
    )
    return " (" + _("ændret, før %(value)s", value=values) + ")"


def _changed_lines(matrix: Matrix) -> list[str]:
    """Say who changed their scoring on their link, when, and when the earlier ones came."""
    return [
        "  " + _("%(name)s ændrede sine svar %(when)s (tidligere svar: %(earlier)s).", name=column.name,
                 when=format_datetime(column.sent_at, WHEN),
                 earlier=", ".join(format_datetime(r.submitted_at, WHEN) for r in column.earlier))
        for column in matrix.columns if column.changed
    ]


def _final(row: Row, with_goal: bool) -> str:
    final = row.final
    if final is not None and final.has_status:
        said = _("Endelig: %(score)s", score=_score(final.status_value, final.goal, with_goal))
        return said + (". " + _("Begrundelse: %(text)s", text=_indented(final.rationale)) if final.rationale else "")
    if final is not None and final.unscored:
        return _("Endelig: ikke scoret (%(reason)s)", reason=_indented(final.rationale))
    return _("Endelig: ikke scoret")


def _row_lines(matrix: Matrix, row: Row, lang: str) -> list[str]:
    with_goal = matrix.form is not None and matrix.form.has_goals
    lines = ["  " + row.factor.title(lang)]
    for column, cell in zip(matrix.columns, row.cells, strict=True):
        if not column.was_asked(row.factor.key):
            lines.append(f"    {_who(column)}: {_('ikke spurgt')}")
            continue
        earlier = _was(column.earlier_scores(row.factor.key), with_goal)
        if cell:
            words = ". " + _indented(cell["text"]) if cell.get("text") else ""
            lines.append(f"    {_who(column)}: {_score(cell.get('status'), cell.get('goal'), with_goal)}{words}{earlier}")
        elif earlier:
            lines.append(f"    {_who(column)}: {_('vil ikke svare') if column.declined else '–'}{earlier}")
    lines.append("    " + _final(row, with_goal))
    if row.differing:
        views = "; ".join(f"{_who(column)}: {_shown(status)}" for column, status in row.differing)
        lines.append(f"    {_('Afviger fra den endelige status')}: {views}")
    if row.final is not None and row.final.family_note:
        lines.append(f"    {_('Note om familiens syn')}: {_indented(row.final.family_note)}")
    if row.category is not None:
        lines.append(f"    {_('Siden sidst')}: {category_label(row.category)}")
    return lines


def summary_lines(round_: Round) -> list[str]:
    """The matrix in plain text: per factor every scorer's score, the final status and goal with
    the rationale, the family's differing view, and the classification since the last round."""
    matrix = build(round_)
    if matrix is None:
        return []
    lang = current_language()
    form = matrix.form
    lines = ["", form.title(lang) if form is not None else matrix.info.form_id, *_changed_lines(matrix)]
    for row in matrix.rows:
        lines += _row_lines(matrix, row, lang)
    if form is not None and form.is_icf:
        levels = [f"{_who(c)}: {_shown(c.level)}" for c in matrix.columns if c.level]
        final = matrix.level_final.level if matrix.level_final is not None and matrix.level_final.level else None
        lines.append("  " + _("Samlet funktionsniveau"))
        lines += [f"    {level}" for level in levels]
        lines.append("    " + (_("Endelig: %(score)s", score=final) if final else _("Endelig: ikke scoret")))
    return lines
