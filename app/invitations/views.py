"""Staff pages for feedback rounds: propose, confirm, hand out, follow, make a new link, revoke.

The QR codes and sheets show each link as it is kept sealed (app/invitations/issued.py), in any
staff browser with access to the case; no link is ever kept in the session cookie.
"""

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import audit
from app.auth.access import (
    case_work_required,
    invitation_or_abort,
    meeting_or_abort,
    round_or_abort,
)
from app.extensions import db
from app.forms import confirmed, whole_number
from app.handover.forms import StartForm
from app.handover.state import can_hand_over
from app.i18n import current_language
from app.instruments import current_catalogue
from app.invitations import issued, services
from app.invitations.forms import field_name, proposal_form_class
from app.invitations.handout import handout_pdf
from app.invitations.links import HandOut, hand_outs
from app.invitations.models import Invitation, Round
from app.reconcile.history import CaseHistory
from app.reconcile.pages import load_case, shown_with
from app.reconcile.reconciliation import reconcile_round
from app.settings import services as settings
from app.status.sending import latest_messages

bp = Blueprint("invitations", __name__)


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@case_work_required
def propose(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    catalogue = current_catalogue()
    form = proposal_form_class(meeting, catalogue, current_language())()
    if not form.is_submitted():
        for person_id, instruments in services.proposal(meeting, catalogue).items():
            form[field_name(person_id)].data = [i.id for i in instruments]
    if form.validate_on_submit():
        choices = {p.id: form[field_name(p.id)].data or [] for p in meeting.participants}
        try:
            round_, _tokens = services.open_round(meeting, current_user, choices)
        except services.RoundError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            return redirect(url_for("invitations.screen", round_id=round_.id))
    return render_template("invitations/propose.html", meeting=meeting, form=form, field_name=field_name)


@bp.route("/rounds/<int:round_id>")
@case_work_required
def show(round_id: int):
    round_ = round_or_abort(round_id)
    history = CaseHistory(load_case(round_.meeting.case))
    overview = reconcile_round(round_, history)
    return render_template(
        "invitations/round.html",
        overview=overview,
        messages={} if round_.is_locked else latest_messages(round_),
        **_handover_start(round_),
        **shown_with([overview], history),
    )


@bp.route("/rounds/<int:round_id>/screen")
@case_work_required
def screen(round_id: int):
    round_ = round_or_abort(round_id)
    items = _hand_outs(round_)
    if not items:
        return _missing(round_)
    if request.args.get("view") == "grid":
        return render_template("invitations/screen_grid.html", round=round_, hand_outs=items, **_handover_start(round_))
    position = request.args.get("n", "0")
    index = whole_number(position, digits=6) or 0
    index = min(index, len(items) - 1)
    return render_template(
        "invitations/screen_one.html", round=round_, hand_out=items[index], index=index, total=len(items),
        **_handover_start(round_),
    )


def _missing(round_: Round):
    """The page saying there is no link to show, and why; it offers new links for those made before sealing."""
    lost = [inv for inv in _open_invitations(round_) if issued.why_not(inv) == "lost"]
    return render_template("invitations/screen_missing.html", round=round_, lost=len(lost), **_handover_start(round_))


def _handover_start(round_: Round) -> dict:
    """The buttons that start hand-over mode on this device (app/handover), for a round that has it."""
    return {"handover_start_form": StartForm()} if can_hand_over(round_) else {}


def _open_invitations(round_: Round) -> list[Invitation]:
    """Return the invitations whose link can still be handed out."""
    return [inv for inv in round_.invitations if inv.usable() and not inv.current_responses]


def _hand_outs(round_: Round) -> list[HandOut]:
    """Return the hand-outs of the links still sealed (handed out, unopened); the read of each is audited."""
    items = hand_outs(_open_invitations(round_), issued.tokens_of(round_.invitations))
    audit.read(round_.meeting.case_id, round_id=round_.id, links_shown=[item.invitation.id for item in items])
    return items


@bp.route("/rounds/<int:round_id>/handout.pdf")
@case_work_required
def handout(round_id: int):
    round_ = round_or_abort(round_id)
    items = _hand_outs(round_)
    if not items:
        return _missing(round_)
    pdf = handout_pdf(items, settings.get("organisation_name"))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="samstem-runde-{round_.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/rounds/<int:round_id>/reissue", methods=["GET", "POST"])
@case_work_required
def reissue_unused(round_id: int):
    """New links for those whose link cannot be shown (made before links were sealed); asks first."""
    round_ = round_or_abort(round_id)
    back = url_for("invitations.screen", round_id=round_.id)
    if round_.is_locked:
        flash(_("Runden er afsluttet. Der kan ikke laves nye links."), "error")
        return redirect(url_for("invitations.show", round_id=round_.id))
    lost = [inv for inv in _open_invitations(round_) if issued.why_not(inv) == "lost"]
    if not lost:
        flash(_("Alle links, der kan bruges, kan vises. Der er ikke lavet nye links."), "info")
        return redirect(back)
    if not confirmed():
        return render_template(
            "confirm.html",
            question=ngettext("Vil du lave et nyt link til %(num)s person?",
                              "Vil du lave nye links til %(num)s personer?", len(lost)),
            consequence=_("Deres gamle links holder så op med at virke, også på printede ark og i sendte beskeder."),
            action=url_for("invitations.reissue_unused", round_id=round_.id),
            confirm_label=_("Ja, lav nye links"), cancel_url=url_for("invitations.show", round_id=round_.id),
            cancel_label=_("Nej, lad være"),
        )
    for invitation in lost:
        services.reissue(invitation)
    flash(ngettext("Der er lavet et nyt link til %(num)s person. Det gamle link virker ikke længere.",
                   "Der er lavet nye links til %(num)s personer. De gamle links virker ikke længere.", len(lost)), "info")
    return redirect(back)


@bp.route("/invitations/<int:invitation_id>/reissue", methods=["GET", "POST"])
@case_work_required
def reissue(invitation_id: int):
    """"Lav et nyt link": asks once, warning that the old link stops working, then makes it."""
    invitation = invitation_or_abort(invitation_id)
    name = invitation.person.first_name
    back = url_for("invitations.show", round_id=invitation.round_id)
    if invitation.round.is_locked:
        flash(_("Runden er afsluttet. Der kan ikke laves nye links."), "error")
        return redirect(back)
    if not confirmed():
        return render_template(
            "confirm.html",
            question=_("Vil du lave et nyt link til %(name)s?", name=name),
            consequence=_("Det gamle link holder så op med at virke, også hvis det er printet, vist som QR-kode "
                          "eller sendt i en besked. %(name)s skal så have det nye link.", name=name),
            action=url_for("invitations.reissue", invitation_id=invitation.id),
            confirm_label=_("Ja, lav et nyt link"), cancel_url=back, cancel_label=_("Nej, behold det gamle link"),
        )
    services.reissue(invitation)
    flash(_("%(name)s har fået et nyt link. Det gamle virker ikke længere.", name=name), "info")
    return redirect(back)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@case_work_required
def revoke(invitation_id: int):
    """Ask once, then revoke: the link works until the case worker has said yes."""
    invitation = invitation_or_abort(invitation_id)
    name = invitation.person.first_name
    back = url_for("invitations.show", round_id=invitation.round_id)
    if invitation.revoked_at is None and not confirmed():
        return render_template(
            "confirm.html",
            question=_("Vil du tilbagekalde linket til %(name)s?", name=name),
            consequence=_("Så virker linket ikke længere. Du kan lave et nyt link bagefter."),
            action=url_for("invitations.revoke", invitation_id=invitation.id),
            confirm_label=_("Ja, tilbagekald linket"),
            cancel_url=back,
            cancel_label=_("Nej, behold linket"),
        )
    if invitation.revoked_at is None:
        services.revoke(invitation)
    flash(_("Linket til %(name)s er tilbagekaldt.", name=name), "info")
    return redirect(back)
