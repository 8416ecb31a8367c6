"""How much of an SMS one message (segment) holds: 160 characters of the GSM 7-bit alphabet,
or 70 if any character is outside it (the whole text then goes as UCS-2).

Danish æ, ø, å, Æ, Ø, Å and é are in the GSM alphabet; », «, –, … and ë are not. A
character of the alphabet's extension table (€, [, ], {, }, ^, ~, |, \\) takes two places.
The alphabets are 3GPP TS 23.038's default alphabet and its extension table.
A letter outside it that is a GSM letter with an accent (ë, á, ş in "Zoë", "Ştefan") can be
written without the accent, so a name does not cut an SMS to 70 characters.
"""

import unicodedata

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM_SEGMENT = 160
UCS2_SEGMENT = 70
# A longer text goes as several joined SMS; each part gives 7 septets (3 UCS-2 places) to the
# header that joins them (3GPP TS 23.040's concatenation header).
GSM_PART = 153
UCS2_PART = 67


def is_gsm(text: str) -> bool:
    """Tell whether every character of the text is in the GSM 7-bit alphabet (or its extension)."""
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def length(text: str) -> int:
    """Return the places the text takes in an SMS: GSM septets, or UTF-16 code units."""
    if is_gsm(text):
        return len(text) + sum(char in GSM_EXTENSION for char in text)
    return len(text.encode("utf-16-le")) // 2


def fits_one_segment(text: str) -> bool:
    """Tell whether the text goes as one SMS, not several joined ones."""
    return length(text) <= (GSM_SEGMENT if is_gsm(text) else UCS2_SEGMENT)


def segments(text: str) -> int:
    """Return how many SMS the text goes as: 1 if it fits one, else the joined parts.

    Arabic and Ukrainian are outside the GSM alphabet: such a text goes as UCS-2, 70 places in
    one SMS, 67 in each part of a longer one.
    """
    if fits_one_segment(text):
        return 1
    part = GSM_PART if is_gsm(text) else UCS2_PART
    return -(-length(text) // part)


def plain_letters(text: str) -> str:
    """Return the text with each letter outside the GSM alphabet written without its accent,
    where that makes it a GSM letter (ë -> e); other characters stay as they are."""
    return "".join(char if char in GSM_BASIC else _without_accent(char) for char in text)


def _without_accent(char: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return bare if bare and all(c in GSM_BASIC for c in bare) else char
