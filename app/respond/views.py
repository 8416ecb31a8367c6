"""The public respondent pages, reached by a personal token. No login, no staff data."""

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter
from wtforms import StringField
from wtforms.validators import Length

from app.extensions import csrf
from app.forms import PublicForm, RespondentForm
from app.i18n import current_language
from app.instruments import answers_from_form, build_form_class, form_data_from_answers
from app.invitations.kinds import round_kind
from app.respond import notices, pages, services
from app.respond.pages import (
    RoundClosed,
    choose_language,
    load_invitation,
    render_page,
    thank,
    token_failures,
)
from app.tokens import from_short, short_form, token_from_code


class ShortLink(BaseConverter):
    """A token in its short form (app.tokens.short_form): the view gets the token itself.

    Text that is not a canonical short form goes to the view as it is, where it opens nothing and
    counts as a dead link like any other.
    """

    regex = r"[A-Za-z0-9_-]{22}"

    def to_python(self, value: str) -> str:
        return from_short(value) or value

    def to_url(self, value: str) -> str:
        return short_form(value)


bp = Blueprint("respond", __name__)
# Before the routes: a rule can only use a converter the app already knows.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("short", ShortLink))
# The respondent's form keeps what was typed when its CSRF check fails; a global
# CSRF error page would throw the answers away.
csrf.exempt(bp)


class DeclineForm(RespondentForm):
    """Declining is one button; its hidden fields make it one submission, like an answer."""


# A typed code is 27 characters in groups of four (app.tokens.typed_code); room for spaces.
CODE_LIMIT = 60


class CodeForm(PublicForm):
    # Length also gives the page its maxlength (WTForms' field flag).
    code = StringField(validators=[Length(max=CODE_LIMIT, message=_l("Koden er for lang. Skriv højst %(max)d tegn."))])


@bp.errorhandler(RoundClosed)
def round_closed(error: RoundClosed):
    return render_page("respond/closed.html", error.invitation, error.token)


@bp.errorhandler(services.RoundLocked)
def round_locked(error: services.RoundLocked):
    # Locked while the answer was on its way: nothing was stored, and the page says so.
    return render_page("respond/closed.html", error.invitation, request.view_args["token"])


# A link sent by SMS: at most 24 characters after the host (issue 18 item 4), the same page.
@bp.route("/<short:token>", endpoint="short")
@bp.route("/r/<token>")
@token_failures
def start(token: str):
    invitation = load_invitation(token)
    services.mark_opened(invitation)
    return render_page("respond/intro.html", invitation, token, decline_form=DeclineForm())


@bp.route("/r/<token>/form", methods=["GET", "POST"])
@token_failures
def answer(token: str):
    invitation = load_invitation(token)
    own_page = pages.form_page(invitation.round.kind)
    if own_page is not None:
        return own_page(invitation, token)
    lang = current_language()
    instruments = services.instruments_of(invitation)
    form_class = build_form_class(instruments, lang, RespondentForm)
    if request.method == "GET":
        previous = {r.instrument_id: r for r in invitation.current_responses if not r.declined}
        data = {
            inst.id: form_data_from_answers(inst, previous[inst.id].answers)
            for inst in instruments
            if inst.id in previous
        }
        form = form_class(data=data)
        services.mark_opened(invitation)
    else:
        form = form_class()
        if form.validate():
            answers = {inst.id: answers_from_form(form, inst) for inst in instruments}
            services.submit(invitation, answers, lang, form.submission.data)
            return thank(token)
    return render_page("respond/form.html", invitation, token, form=form, decline_form=DeclineForm())


@bp.route("/r/<token>/decline", methods=["POST"])
@token_failures
def decline(token: str):
    invitation = load_invitation(token)
    form = DeclineForm()
    if not form.validate():
        return render_page("respond/intro.html", invitation, token, decline_form=form)
    services.decline(invitation, current_language(), form.submission.data)
    return thank(token)


@bp.route("/r/<token>/thanks")
@token_failures
def thanks(token: str):
    invitation = load_invitation(token)
    declined = any(r.declined for r in invitation.current_responses)
    kind = round_kind(invitation.round.kind)
    extra = kind.thanks_context(invitation) if kind.thanks_context else {}
    return render_page("respond/thanks.html", invitation, token, declined=declined, **extra)


@bp.route("/code", methods=["GET", "POST"])
@token_failures
def enter_code():
    choose_language(None)
    form = CodeForm()
    if form.validate_on_submit():
        token = token_from_code(form.code.data or "")
        if token is None:
            form.code.errors.append(_("Koden passer ikke. Tjek, at du har skrevet den rigtigt."))
            return render_template("respond/code.html", form=form), 200
        if services.find_invitation(token) is None:
            abort(404)
        return redirect(url_for("respond.start", token=token))
    return render_template("respond/code.html", form=form)


# The organisation's privacy notice and accessibility statement: public, no token, linked from the
# foot of every respondent page, in the reader's language (DESIGN.md §3, issue 11 item 2).
@bp.route("/privatliv")
def privacy():
    choose_language(None)
    facts = {name: notices.fact(name) for name in ("controller_contact", "dpo_contact", "retention")}
    return render_template("respond/privacy.html", organisation=services.organisation(), facts=facts,
                           legal_basis=notices.legal_basis(), used_for=notices.text("privacy.used_for"))


@bp.route("/tilgaengelighed")
def accessibility():
    choose_language(None)
    return render_template("respond/accessibility.html", organisation=services.organisation(),
                           statement=notices.fact("accessibility_url"), about=notices.text("accessibility.about"))
