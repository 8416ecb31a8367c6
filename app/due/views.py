"""The due list page: what a case worker must do, soonest first."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import raiseload, selectinload

from app.auth.access import case_work_required, get_by_id, listed, stood_in_for
from app.auth.models import User
from app.cases import services as cases
from app.cases.closure import IS_CLOSED
from app.cases.models import Case
from app.due.items import HORIZON, due_items
from app.extensions import db
from app.forms import whole_number
from app.reconcile.filing import HAS_DECISIONS_TO_FILE
from app.timestamps import local_today

bp = Blueprint("due", __name__)


def _caseworker() -> User:
    """Return whose list to show: ?caseworker=<id> from the user's own team, else the user."""
    raw = request.args.get("caseworker", "")
    if not raw:
        return current_user
    number = whole_number(raw)
    found = get_by_id(User, number) if number is not None else None
    if found is None or found.team_id != current_user.team_id:
        abort(404)
    return found


@bp.route("/due")
@case_work_required
def index():
    caseworker = _caseworker()
    # The user's own list also holds the cases of those they stand in for today (issue 13).
    standing_in = stood_in_for(current_user) if caseworker.id == current_user.id else {}
    query = (
        cases.visible_cases(current_user)
        # A closed case is off the list, but for its decisions still to be filed (issue 12 items 14-15).
        .where(Case.caseworker_id.in_([caseworker.id, *standing_in]), or_(~IS_CLOSED, HAS_DECISIONS_TO_FILE))
        .add_columns(IS_CLOSED.label("closed"))
        # The collectors' loaders read the rest for every case at once; nothing more may load
        # case by case (raiseload makes a slip fail loudly instead of growing the list's cost).
        .options(selectinload(Case.people), raiseload("*"))
    )
    today = local_today()
    found = db.session.execute(query).all()
    items = due_items([case for case, _closed in found], today, {case.id for case, closed in found if closed})
    listed(list({item.case.id: item.case for item in items}.values()), "due")
    team = cases.team_case_workers(current_user.team_id)
    return render_template(
        "due/index.html",
        items=items,
        caseworker=caseworker,
        standing_in=standing_in,
        team=team,
        today=today,
        horizon_days=HORIZON.days,
    )
