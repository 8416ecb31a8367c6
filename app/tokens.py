"""Personal tokens: generation, hashing, and the typable code with its check character.

A token is 128 random bits written in Crockford's base32 (26 characters). Only its
SHA-256 hash is stored. The typable code is the same token in groups of four with one
check character (Luhn mod N over the 32-symbol alphabet), so a typo is caught before
it counts as a failed attempt, and no shorter, weaker secret exists.

A link sent by SMS carries the same 128 bits in URL-safe base64 instead (22 characters,
`short_form`), so the path after the host stays within 24 characters (issue 18 item 4).
"""

import base64
import binascii
import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_BITS = 128
TOKEN_LENGTH = 26  # ceil(128 / 5)
# Letters people confuse, read the way Crockford's base32 reads them.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
SHORT_LENGTH = 22  # ceil(128 / 6)


def new_token() -> str:
    """Return a fresh token of 128 random bits in Crockford base32."""
    number = secrets.randbits(TOKEN_BITS)
    chars = []
    for _ in range(TOKEN_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def normalise(text: str) -> str:
    """Upper-case, drop spaces and dashes, and read O as 0 and I/L as 1."""
    return "".join(text.split()).replace("-", "").upper().translate(_READ_AS)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of the normalised token: what the database keeps."""
    return hashlib.sha256(normalise(token).encode("ascii", "replace")).hexdigest()


def is_well_formed(token: str) -> bool:
    """Tell whether text has the shape of a token (not whether one exists)."""
    token = normalise(token)
    return len(token) == TOKEN_LENGTH and all(c in _VALUE for c in token)


def check_character(body: str) -> str:
    """Return the Luhn mod 32 check character for a string over ALPHABET."""
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def typed_code(token: str) -> str:
    """Return the token with its check character, in groups of four for typing."""
    full = token + check_character(token)
    return "-".join(full[i : i + 4] for i in range(0, len(full), 4))


def token_from_code(code: str) -> str | None:
    """Return the token a typed code stands for, or None if it is mistyped."""
    full = normalise(code)
    if len(full) != TOKEN_LENGTH + 1 or any(c not in _VALUE for c in full):
        return None
    token, check = full[:-1], full[-1]
    return token if check_character(token) == check else None


def short_form(token: str) -> str:
    """Return the same token's 128 bits in URL-safe base64 without padding: 22 characters."""
    number = 0
    for char in normalise(token):
        number = number * 32 + _VALUE[char]
    return base64.urlsafe_b64encode(number.to_bytes(TOKEN_BITS // 8, "big")).decode("ascii").rstrip("=")


def from_short(text: str) -> str | None:
    """Return the token a short form stands for, or None if it is not one.

    Only the canonical spelling counts (the one short_form writes), so one token has exactly one
    short link and a changed last character never opens the same form.
    """
    if len(text) != SHORT_LENGTH or not text.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        return None
    if len(raw) != TOKEN_BITS // 8:
        return None
    number = int.from_bytes(raw, "big")
    chars = []
    for _ in range(TOKEN_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    token = "".join(reversed(chars))
    return token if short_form(token) == text else None
