"""A figure page's tables as sheets for the XLSX and CSV exports (issue 16 item 2).

Built from the page (app/figures/page.py build): the same access rule, the same filters and the
same protected tables of the release, never recomputed. A hidden cell stays hidden ("–").
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from app.figures.exports import Sheet
from app.figures.page import FigureView, Page


def children_note(view: FigureView, k_count: int) -> str:
    """What the figure rests on, in the page's words (templates/figures/_figure.html)."""
    if view.children:
        return _("Tallet hviler på %(n)s børn.", n=view.children)
    if view.children_hidden == "primary":
        return _("Tallet hviler på færre end %(k)s børn.", k=k_count)
    if view.children_hidden:
        return _("Antallet af børn vises ikke, så en lille gruppe ikke kan regnes ud.")
    return _("Der er ingen børn bag tallet i perioden.")


def _value(cell: dict) -> str | int | float | None:
    if "count" not in cell:  # no cell for this row and column
        return cell.get("shown", "")
    if cell["hidden"]:
        return None  # written as the page's mark, "–"
    return cell["value"] if cell["value"] is not None else cell["count"]


def sheet(view: FigureView, page: Page) -> Sheet:
    """One figure: its title over the table, then the caveat, the children, why cells are hidden
    and the organisation's comment."""
    figure = view.figure
    header = [f"{figure.id} · {figure.title}", *view.grid.columns]
    rows = [[label, *(_value(cell) for cell in cells)] for label, cells in view.grid.rows]
    notes = [_("Periode: %(period)s, version %(version)s.", period=page.period, version=page.release.version),
             _("Enhed: %(unit)s.", unit=figure.unit), str(figure.caveat), children_note(view, page.k_count)]
    why = sorted({cell["why"] for _label, cells in view.grid.rows for cell in cells if cell.get("why")})
    if why:
        notes.append(_("Tal vist som – er skjult: %(why)s.", why="; ".join(why)))
    if view.comment is not None:
        notes.append(_("Kommentar (skrevet af %(name)s den %(date)s):", name=view.comment.written_by.name,
                       date=format_date(view.comment.written_at)))
        notes.append(view.comment.text)  # typed by a leader: the writer keeps it text, never a formula
    return Sheet(title=f"{figure.id} {figure.title}", header=header, rows=rows, notes=notes)


def sheets(page: Page) -> list[Sheet]:
    return [sheet(view, page) for view in page.figures]
