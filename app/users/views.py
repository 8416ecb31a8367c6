"""The administrator's pages for staff accounts: the list, a new account, one account (its name,
e-mail, roles and team, a new password, closing it, handing its cases over) and the access review."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import admin_required
from app.forms import confirmed
from app.labels import STAFF_ROLE_LABELS
from app.users import services
from app.users.forms import HandOverForm, NewUserForm, PasswordForm, UserForm
from app.users.services import Refused

bp = Blueprint("users", __name__, url_prefix="/admin")


def _with_teams(form: UserForm) -> UserForm:
    form.team.choices = [SelectChoice("", _("Intet team"))] + [
        SelectChoice(str(team.id), team.name) for team in services.all_teams()]
    return form


def _team_id(form: UserForm) -> int | None:
    return int(form.team.data) if form.team.data else None


def _refused(form, refused: Refused) -> None:
    """Show the refusal at its field, or above the form."""
    if refused.field and refused.field in form:
        form[refused.field].errors = [*form[refused.field].errors, refused.message]
    else:
        flash(refused.message, "error")


@bp.route("/users")
@admin_required
def index():
    return render_template("users/index.html", users=services.all_users(), role_labels=STAFF_ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = _with_teams(NewUserForm())
    if form.validate_on_submit():
        try:
            user = services.create(form.username.data, form.name.data.strip(), form.email.data, set(form.roles.data),
                                   _team_id(form), form.password.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("%(name)s er oprettet.", name=user.name), "info")
            return redirect(url_for("users.edit_user", user_id=user.id))
    return render_template("users/new.html", form=form), 400 if form.errors else 200


def _user_or_404(user_id: int):
    user = services.user_or_none(user_id)
    if user is None:
        abort(404)
    return user


def _edit_page(user, form=None, password=None, hand_over=None, status: int = 200):
    if form is None:
        form = _with_teams(UserForm(obj=user, roles=sorted(user.roles), team=str(user.team_id or "")))
    if user.from_idp:
        # Name and e-mail belong to the municipality's login: shown, not edited here.
        form.name.data, form.email.data = user.name, user.email
        form.name.render_kw = form.email.render_kw = {"readonly": True}
    hand_over = hand_over or HandOverForm()
    hand_over.colleague.choices = [SelectChoice(c.id, f"{c.name} ({c.username})") for c in services.colleagues(user)]
    return render_template("users/edit.html", user=user, form=form, password=password or PasswordForm(),
                           hand_over=hand_over, cases=services.cases_of(user)), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = _with_teams(UserForm())
    if not form.is_submitted():
        return _edit_page(user)
    if user.from_idp:
        form.name.data, form.email.data = user.name, user.email  # what was posted for them is ignored
    if form.validate():
        try:
            services.change(user, form.name.data.strip(), form.email.data, set(form.roles.data), _team_id(form))
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Ændringerne er gemt."), "info")
            return redirect(url_for("users.edit_user", user_id=user.id))
    return _edit_page(user, form=form, status=400)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        return _edit_page(user, password=form, status=400)
    services.reset_password(user, form.password.data)
    flash(_("%(name)s har fået en ny adgangskode og er logget ud alle steder.", name=user.name), "info")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/totp-reset", methods=["POST"])
@admin_required
def reset_totp(user_id: int):
    user = _user_or_404(user_id)
    if not confirmed():
        return render_template(
            "confirm.html", question=_("Vil du nulstille to-trins-login for %(name)s?", name=user.name),
            consequence=_("Koderne fra deres app virker ikke længere. De sætter to-trins-login op igen med en ny "
                          "telefon."),
            action=url_for("users.reset_totp", user_id=user.id), confirm_label=_("Ja, nulstil"),
            cancel_url=url_for("users.edit_user", user_id=user.id), cancel_label=_("Nej, behold det"))
    if services.reset_totp(user):
        flash(_("To-trins-login for %(name)s er nulstillet. De sætter det op igen, næste gang de logger ind med "
                "adgangskode, hvis organisationen kræver det, eller fra Min konto.", name=user.name), "info")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate(user_id: int):
    user = _user_or_404(user_id)
    back = url_for("users.edit_user", user_id=user.id)
    if user.active and not confirmed():
        return render_template(
            "confirm.html", question=_("Vil du lukke kontoen for %(name)s?", name=user.name),
            consequence=_("Medarbejderen bliver logget ud med det samme og kan ikke logge ind igen."),
            action=url_for("users.deactivate", user_id=user.id), confirm_label=_("Ja, luk kontoen"),
            cancel_url=back, cancel_label=_("Nej, behold kontoen"))
    try:
        services.deactivate(user, current_user)
    except Refused as refused:
        flash(refused.message, "error")
        return _edit_page(user, status=400)
    flash(_("%(name)s kan ikke længere logge ind. Det, de har gjort, står stadig i sagerne.", name=user.name), "info")
    return redirect(back)


@bp.route("/users/<int:user_id>/hand-over", methods=["POST"])
@admin_required
def hand_over(user_id: int):
    user = _user_or_404(user_id)
    form = HandOverForm()
    form.colleague.choices = [SelectChoice(c.id, c.name) for c in services.colleagues(user)]
    if form.validate_on_submit():
        try:
            moved = services.hand_over(user, form.colleague.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(ngettext("%(num)d sag er givet videre.", "%(num)d sager er givet videre.", moved), "info")
            return redirect(url_for("users.edit_user", user_id=user.id))
    return _edit_page(user, hand_over=form, status=400)


@bp.route("/access")
@admin_required
def access_review():
    return render_template("users/access_review.html", rows=services.access_review(),
                           stand_ins=services.stand_ins_in_force(),
                           unused_days=services.UNUSED_AFTER.days, role_labels=STAFF_ROLE_LABELS)
