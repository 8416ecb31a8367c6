"""The case report of a round: PDF for the case file, plain text for the case system."""

from flask import Blueprint, make_response, render_template

from app import audit
from app.auth.access import case_work_required
from app.extensions import db
from app.invitations.views import round_or_abort
from app.reconcile.reconciliation import reconcile_round
from app.reports.report import report_pdf, summary_text

bp = Blueprint("reports", __name__)


@bp.route("/rounds/<int:round_id>/report.pdf")
@case_work_required
def round_pdf(round_id: int):
    round_ = round_or_abort(round_id)
    audit.record("case.export", round_.meeting.case_id, round_id=round_.id, format="pdf")
    db.session.commit()
    response = make_response(report_pdf(reconcile_round(round_)))
    response.headers["Content-Type"] = "application/pdf"
    # A file for the case system: saved, not just shown.
    response.headers["Content-Disposition"] = f'attachment; filename="samstem-rapport-{round_.id}.pdf"'
    return response


@bp.route("/rounds/<int:round_id>/summary")
@case_work_required
def round_summary(round_id: int):
    round_ = round_or_abort(round_id)
    audit.record("case.export", round_.meeting.case_id, round_id=round_.id, format="text")
    db.session.commit()
    overview = reconcile_round(round_)
    return render_template("reports/summary.html", overview=overview, text=summary_text(overview))
