"""Configuration classes, read from the environment."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str | None:
    """Return DATABASE_URL with the psycopg 3 driver named, or None for SQLite."""
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _flag(name: str) -> bool:
    """Read an on/off setting: 1, true, yes or on turn it on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The keys respondents' links are sealed with (app/sealing.py), newest first, separated by
    # commas; kept apart from the database and SECRET_KEY. Required: create_app refuses to start without.
    LINK_KEYS = os.environ.get("SAMSTEM_LINK_KEY")
    # None means SQLite in the instance folder; create_app fills in the path.
    SQLALCHEMY_DATABASE_URI = _database_url()
    # hide_parameters: an error message never carries the values of a statement (answers, names).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    ORGANISATION_NAME = os.environ.get("SAMSTEM_ORGANISATION", "Samstem Kommune")
    # The organisation's name in an SMS, where the full name would not fit one message
    # (app/invitations/messages.py); at most 25 characters, and without words such as "børn".
    ORGANISATION_SHORT_NAME = os.environ.get("SAMSTEM_ORGANISATION_SHORT")
    # Where respondents' links point; set it when the app runs behind a proxy.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # What the privacy notice (/privatliv) and the accessibility page (/tilgaengelighed) fill in;
    # unset, the pages show a placeholder naming the setting (app/respond/notices.py).
    CONTROLLER_CONTACT = os.environ.get("SAMSTEM_CONTROLLER_CONTACT")
    DPO_CONTACT = os.environ.get("SAMSTEM_DPO_CONTACT")
    PRIVACY_RETENTION = os.environ.get("SAMSTEM_PRIVACY_RETENTION")
    PRIVACY_LEGAL_BASIS = os.environ.get("SAMSTEM_PRIVACY_LEGAL_BASIS")
    ACCESSIBILITY_URL = os.environ.get("SAMSTEM_ACCESSIBILITY_URL")
    # The organisation's page on making a notification of concern (underretning); unset, the
    # observation page points to borger.dk.
    NOTIFICATION_URL = os.environ.get("SAMSTEM_NOTIFICATION_URL")

    LANGUAGES = ["da", "en"]
    # What a respondent may read (issue 18 item 1): every form file, the validation messages and
    # the texts an organisation edits exist in each; staff pages stay in LANGUAGES.
    RESPONDENT_LANGUAGES = ["da", "en", "ar", "uk"]
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    INSTRUMENTS_DIR = ROOT / "forms"

    PASSWORD_HASH_METHOD = "scrypt"
    TOKEN_DAYS = int(os.environ.get("SAMSTEM_TOKEN_DAYS", "14"))
    # Days after a link was first sent until `flask outbox send` sends the same link once more to
    # those who have not opened it; 0 sends no reminders by itself.
    REMINDER_DAYS = int(os.environ.get("SAMSTEM_REMINDER_DAYS", "3"))
    PROPOSAL_MAX_FORMS = 2
    # Failed token look-ups per client address before it must wait.
    TOKEN_FAILURE_LIMIT = os.environ.get("SAMSTEM_TOKEN_FAILURE_LIMIT", "20 per 10 minutes")
    # ... and from all addresses together (a guess spread over many addresses).
    TOKEN_FAILURE_GLOBAL_LIMIT = os.environ.get("SAMSTEM_TOKEN_FAILURE_GLOBAL_LIMIT", "2000 per 10 minutes")
    # How many proxies (load balancers) stand in front of Samstem and set X-Forwarded-*.
    PROXY_HOPS = int(os.environ.get("SAMSTEM_PROXY_HOPS", "0"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False

    # The outbox (flask outbox send). Without MAIL_SERVER, e-mail is written to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")  # STARTTLS
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_FROM = os.environ.get("MAIL_FROM")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    # "log", or "package.module:ClassName" constructed with the app config.
    SMS_SENDER = os.environ.get("SMS_SENDER", "log")
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))

    # The retention purge (`flask purge`, app/retention): days after a case closes before its
    # answers, free texts and people's names and contact details are removed, and days an audit
    # entry keeps its personal details. Unset, `flask purge` refuses to run. Administration
    # moves them to the browser later.
    RETENTION_DAYS = os.environ.get("SAMSTEM_RETENTION_DAYS")
    AUDIT_RETENTION_DAYS = os.environ.get("SAMSTEM_AUDIT_RETENTION_DAYS")
    # The figures' rules (FIGURES.md "Disclosure rules"): the fewest children a count and a mean
    # rest on (never below 3), rounding counts to 5, pilot mode, and the leadership's target share
    # of network placements (percent, or unset). The settings page (app/settings) overrides them.
    MIN_GROUP_COUNT = int(os.environ.get("SAMSTEM_MIN_GROUP_COUNT", "5"))
    MIN_GROUP_MEAN = int(os.environ.get("SAMSTEM_MIN_GROUP_MEAN", "10"))
    ROUND_TO_FIVE = os.environ.get("SAMSTEM_ROUND_TO_FIVE", "") == "1"
    PILOT_MODE = os.environ.get("SAMSTEM_PILOT_MODE", "") == "1"
    TARGET_NETWORK_SHARE = os.environ.get("SAMSTEM_TARGET_NETWORK_SHARE")
    # The most answer rows one analyst's extract holds (app.figures.extract); more asks for a shorter period.
    EXTRACT_ROW_LIMIT = int(os.environ.get("SAMSTEM_EXTRACT_ROW_LIMIT", "30000"))
    # Whether a case's background records the child's gender (issue 14 item 1); off unless the organisation wants it.
    RECORD_GENDER = os.environ.get("SAMSTEM_RECORD_GENDER", "") == "1"
    # Seconds a process keeps the settings read from the database (app.settings.services).
    SETTINGS_CACHE_SECONDS = int(os.environ.get("SAMSTEM_SETTINGS_CACHE_SECONDS", "30"))

    # A respondent may take a long time over a form; the token is the real key.
    WTF_CSRF_TIME_LIMIT = None
    # A staff session ends after this long unused, and this long after login (app.auth.sessions).
    SESSION_IDLE_MINUTES = int(os.environ.get("SAMSTEM_SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SAMSTEM_SESSION_MAX_HOURS", "12"))
    # Failed logins per user name (known or not) before that name must wait.
    LOGIN_FAILURE_LIMIT = os.environ.get("SAMSTEM_LOGIN_FAILURE_LIMIT", "5 per 15 minutes")
    # Login through the organisation's identity provider (OpenID Connect, app/auth/oidc.py); unset
    # issuer: no such login. The user claim finds the user; the group map (JSON) gives an unknown
    # user of a mapped group a role and a team, e.g. {"samstem-nord": {"role": "caseworker", "team": "Team Nord"}}.
    OIDC_ISSUER = os.environ.get("SAMSTEM_OIDC_ISSUER")
    OIDC_CLIENT_ID = os.environ.get("SAMSTEM_OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("SAMSTEM_OIDC_CLIENT_SECRET")
    OIDC_USER_CLAIM = os.environ.get("SAMSTEM_OIDC_USER_CLAIM", "sub")
    OIDC_GROUPS_CLAIM = os.environ.get("SAMSTEM_OIDC_GROUPS_CLAIM", "groups")
    OIDC_GROUP_MAP = os.environ.get("SAMSTEM_OIDC_GROUP_MAP")
    # 0 switches password login off (then only the identity provider logs in).
    PASSWORD_LOGIN = os.environ.get("SAMSTEM_PASSWORD_LOGIN", "1").strip().lower() not in ("0", "false", "no", "off")
    # 1: every password login asks for a one-time code from an authenticator app (app/auth/totp.py).
    REQUIRE_TOTP = _flag("SAMSTEM_REQUIRE_TOTP")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SAMSTEM_INSECURE_COOKIES") != "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAX_CONTENT_LENGTH = 256 * 1024
    # An administrator's import file from the case system (app/imports): its largest size in bytes
    # (the import page's requests may be this much larger than others) and most rows.
    IMPORT_MAX_BYTES = int(os.environ.get("SAMSTEM_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("SAMSTEM_IMPORT_MAX_ROWS", "5000"))

    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"]
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["zstd", "br", "gzip", "deflate"]
    COMPRESS_MIN_SIZE = 200


class DevelopmentConfig(Config):
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    LINK_KEYS = ["c2Ftc3RlbS10ZXN0LWxpbmsta2V5LTAxMjM0NTY3ODk="]  # b"samstem-test-link-key-0123456789"
    SQLALCHEMY_DATABASE_URI = _database_url() or "sqlite://"
    WTF_CSRF_ENABLED = False
    # Test users need no protection against offline guessing; fast hashes keep tests quick.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # How many proxies (load balancers) stand in front of Samstem and set X-Forwarded-*.
    PROXY_HOPS = int(os.environ.get("SAMSTEM_PROXY_HOPS", "0"))
    RATELIMIT_STORAGE_URI = "memory://"
    # Tests start their own SMTP server; a developer's settings must not send real mail.
    MAIL_SERVER = None
    SMS_SENDER = "log"
    # A developer's retention settings must not reach the tests; the purge tests set their own.
    RETENTION_DAYS = None
    AUDIT_RETENTION_DAYS = None
    # A developer's identity provider and login settings must not reach the tests either.
    OIDC_ISSUER = None
    OIDC_CLIENT_ID = None
    OIDC_CLIENT_SECRET = None
    OIDC_USER_CLAIM = "sub"
    OIDC_GROUPS_CLAIM = "groups"
    OIDC_GROUP_MAP = None
    PASSWORD_LOGIN = True
    REQUIRE_TOTP = False
