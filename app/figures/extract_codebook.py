"""The extract's codebook: every column, every code, and every item of every form with its Danish
wording and scale, read from the form files (forms/, forms/indicators/) and the provider status."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.figures.exports import Sheet
from app.figures.extract_rows import (
    AGE_BANDS,
    COLUMNS,
    FINAL_PROSE,
    FREE_TEXT_TYPES,
    SOURCES,
    STATUS_FORM,
)
from app.indicators.classification import FUNCTION_LEVELS
from app.instruments import current_catalogue
from app.instruments.catalogue import DONT_KNOW, Instrument, Item
from app.labels import (
    ATTAINMENT_LABELS,
    DOMAIN_LABELS,
    MEETING_KIND_LABELS,
    ROLE_LABELS,
    STAFF_ROLE_LABELS,
)
from app.status.items import GOAL_LABELS

SEPARATOR = "; "
ROUND_KIND_LABELS = {
    "feedback": _l("Feedback efter mødet"),
    "status": _l("Udførerens status før mødet"),
    "see_happen": _l("Ønsker før mødet"),
    "indicators": _l("Indikatorrunde"),
}
SOURCE_LABELS = {
    "response": _l("Et svar fra en person omkring barnet, med sit eget link"),
    "staff_scoring": _l("Rådgiverens egen scoring af indikatorerne"),
    "final_score": _l("Rådgiverens endelige status og mål for et område"),
}
FINAL_PROSE_LABELS = {
    "rationale": _l("rådgiverens begrundelse for den endelige status"),
    "family_note": _l("et familiemedlems anderledes syn"),
}
COLUMN_TEXTS = {
    "child_key": _l("Barnets nøgle (en sag er ét barn). Den samme i hele dette udtræk, en anden i næste udtræk."),
    "age_band": _l("Barnets alder på mødets dato, som aldersgruppe."),
    "meeting_key": _l("Mødets nøgle i dette udtræk."),
    "meeting_kind": _l("Mødets art."),
    "meeting_date": _l("Mødets dato (år-måned-dag)."),
    "round_kind": _l("Hvad runden samlede ind."),
    "source": _l("Hvor rækken kommer fra."),
    "respondent_key": _l("Nøglen for personen, der svarede, i dette udtræk. Tom for rådgiveren."),
    "respondent_role": _l("Personens plads omkring barnet. Aldrig et navn."),
    "instrument_id": _l("Skemaets id: se spørgsmålene nedenfor."),
    "instrument_version": _l("Skemaets version. Spørgsmålene nedenfor er fra den version, Samstem bruger nu."),
    "item_key": _l("Spørgsmålets nøgle i skemaet. Tom, når personen ikke ville svare."),
    "goal_key": _l("Målets nøgle i dette udtræk (udførerens status pr. mål). Målets ordlyd er aldrig med."),
    "goal_domain": _l("Det område af barnets liv, målet handler om."),
    "value": _l("Svaret: et tal, en kode eller tekst. Ja/nej står som 1/0, ved ikke som dont_know. Spørgsmål uden "
                "svar har ingen række."),
    "declined": _l("1: personen ville ikke svare på skemaet. 0: personen svarede."),
    "answered_on": _l("Datoen for svaret (år-måned-dag), uden klokkeslæt."),
}


def _codes(labels: Mapping[str, object]) -> str:
    return SEPARATOR.join(f"{code} = {label}" for code, label in labels.items())


def _column_codes() -> dict[str, str]:
    roles = {**ROLE_LABELS, "caseworker": STAFF_ROLE_LABELS["caseworker"]}
    return {
        "age_band": SEPARATOR.join(label for _low, _high, label in AGE_BANDS),
        "meeting_kind": _codes(MEETING_KIND_LABELS),
        "round_kind": _codes(ROUND_KIND_LABELS),
        "source": _codes({code: SOURCE_LABELS[code] for code in SOURCES}),
        "respondent_role": _codes(roles),
        "goal_domain": _codes(DOMAIN_LABELS),
        "value": f"{DONT_KNOW} = {_('Ved ikke')}",
        "declined": "1; 0",
    }


def free_text_words() -> str:
    return _("Fri tekst: kun med, når udtrækket er bestilt med fri tekst.")


def _numbered(values: tuple, labels: tuple) -> str:
    return SEPARATOR.join(f"{value} = {label}" for value, label in zip(values, labels, strict=False))


def item_scale(item: Item) -> str:
    """The values an item's answers take, in words: a line's ends, a scale's points, a choice's options."""
    labels = item.labels("da")
    if item.type == "vas":
        scale = _("0–10 med én decimal")
        if len(labels) == 2:
            scale += f": 0 = {labels[0]}, 10 = {labels[1]}"
    elif item.type in ("scale", "choice"):
        scale = _numbered(item.values, labels)
    elif item.type == "yesno":
        scale = f"1 = {_('Ja')}{SEPARATOR}0 = {_('Nej')}"
    else:
        scale = free_text_words()
    if item.dont_know:
        scale += f"{SEPARATOR}{DONT_KNOW} = {_('Ved ikke')}"
    return scale


def _instrument_rows(instrument: Instrument) -> Iterator[list]:
    for item in instrument.items:
        kind = _("fri tekst") if item.type in FREE_TEXT_TYPES else item.type
        yield [_("Spørgsmål"), item.key, instrument.id, instrument.version, kind, item.text("da"), item_scale(item)]


def _indicator_rows(form) -> Iterator[list]:
    steps = _numbered(form.scale, tuple(form.step_texts.get("da", ())))
    question, prose = _("Spørgsmål"), _("fri tekst")
    factors = {factor.key: factor for factor in form.factors(True) + form.factors(False)}
    for key, factor in factors.items():
        title = factor.title("da")
        yield [question, f"{key}.status", form.id, form.version, "scale", title, f"{steps}{SEPARATOR}{DONT_KNOW}"]
        if form.has_goals:
            yield [question, f"{key}.goal", form.id, form.version, "scale", _("%(factor)s: mål", factor=title), steps]
        yield [question, f"{key}.text", form.id, form.version, prose,
               _("%(factor)s: det, den, der scorede, skrev", factor=title), free_text_words()]
        yield [question, f"{key}.unscored", form.id, form.version, "yesno",
               _("%(factor)s: rådgiveren besluttede uden endelig status", factor=title), "1"]
        for name in FINAL_PROSE:
            yield [question, f"{key}.{name}", form.id, form.version, prose, f"{title}: {FINAL_PROSE_LABELS[name]}",
                   free_text_words()]
    if form.is_icf:
        yield [question, "function_level", form.id, form.version, "choice", _("Funktionsniveau"),
               _numbered(FUNCTION_LEVELS, tuple(form.levels("da"))) + f"{SEPARATOR}{DONT_KNOW}"]


def _status_rows() -> Iterator[list]:
    question, prose = _("Spørgsmål"), _("fri tekst")
    yield [question, "goal.attainment", STATUS_FORM, 1, "choice", _("Hvor langt er I med målet?"),
           _codes(ATTAINMENT_LABELS)]
    for key, label in GOAL_LABELS.items():
        yield [question, f"goal.{key}", STATUS_FORM, 1, prose, str(label), free_text_words()]
    yield [question, "rating", STATUS_FORM, 1, "scale", _("Tal fra 0 til 10 for barnets trivsel og udvikling"),
           _("0–10, hele tal: 0 er dårligst, 10 er bedst")]
    yield [question, "reviewed", STATUS_FORM, 1, "choice", _("Har du gennemgået statussen med familien?"),
           f"yes = {_('Ja')}{SEPARATOR}no = {_('Nej')}"]
    yield [question, "reviewed_on", STATUS_FORM, 1, "date", _("Hvornår gennemgik I den?"), _("År-måned-dag")]
    for key, label in (("overall", _("Samlet vurdering af barnets trivsel og udvikling")),
                       ("family_comments", _("Familiens kommentarer")),
                       ("reason", _("Hvorfor er den ikke gennemgået med familien?"))):
        yield [question, key, STATUS_FORM, 1, prose, label, free_text_words()]


def codebook(start: date, end: date, free_text: bool, rows: int, today: date) -> Sheet:
    """The codebook sheet of an extract of this period, with notes on what the extract holds."""
    codes = _column_codes()
    found = [[_("Kolonne"), name, "", "", "", str(COLUMN_TEXTS[name]), codes.get(name, "")] for name in COLUMNS]
    for instrument in current_catalogue().all():
        found.extend(_instrument_rows(instrument))
    for form in current_app.extensions["indicator_forms"].all():
        found.extend(_indicator_rows(form))
    found.extend(_status_rows())
    notes = [
        _("Udtræk fra Samstem lavet %(today)s for møder holdt %(start)s–%(end)s: %(rows)s rækker.",
          today=today.isoformat(), start=start.isoformat(), end=end.isoformat(), rows=rows),
        _("Fri tekst er med.") if free_text else _("Fri tekst er ikke med."),
        _("Nøglerne gælder kun i dette udtræk: et nyt udtræk giver alle børn, møder og personer nye nøgler."),
        _("Ingen navne, sagsnumre eller fødselsår: barnets alder står som aldersgruppe."),
        _("Tallene beskriver; de viser ikke, om en indsats virker."),
    ]
    header = [_("Del"), _("Navn"), _("Skema"), _("Version"), _("Type"), _("Tekst"), _("Værdier")]
    return Sheet("Kodebog", header, found, notes)
