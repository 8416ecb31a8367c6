"""Samstem: feedback from every voice around a child, gathered per case."""

from flask import Flask

from app import config as config_module


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application: configuration, extensions, instruments, blueprints, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
    )
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

    from app import (  # noqa: F401
        boundary,
        errors,
        extensions,
        i18n,
        indicators,
        instruments,
        labels,
        models,
        security,
    )

    extensions.db.init_app(app)
    boundary.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(config_module.ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.compress.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    instruments.init_app(app)
    indicators.init_app(app)

    from app.auth import views as auth
    from app.cases import views as cases
    from app.due import views as due
    from app.invitations import views as invitations
    from app.reconcile import views as reconcile
    from app.reconcile import wording
    from app.reports import views as reports
    from app.respond import views as respond
    from app.status import views as status

    auth.init_app(app)
    app.register_blueprint(cases.bp)
    app.register_blueprint(due.bp)
    app.register_blueprint(invitations.bp)
    app.register_blueprint(respond.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(status.bp)
    wording.init_app(app)
    from app.observations import public as observe
    from app.observations import views as observations
    from app.registrations import views as registrations

    app.register_blueprint(observations.bp)
    app.register_blueprint(observe.public)
    app.register_blueprint(registrations.bp)

    errors.init_app(app)
    security.init_app(app)
    from app import cli

    cli.init_app(app)
    return app
