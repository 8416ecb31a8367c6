"""Sealing a respondent's link while it is handed out and unopened.

The database finds a link by its token's hash; beside it, the raw token is kept *sealed*
(Fernet: AES-128-CBC with an HMAC) so that any staff browser with access to the case can show
the same QR code, print the same sheet and send the same link. The keys (LINK_KEYS, from
SAMSTEM_LINK_KEY) are configured apart from the database and SECRET_KEY: a copy of the
database alone opens no link. Several keys, newest first, let a key be rotated: the newest
seals, every key opens, and `flask links reseal` seals again with the newest.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

SETTING = "SAMSTEM_LINK_KEY"
HOW_TO_MAKE_ONE = (
    "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class SealingKeyError(RuntimeError):
    """The sealing keys are missing or malformed; the message says what to set."""


def parse_keys(value: str | list | tuple | None) -> list[str]:
    """Return the keys of a setting: a list, or one text with the keys separated by commas."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [str(key).strip() for key in value if str(key).strip()]


def check_keys(value: str | list | tuple | None) -> list[str]:
    """Return the configured keys, newest first; raise SealingKeyError when there is none or one is bad."""
    keys = parse_keys(value)
    if not keys:
        raise SealingKeyError(
            f"{SETTING} is not set: respondents' links are kept sealed with it while they are handed out. "
            f"Keep it apart from the database and SECRET_KEY; {HOW_TO_MAKE_ONE}, then export {SETTING}, "
            "or put LINK_KEYS = ['…'] in instance/settings.py (make run does that for development)"
        )
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise SealingKeyError(
                f"{SETTING}: key {number} of {len(keys)} is not a Fernet key (32 bytes in url-safe base64); "
                f"{HOW_TO_MAKE_ONE}"
            ) from None
    return keys


def new_key() -> str:
    """Return a fresh random key."""
    return Fernet.generate_key().decode("ascii")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(parse_keys(current_app.config["LINK_KEYS"])))


def seal(token: str) -> str:
    """Return the token sealed with the newest key."""
    return _current().encrypt(token.encode("ascii")).decode("ascii")


def unseal(sealed: str) -> str | None:
    """Return the sealed token, or None when no configured key opens it."""
    try:
        return _current().decrypt(sealed.encode("ascii")).decode("ascii")
    except InvalidToken:
        return None


def reseal(sealed: str) -> str | None:
    """Return the token sealed again with the newest key, or None when no configured key opens it."""
    try:
        return _current().rotate(sealed.encode("ascii")).decode("ascii")
    except InvalidToken:
        return None
