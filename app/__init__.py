"""Samstem: feedback from every voice around a child, gathered per case.

How the code is layered; imports point down this list only (tests/test_layers.py checks it):
  1. foundations: config, extensions, timestamps, tokens, sealing, labels, i18n, security, logmask, static_files, pdf,
     forms, append_only, privacy (the words the models describe their columns with)
  2. models: <area>/models.py and audit.py: tables and the invariants they keep
  3. the instrument engine, instruments/: reads forms/, builds and scores forms; it knows no area
  4. services: each area's services, pure rules and page sections; auth/access.py (the
     loaders that check the team and audit the read); respond/pages.py (what public pages share)
  5. views: <area>/views.py (and <area>/<noun>_views.py), staff pages behind a login; respond/views.py and
     <area>/public.py, the public pages reached by a token. A view imports no other view.
boundary.py commits once per request; create_app below only wires the layers together.
"""

from importlib import import_module

from flask import Flask

from app import config as config_module
from app import sealing


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application: configuration, extensions, forms and registries, blueprints,
    error handlers, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
    )
    _configure(app, config)
    _init_extensions(app)
    _init_registries(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    _init_errors_and_cli(app)
    return app


def _configure(app: Flask, config: type | dict | None) -> None:
    app.config.from_object(config_module.Config)
    app.config.from_pyfile("settings.py", silent=True)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{app.instance_path}/samstem.sqlite"
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: export it, or put it in instance/settings.py")
    app.config["LINK_KEYS"] = sealing.check_keys(app.config.get("LINK_KEYS"))


def _init_extensions(app: Flask) -> None:
    from app import (  # noqa: F401  (models: the schema)
        boundary,
        extensions,
        i18n,
        labels,
        logmask,
        models,
        security,
        static_files,
    )
    from app.auth import login_manager
    from app.operations import metrics, request_log
    from app.reconcile import wording

    request_log.init_app(app)  # first: its request id is there for the others, its line written last
    metrics.init_app(app)  # next: it times all the rest
    extensions.db.init_app(app)
    boundary.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(config_module.ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.compress.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    wording.init_app(app)
    security.init_app(app)
    logmask.init_app(app)
    static_files.init_app(app)


# Modules that add entries to a registry when imported: the kinds of round (feedback's is in
# app.invitations.kinds), the public form pages of round kinds, the case page's sections, and
# the due list's collectors.
REGISTERING_MODULES = (
    "app.status.kinds", "app.indicators.kinds",
    "app.status.public", "app.indicators.public",
    "app.cases.section", "app.indicators.section", "app.status.section", "app.reconcile.section",
    "app.observations.section", "app.registrations.section", "app.measures.section",
    "app.due.collectors",
)


def _init_registries(app: Flask) -> None:
    """Load the forms; import the modules that register kinds of round, form pages, sections, collectors."""
    from app import indicators, instruments, measures
    from app.invitations import kinds

    instruments.init_app(app)
    indicators.init_app(app)
    measures.init_app(app)
    for module in REGISTERING_MODULES:
        import_module(module)
    kinds.init_app(app)


def _blueprints() -> list:
    """Every blueprint, staff areas first, then the public pages reached by a token, then the
    load balancer's probes."""
    from app.account.views import bp as account
    from app.attainment.views import bp as attainment
    from app.audit_log.views import bp as audit_log
    from app.auth.views import bp as auth
    from app.cases.views import bp as cases
    from app.due.views import bp as due
    from app.figures.extract_views import bp as figures_extract
    from app.figures.views import bp as figures
    from app.imports.views import bp as imports
    from app.indicators.views import bp as indicators
    from app.invitations.views import bp as invitations
    from app.measures.views import bp as measures
    from app.observations.public import public as observe
    from app.observations.views import bp as observations
    from app.operations.views import bp as operations
    from app.reconcile.views import bp as reconcile
    from app.registrations.views import bp as registrations
    from app.reports.views import bp as reports
    from app.respond.views import bp as respond
    from app.settings.views import bp as settings
    from app.stand_ins.views import bp as stand_ins
    from app.status.views import bp as status
    from app.teams.views import bp as teams
    from app.users.views import bp as users

    return [auth, cases, due, invitations, reconcile, reports, status, indicators, observations, registrations,
            attainment, measures, users, teams, imports, stand_ins, account, audit_log, settings, figures,
            figures_extract, respond, observe, operations]


def _init_errors_and_cli(app: Flask) -> None:
    from app import cli, errors

    errors.init_app(app)
    cli.init_app(app)
