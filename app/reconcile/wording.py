"""Scores and FIT signals in plain words, for the screen, the PDF and the plain-text summary."""

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import current_language, decimal1
from app.instruments import Instrument, Score
from app.reconcile.signals import Signal


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    text = decimal1(abs(value) if signed else value)
    if signed:
        return ("+" if value > 0 else "−" if value < 0 else "±") + text
    return text


def signal_text(signal: Signal, instrument: Instrument) -> str:
    """Say what the signal means, with its numbers, in the reader's language."""
    value, reference = _number(signal.value), _number(signal.reference)
    change = _number(signal.value, signed=True)
    code = signal.code
    if code == "no_data":
        return _("Ingen svar endnu.")
    if code == "not_scored":
        return _("Kun til samtale: giver ingen score.")
    if code == "no_cutoff":
        return _("Der er ingen klinisk grænse for barnets alder.")
    if code == "below_cutoff":
        return _("Under den kliniske grænse (%(value)s under %(reference)s): det er svært lige nu.", value=value, reference=reference)
    if code == "above_cutoff":
        return _("På eller over den kliniske grænse (%(value)s, grænsen er %(reference)s).", value=value, reference=reference)
    if code == "no_trend_yet":
        return _("Ingen udvikling endnu: der er kun én måling.")
    if code == "recovered":
        return _("Kommet sig: pålidelig fremgang siden første måling (%(change)s) og nu over grænsen.", change=change)
    if code == "reliable_improvement":
        return _("Pålidelig fremgang siden første måling (%(change)s; pålidelig fra %(reference)s).", change=change, reference=reference)
    if code == "reliable_deterioration":
        return _("Pålidelig tilbagegang siden første måling (%(change)s; pålidelig fra %(reference)s).", change=change, reference=reference)
    if code == "no_reliable_change":
        return _("Ingen pålidelig ændring siden første måling (%(change)s; pålidelig fra %(reference)s).", change=change, reference=reference)
    if code == "session_below_cutoff":
        return _("Mødet fik %(value)s, under %(reference)s: tal om samarbejdet.", value=value, reference=reference)
    if code == "session_item_low":
        item = instrument.item(signal.item_key).text(current_language()) if signal.item_key else ""
        return _("»%(item)s« fik %(value)s, under %(reference)s: tal om samarbejdet.", item=item, value=value, reference=reference)
    if code == "session_fall":
        return _("Mødet fik %(value)s point mindre end sidst: tal om samarbejdet.", value=value)
    if code == "session_ok":
        return _("Samarbejdet ser godt ud.")
    return code


def score_label(instrument: Instrument) -> str:
    """Name a form's score with its range and direction: "Total (0–40, højere er bedre)", or
    for a one-item form its own name, "Trivsel (0–10, højere er bedre)" (issue 10 item 10)."""
    scoring = instrument.scoring
    name = instrument.score_name(current_language())
    if name is None:
        name = _("Total") if scoring.method == "sum" else _("Gennemsnit")
    low, high = instrument.score_range() or ("", "")
    if scoring.higher_is_better:
        return _("%(name)s (%(low)s–%(high)s, højere er bedre)", name=name, low=low, high=high)
    return _("%(name)s (%(low)s–%(high)s, lavere er bedre)", name=name, low=low, high=high)


def score_value(instrument: Instrument, score: Score | None) -> float | None:
    """The number a score shows: the total of a sum, the mean of a mean; None without one."""
    if score is None or instrument.scoring is None:
        return None
    return score.total if instrument.scoring.method == "sum" else score.mean


# The language a person answered in, as the case worker reads it beside the answers (issue 18
# item 1). The questions are shown in Danish whatever the form was answered in.
ANSWERED_IN = {
    "da": _l("Svaret på dansk"),
    "en": _l("Svaret på engelsk"),
    "ar": _l("Svaret på arabisk"),
    "uk": _l("Svaret på ukrainsk"),
}
WRITTEN_IN = {
    "en": _l("Skrevet på engelsk"),
    "ar": _l("Skrevet på arabisk"),
    "uk": _l("Skrevet på ukrainsk"),
}


def answered_in(language: str | None) -> str:
    """Say which language a form was answered in; "" for Danish, the case worker's own."""
    if not language or language == "da":
        return ""
    return str(ANSWERED_IN.get(language, _("Svaret på et andet sprog (%(code)s)", code=language)))


def needs_translation(language: str | None) -> str:
    """Mark a free text written in another language than Danish: its language and that it needs
    an interpreter or a translation (never an online translation service); "" for Danish."""
    if not language or language == "da":
        return ""
    written = WRITTEN_IN.get(language) or _("Skrevet på et andet sprog (%(code)s)", code=language)
    return _("%(written)s – tolk/oversættelse nødvendig", written=written)


def init_app(app: Flask) -> None:
    app.add_template_global(answered_in)
    app.add_template_global(needs_translation)
    app.add_template_global(signal_text)
    app.add_template_global(score_label)
    app.add_template_global(score_value)
