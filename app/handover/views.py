"""Hand-over mode's pages: start it from a round, pick who answers, their form on the device, the
neutral screen with its unlock, and leaving the mode (DESIGN.md §2K, issue 18 item 2).

The participant's pages use the respondent layout: no staff navigation, no case data beyond what
a respondent's own page shows. Which participant is on the device is kept in the session
(app.handover.state), never in the address: back, reload and history find only the state now.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.auth import oidc, sessions
from app.auth.access import case_work_required, invitation_or_abort, round_or_abort
from app.auth.models import User
from app.extensions import db, limiter, login
from app.forms import whole_number
from app.handover import state
from app.handover.forms import (
    AnswerForm,
    DeclineForm,
    EndForm,
    PaperForm,
    PickForm,
    StartForm,
    UnlockForm,
)
from app.i18n import person_language
from app.instruments import answers_from_form, build_form_class
from app.invitations.models import Invitation
from app.respond import notices, pages
from app.respond import services as answering
from app.timestamps import local_today

bp = Blueprint("handover", __name__)

# The pages an idle session in the mode still reaches: the neutral screen and its unlock.
WHILE_IDLE = {"handover.returned", "handover.unlock", "handover.unlock_idp", "handover.unlock_idp_back"}


def _in_mode(view: Callable) -> Callable:
    """Let through a case worker in hand-over mode. An idle session in the mode is locked on the
    neutral screen, not sent to the login page and so back to the case (app.handover.state)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        found = state.current()
        if not current_user.is_authenticated:
            if found is None or sessions.ended_reason() != "idle" or sessions.past_max_hours():
                return login.unauthorized()
            state.lock()
            if request.endpoint not in WHILE_IDLE:
                return redirect(url_for("handover.returned"))
        elif not current_user.works_with_cases:
            abort(403)
        if found is None:
            return redirect(url_for("cases.index"))
        return view(*args, **kwargs)

    return wrapped


def _unlocked(view: Callable) -> Callable:
    """A page for the case worker's hands only: a locked device goes to the neutral screen."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if state.current()["locked"]:
            return redirect(url_for("handover.returned"))
        return view(*args, **kwargs)

    return _in_mode(wrapped)


def _waiting(invitation: Invitation) -> bool:
    return invitation.usable() and not invitation.current_responses


@bp.route("/rounds/<int:round_id>/handover", methods=["POST"])
@case_work_required
def start(round_id: int):
    """Start hand-over mode on this device from the round's hand-out page: with help, or from paper."""
    round_ = round_or_abort(round_id)
    form = StartForm()
    if not form.validate_on_submit() or not state.can_hand_over(round_):
        flash(_("Runden kan ikke udfyldes på denne enhed."), "error")
        return redirect(url_for("invitations.show", round_id=round_.id))
    state.start(round_.id, form.mode.data)
    audit.record("handover.started", round_.meeting.case_id, round_id=round_.id, mode=form.mode.data)
    return redirect(url_for("handover.pick"))


@bp.route("/handover")
@_unlocked
def pick():
    """Who answers next: one button per participant still to answer."""
    found = state.current()
    round_ = round_or_abort(found["round_id"])
    people = [(inv, _waiting(inv)) for inv in round_.invitations]
    return render_template("handover/pick.html", round=round_, people=people, paper=found["mode"] == state.PAPER,
                           open=state.can_hand_over(round_), pick_form=PickForm(), end_form=EndForm())


@bp.route("/handover/<int:invitation_id>", methods=["POST"])
@_unlocked
def hand_over(invitation_id: int):
    invitation = _participant(invitation_id)
    if PickForm().validate_on_submit() and _waiting(invitation) and state.can_hand_over(invitation.round):
        state.hand_over(invitation.id, person_language(invitation.person))
        return redirect(url_for("handover.answer"))
    return redirect(url_for("handover.pick"))


def _participant(invitation_id: int) -> Invitation:
    """One of the mode's round's invitations (the team's; the read audited); 404 for any other."""
    invitation = invitation_or_abort(invitation_id)
    if invitation.round_id != state.current()["round_id"]:
        abort(404)
    return invitation


def _on_device() -> Invitation | None:
    """The participant whose form is on the device, in the language they chose; None if nobody's is."""
    found = state.current()
    if found["invitation_id"] is None:
        return None
    invitation = _participant(found["invitation_id"])
    # A form sent twice is stored once (its submission id); a link revoked meanwhile takes no answer.
    fresh = _waiting(invitation) or (request.method == "POST" and invitation.usable())
    if not fresh or not state.can_hand_over(invitation.round):
        return None
    chosen = request.args.get("lang")
    if chosen in current_app.config["RESPONDENT_LANGUAGES"]:
        state.choose_language(chosen)
    g.lang = state.current()["lang"]
    return invitation


def _nobody_here():
    """Where to go when no participant's form is on the device."""
    state.done()
    locked = state.current()["locked"]
    return redirect(url_for("handover.returned" if locked else "handover.pick"))


@bp.route("/handover/form", methods=["GET", "POST"])
@_in_mode
def answer():
    """The participant's form, empty: nothing anyone answered before is ever filled in."""
    invitation = _on_device()
    if invitation is None:
        return _nobody_here()
    paper = state.current()["mode"] == state.PAPER
    instruments = answering.instruments_of(invitation)
    lang = g.lang
    base = PaperForm if paper else AnswerForm
    form_class = build_form_class(instruments, lang, base)
    form = form_class(held_on=invitation.round.meeting.held_on) if paper else form_class()
    if form.validate_on_submit():
        answers = {inst.id: answers_from_form(form, inst) for inst in instruments}
        given = answering.given_on_paper(form.dated.data) if paper else answering.GIVEN_WITH_HELP
        try:
            answering.submit(invitation, answers, lang, form.submission.data, given=given)
        except answering.RoundLocked:
            return _nobody_here()  # decided while the form was on the device: nothing was stored
        audit.record("handover.answered", invitation.round.meeting.case_id, invitation_id=invitation.id,
                     answered_with=given["answered_with"])
        return _nobody_here()
    return _participant_page("handover/form.html", invitation, form=form, paper=paper, instruments=instruments,
                             decline_form=DeclineForm(), today_iso=local_today().isoformat(),
                             held_on_iso=invitation.round.meeting.held_on.isoformat())


def _participant_page(template: str, invitation: Invitation, **context):
    """Render a participant's page as their own link would show it: the respondent layout."""
    case = invitation.round.meeting.case
    return pages.render_public(template, case, "", reader=notices.audience(invitation.person.role,
                                                                           case.child_age(date.today())),
                               invitation=invitation, about_child=invitation.person.role != "child", **context)


@bp.route("/handover/decline", methods=["POST"])
@_in_mode
def decline():
    """"Jeg vil ikke svare" on the device: a real answer, given with help."""
    invitation = _on_device()
    if invitation is None:
        return _nobody_here()
    if state.current()["mode"] != state.HELP or not DeclineForm().validate_on_submit():
        return redirect(url_for("handover.answer"))
    try:
        answering.decline(invitation, g.lang, DeclineForm().submission.data, given=answering.GIVEN_WITH_HELP)
    except answering.RoundLocked:
        return _nobody_here()
    audit.record("handover.declined", invitation.round.meeting.case_id, invitation_id=invitation.id)
    return _nobody_here()


@bp.route("/handover/tak")
@_in_mode
def returned():
    """The neutral screen: thanks, give the device back. It shows nothing of anyone's answers."""
    if not state.current()["locked"]:
        return redirect(url_for("handover.pick"))
    if state.current()["invitation_id"] is not None:
        # Someone left their form (typed another address): it ends; the device waits for the case worker.
        state.done()
    return _neutral(UnlockForm())


def _neutral(form: UnlockForm, status: int = 200):
    g.lang = state.current()["lang"]
    user = _session_user()
    return render_template("handover/returned.html", form=form,
                           by_password=current_app.config["PASSWORD_LOGIN"] and user is not None
                           and not user.from_idp,
                           by_idp=oidc.configured() and user is not None and user.from_idp), status


def _session_user() -> User | None:
    """The case worker whose session this is, also while it is idle (and so not logged in)."""
    if current_user.is_authenticated:
        return current_user
    user_id = whole_number(str(session.get("_user_id", "")), digits=9)
    return db.session.get(User, user_id) if user_id else None


def _unlock_account() -> str:
    return f"unlock:{session.get('_user_id')}"


@bp.route("/handover/unlock", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_unlock_account,
               deduct_when=lambda r: r.status_code != 302)
@_in_mode
def unlock():
    """The case worker's password opens the device again (also when the session went idle)."""
    if not state.current()["locked"]:
        return redirect(url_for("handover.pick"))
    form = UnlockForm()
    user = _session_user()
    if form.validate_on_submit():
        if user is not None and user.active and not user.from_idp and user.check_password(form.password.data):
            _unlocked_by(user)
            return redirect(url_for("handover.pick"))
        audit.record("login.failed", user=user.id if user else None, method="handover")
        form.password.errors.append(_("Adgangskoden passer ikke."))
    return _neutral(form)


def _unlocked_by(user: User) -> None:
    """The case worker proved who they are: the device is theirs again, and an idle session goes on."""
    if not current_user.is_authenticated:
        sessions.keep()
    state.unlock()
    audit.record("handover.unlocked", user=user.id)


@bp.route("/handover/unlock/idp")
@limiter.limit("10 per minute")
@_in_mode
def unlock_idp():
    """A case worker who logs in at the identity provider unlocks by logging in there again, afresh."""
    user = _session_user()
    if not state.current()["locked"] or not oidc.configured() or user is None or not user.from_idp:
        return redirect(url_for("handover.returned"))
    try:
        return oidc.start("handover.unlock_idp_back", fresh=True)
    except oidc.TokenRefused as error:
        current_app.logger.warning("OpenID Connect unlock could not start: %s", error)
        return _neutral(UnlockForm(formdata=None), 503)


@bp.route("/handover/unlock/idp/back")
@limiter.limit("10 per minute")
@_in_mode
def unlock_idp_back():
    """Back from the identity provider: unlocked only if the same case worker logged in there."""
    user = _session_user()
    if not state.current()["locked"] or not oidc.configured() or user is None or not user.from_idp:
        return redirect(url_for("handover.returned"))
    try:
        claims = oidc.finish()
    except oidc.TokenRefused as error:
        current_app.logger.warning("OpenID Connect unlock refused: %s", error)
        audit.record("login.failed", user=user.id, method="handover-oidc", reason="token")
        return redirect(url_for("handover.returned"))
    subject = str(claims.get(current_app.config["OIDC_USER_CLAIM"]) or "").strip()[:255]
    if not user.active or subject != user.oidc_subject:
        audit.record("login.failed", user=user.id, method="handover-oidc", reason="someone else")
        return redirect(url_for("handover.returned"))
    _unlocked_by(user)
    return redirect(url_for("handover.pick"))


@bp.route("/handover/end", methods=["POST"])
@_unlocked
def end():
    """Leave hand-over mode: the device is the case worker's again, back on the round's page."""
    round_id = state.current()["round_id"]
    if not EndForm().validate_on_submit():
        return redirect(url_for("handover.pick"))
    state.end()
    return redirect(url_for("invitations.show", round_id=round_id))
