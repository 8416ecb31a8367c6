"""The case report of a round: PDF for the case file, plain text for the case system."""

from flask import Blueprint, make_response, render_template

from app import audit
from app.auth.access import case_work_required, round_or_abort
from app.invitations.overview import RoundOverview
from app.reconcile.history import CaseHistory
from app.reconcile.reconciliation import reconcile_round
from app.reports.report import report_pdf, summary_text

bp = Blueprint("reports", __name__)


def _exported(round_id: int, format: str) -> tuple[RoundOverview, CaseHistory]:
    """Load the round's reconciliation for an export, and log who took it out and how."""
    round_ = round_or_abort(round_id)
    audit.record("case.export", round_.meeting.case_id, round_id=round_.id, format=format)
    history = CaseHistory(round_.meeting.case)
    return reconcile_round(round_, history), history


@bp.route("/rounds/<int:round_id>/report.pdf")
@case_work_required
def round_pdf(round_id: int):
    overview, history = _exported(round_id, "pdf")
    response = make_response(report_pdf(overview, history))
    response.headers["Content-Type"] = "application/pdf"
    # A file for the case system: saved, not just shown.
    response.headers["Content-Disposition"] = f'attachment; filename="samstem-rapport-{round_id}.pdf"'
    return response


@bp.route("/rounds/<int:round_id>/summary")
@case_work_required
def round_summary(round_id: int):
    overview, _history = _exported(round_id, "text")
    return render_template("reports/summary.html", overview=overview, text=summary_text(overview))
