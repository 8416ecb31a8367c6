"""Record a case's measures on the ladder, and read them for the case page and the figures.

One set of rules for every way in: the case page's forms and the import from the case system
(issue 14 item 6) both call validate_measure / add_measure with a plain dict, so a refused row
gets the same Danish message, naming the field, wherever it came from. The keys:

    kind        the ladder's code of the kind of measure (required)
    rung        the rung's code (optional: it follows from the kind; if given it must agree)
    provider    a code of the list "provider" (required while the list has entries in use)
    started_on  a date, or text as a person types it (14-03-2026 or 2026-03-14) (required)
    ended_on    a date or text (optional; not in the future, not before the start)
    end_reason  a code of the list "measure_end_reason" (required with an end date)
    end_note    free text (required when the reason is "other")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.cases.forms import CPR_PATTERN
from app.cases.models import Case
from app.extensions import db
from app.forms import DATE_MESSAGE, parse_day
from app.i18n import current_language
from app.measures.ladder import Ladder, Rung, current_ladder
from app.measures.models import CODE_LIMIT, END_NOTE_LIMIT, Measure, MeasureVersion
from app.settings import lists
from app.settings import services as settings
from app.timestamps import utcnow

FIELDS = ("kind", "rung", "provider", "started_on", "ended_on", "end_reason", "end_note")
# The earliest start a measure may have (the oldest birth year a case may have), and how far
# ahead a measure already decided may be recorded.
EARLIEST = date(1990, 1, 1)
AHEAD = timedelta(days=366)
# A measure just added again, word for word, by the same person this soon (a double click) is the same one.
REPEAT_WINDOW = timedelta(minutes=2)
CONFIRMED = "ladder.confirmed"
OTHER = "other"


class MeasureError(ValueError):
    """A measure was refused; `problems` names each field that is wrong, in Danish."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class MeasureFact:
    """A measure as it stands now (its newest version), as the figures read it."""

    measure_id: int
    case_id: int
    kind: str
    rung: str
    provider: str | None
    started_on: date
    ended_on: date | None
    end_reason: str | None

    def runs_on(self, day: date) -> bool:
        """Whether the measure ran that day: from its start to its end, both days included."""
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


# --- the rules ---------------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A refused value as a message may repeat it: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= CODE_LIMIT else text[:CODE_LIMIT] + "…"


def _text(value: object) -> str | None:
    """Return the text given, stripped, or None; anything but text counts as text written out."""
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).replace("\x00", "").strip()
    return text or None


def _day(value: object) -> date | None | str:
    """Return the date given (a date, or text as typed), None when there is none, or "" when it is no date."""
    if isinstance(value, date):
        return value
    text = _text(value)
    if text is None:
        return None
    return parse_day(text) or ""


def _listed(name: str, code: str | None, kept: str | None) -> bool:
    """A code of the list in use now, or the one the measure already had (kept when it is taken out of use)."""
    return code in lists.codes(name) or (code is not None and code == kept and lists.known(name, code))


@dataclass
class _Checked:
    """The values of a measure as they will be stored, and the problems found, by field."""

    values: dict
    problems: dict


class _Check:
    """Check one measure's data field by field; each step reads what the steps before it found."""

    def __init__(self, data: Mapping, before: MeasureVersion | None, today: date):
        self.data, self.before, self.today = data, before, today
        self.ladder = current_ladder()
        self.values: dict = {key: None for key in FIELDS}
        self.problems: dict[str, str] = {}

    def run(self) -> _Checked:
        self.kind_and_rung()
        self.provider()
        self.dates()
        self.end_reason()
        self.end_note()
        return _Checked(self.values, self.problems)

    def _kept(self, key: str) -> str | None:
        return getattr(self.before, key) if self.before is not None else None

    def kind_and_rung(self) -> None:
        code = _text(self.data.get("kind"))
        kind = self.ladder.kind(code)
        if code is None:
            self.problems["kind"] = _("Vælg indsatsen.")
        elif kind is not None:
            self.values["kind"], self.values["rung"] = kind.code, kind.rung
        elif code == self._kept("kind"):
            # A kind the ladder no longer has stays on the measure that had it, on its rung.
            self.values["kind"], self.values["rung"] = code, self._kept("rung")
        else:
            self.problems["kind"] = _("Indsatsen %(code)s findes ikke på indsatstrappen. Vælg en af indsatserne på "
                                      "listen.", code=_shown(code))
        rung = _text(self.data.get("rung"))
        if rung is None or "kind" in self.problems or rung == self.values["rung"]:
            return
        if self.ladder.rung(rung) is None:
            self.problems["rung"] = _("Trinnet %(code)s findes ikke på indsatstrappen.", code=_shown(rung))
        else:
            self.problems["rung"] = _("Indsatsen %(kind)s ligger på trinnet %(rung)s, ikke på %(given)s.",
                                      kind=_kind_name(self.ladder, self.values["kind"]),
                                      rung=_rung_name(self.ladder, self.values["rung"]),
                                      given=_rung_name(self.ladder, rung))

    def provider(self) -> None:
        code = _text(self.data.get("provider"))
        if code is None:
            if lists.codes("provider"):  # optional while the organisation lists no providers
                self.problems["provider"] = _("Vælg udføreren.")
        elif _listed("provider", code, self._kept("provider")):
            self.values["provider"] = code
        else:
            self.problems["provider"] = _("Udføreren %(code)s står ikke på organisationens liste over udførere.",
                                          code=_shown(code))

    def dates(self) -> None:
        started = _day(self.data.get("started_on"))
        if started is None:
            self.problems["started_on"] = _("Skriv datoen, indsatsen begyndte.")
        elif started == "":
            self.problems["started_on"] = str(DATE_MESSAGE)
        elif started < EARLIEST:
            self.problems["started_on"] = _("Datoen ligger for langt tilbage. Skriv en dato efter %(date)s.",
                                            date=EARLIEST.strftime("%d-%m-%Y"))
        elif started > self.today + AHEAD:
            self.problems["started_on"] = _("En indsats kan højst registreres et år, før den begynder.")
        else:
            self.values["started_on"] = started
        ended = _day(self.data.get("ended_on"))
        self.ended = bool(ended)  # an end date was given, right or wrong
        if ended == "":
            self.problems["ended_on"] = str(DATE_MESSAGE)
        elif ended is not None and ended > self.today:
            self.problems["ended_on"] = _("Slutdatoen kan ikke ligge i fremtiden. Afslut indsatsen, når den er slut.")
        elif ended is not None and started and not isinstance(started, str) and ended < started:
            self.problems["ended_on"] = _("Indsatsen kan ikke slutte, før den begyndte (%(date)s).",
                                          date=started.strftime("%d-%m-%Y"))
        elif ended is not None:
            self.values["ended_on"] = ended

    def end_reason(self) -> None:
        reason = _text(self.data.get("end_reason"))
        if reason is None:
            if self.ended:
                self.problems["end_reason"] = _("Vælg, hvorfor indsatsen sluttede.")
        elif not self.ended:
            if "ended_on" not in self.problems:
                self.problems["end_reason"] = _("Skriv også datoen, indsatsen sluttede, eller fjern grunden.")
        elif _listed("measure_end_reason", reason, self._kept("end_reason")):
            self.values["end_reason"] = reason
        else:
            self.problems["end_reason"] = _("Grunden %(code)s står ikke på listen over grunde til, at en indsats "
                                            "slutter.", code=_shown(reason))

    def end_note(self) -> None:
        note = _text(self.data.get("end_note"))
        if note is not None and len(note) > END_NOTE_LIMIT:
            self.problems["end_note"] = _("Skriv højst %(limit)s tegn.", limit=END_NOTE_LIMIT)
        elif note is not None and CPR_PATTERN.search(note):
            self.problems["end_note"] = _("Skriv ikke CPR-numre i Samstem.")
        elif note is not None and not self.ended:
            if "ended_on" not in self.problems:
                self.problems["end_note"] = _("Skriv kun om, hvorfor indsatsen sluttede, når den er sluttet.")
        elif note is None and self.ended and _text(self.data.get("end_reason")) == OTHER:
            self.problems["end_note"] = _("Skriv, hvorfor indsatsen sluttede.")
        else:
            self.values["end_note"] = note


def _kind_name(ladder: Ladder, code: str | None) -> str:
    found = ladder.kind(code)
    return found.name(current_language()) if found else _shown(code)


def _rung_name(ladder: Ladder, code: str | None) -> str:
    found = ladder.rung(code)
    return found.name(current_language()) if found else _shown(code)


def _overlapping(case: Case, values: dict, measure: Measure | None) -> MeasureFact | None:
    """Another measure of the same kind on the case that runs at the same time, or None.

    A measure may start the day another of the same kind ends (a handover, say from one foster
    family to another); any longer overlap is refused (issue 14, Bad input).
    """
    start, end = values["started_on"], values["ended_on"]
    for other in measures_for([case.id]):
        if other.kind != values["kind"] or (measure is not None and other.measure_id == measure.id):
            continue
        if (other.ended_on is None or start < other.ended_on) and (end is None or other.started_on < end):
            return other
    return None


def validate_measure(case: Case, data: Mapping, *, measure: Measure | None = None,
                     today: date | None = None) -> dict[str, str]:
    """Return what is wrong with the measure `data` describes, by field (empty when nothing is).

    `measure` is the measure being changed: its own codes may be kept though taken out of use,
    and it does not overlap itself.
    """
    return _checked(case, data, measure, today or date.today()).problems


def _checked(case: Case, data: Mapping, measure: Measure | None, today: date) -> _Checked:
    checked = _Check(data, measure.current if measure is not None else None, today).run()
    values, problems = checked.values, checked.problems
    if not ({"kind", "started_on", "ended_on"} & problems.keys()):
        other = _overlapping(case, values, measure)
        if other is not None:
            args = {"kind": _kind_name(current_ladder(), other.kind), "start": other.started_on.strftime("%d-%m-%Y")}
            problems["started_on"] = (
                _("Der er allerede en indsats af samme slags (%(kind)s) fra %(start)s til %(end)s. To indsatser af "
                  "samme slags kan ikke løbe på samme tid: ret datoerne, eller ret den anden indsats.",
                  end=other.ended_on.strftime("%d-%m-%Y"), **args) if other.ended_on else
                _("Der er allerede en indsats af samme slags (%(kind)s), som begyndte %(start)s og stadig er i gang. "
                  "Afslut den først, eller ret datoerne.", **args))
    return checked


# --- recording ---------------------------------------------------------------------------------


def _same(version: MeasureVersion, values: dict) -> bool:
    return all(getattr(version, key) == values[key] for key in FIELDS)


def add_measure(case: Case, user: User, data: Mapping, *, today: date | None = None,
                double_click: bool = False) -> Measure:
    """Add a measure to the case; raise MeasureError naming each wrong field, storing nothing.

    With `double_click` (a form), the same measure added again by the same person within
    REPEAT_WINDOW is the one stored already; without it (an import), a measure given twice is
    refused as overlapping itself.
    """
    checked = _checked(case, data, None, today or date.today())
    for measure in _recent(case, user) if double_click else ():
        if _same(measure.current, checked.values):
            return measure  # the first click stored it
    if checked.problems:
        raise MeasureError(checked.problems)
    measure = Measure(case_id=case.id, created_by_id=user.id, created_at=utcnow())
    measure.versions.append(MeasureVersion(number=1, written_by_id=user.id, written_at=utcnow(), **checked.values))
    db.session.add(measure)
    db.session.flush()
    audit.record("measure.create", case.id, measure_id=measure.id, version=1)
    return measure


def _recent(case: Case, user: User) -> list[Measure]:
    since = utcnow() - REPEAT_WINDOW
    return list(db.session.scalars(
        select(Measure).where(Measure.case_id == case.id, Measure.created_by_id == user.id, Measure.created_at >= since)
    ))


class MeasureChanged(Exception):
    """Someone else changed the measure after the page was shown; nothing was stored."""


def change_measure(measure: Measure, user: User, data: Mapping, *, based_on: int | None = None,
                   today: date | None = None) -> bool:
    """Store the measure's new version (a correction, or its end) if anything changed; return whether it did.

    A key missing from `data` keeps the measure's value. `based_on` is the version the case
    worker saw: if another has been stored since, MeasureChanged is raised and nothing stored.
    """
    current = measure.current
    merged = {key: getattr(current, key) for key in FIELDS} | {key: data[key] for key in FIELDS if key in data}
    merged["rung"] = data.get("rung")  # follows from the kind unless given
    case = db.session.get(Case, measure.case_id)
    checked = _checked(case, merged, measure, today or date.today())
    if not checked.problems and _same(current, checked.values):
        return False  # also a double click, whose first click stored this
    if based_on is not None and based_on != current.number:
        raise MeasureChanged()
    if checked.problems:
        raise MeasureError(checked.problems)
    version = MeasureVersion(measure=measure, number=current.number + 1, written_by_id=user.id, written_at=utcnow(),
                             **checked.values)
    db.session.add(version)
    db.session.flush()
    changed = sorted(key for key in FIELDS if getattr(current, key) != checked.values[key])
    audit.record("measure.change", measure.case_id, measure_id=measure.id, version=version.number, changed=changed)
    return True


def end_measure(measure: Measure, user: User, data: Mapping, *, based_on: int | None = None,
                today: date | None = None) -> bool:
    """End a running measure: its end date, why, and the case worker's words; as change_measure."""
    if measure.current.ended_on is not None:
        raise MeasureError({"ended_on": _("Indsatsen er allerede afsluttet. Ret slutdatoen under Ret indsatsen.")})
    if _day(data.get("ended_on")) is None:
        raise MeasureError({"ended_on": _("Skriv datoen, indsatsen sluttede.")})
    ending = {key: data.get(key) for key in ("ended_on", "end_reason", "end_note")}
    return change_measure(measure, user, ending, based_on=based_on, today=today)


# --- reading -----------------------------------------------------------------------------------


def versions_on(case: Case) -> list[MeasureVersion]:
    """Every version of every measure on the case, with who wrote it, in one query: by measure, oldest first."""
    return list(db.session.scalars(
        select(MeasureVersion).join(Measure, Measure.id == MeasureVersion.measure_id).where(Measure.case_id == case.id)
        .order_by(MeasureVersion.measure_id, MeasureVersion.number)
        .options(joinedload(MeasureVersion.written_by))
    ))


def history(measure: Measure) -> list[MeasureVersion]:
    """The measure's versions, newest first, with who wrote each, in one query."""
    return list(db.session.scalars(
        select(MeasureVersion).where(MeasureVersion.measure_id == measure.id).order_by(MeasureVersion.number.desc())
        .options(joinedload(MeasureVersion.written_by))
    ))


def measures_for(case_ids: Iterable[int]) -> list[MeasureFact]:
    """The measures of these cases as they stand now (each one's newest version), in one query."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    newest = (select(MeasureVersion.measure_id, func.max(MeasureVersion.number).label("number"))
              .group_by(MeasureVersion.measure_id).subquery())
    rows = db.session.execute(
        select(MeasureVersion.measure_id, Measure.case_id, MeasureVersion.kind, MeasureVersion.rung,
               MeasureVersion.provider, MeasureVersion.started_on, MeasureVersion.ended_on, MeasureVersion.end_reason)
        .join(Measure, Measure.id == MeasureVersion.measure_id)
        .join(newest, and_(newest.c.measure_id == MeasureVersion.measure_id, newest.c.number == MeasureVersion.number))
        .where(Measure.case_id.in_(ids))
        .order_by(Measure.case_id, MeasureVersion.started_on, MeasureVersion.measure_id)
    )
    return [MeasureFact(*row) for row in rows]


def highest_rung(facts: Iterable[MeasureFact], day: date, ladder: Ladder, *, placements: bool = False) -> Rung | None:
    """The highest rung among the measures running that day (only placements if asked); None if none runs.
    A rung the ladder no longer has cannot be placed on it and is left out."""
    found = None
    for fact in facts:
        rung = ladder.rung(fact.rung)
        if rung is None or not fact.runs_on(day) or (placements and not rung.placement):
            continue
        if found is None or rung.position > found.position:
            found = rung
    return found


def _by_case(case_ids: Iterable[int]) -> dict[int, list[MeasureFact]]:
    grouped: dict[int, list[MeasureFact]] = {case_id: [] for case_id in case_ids}
    for fact in measures_for(grouped):
        grouped[fact.case_id].append(fact)
    return grouped


def rung_on(case_ids: Iterable[int], day: date) -> dict[int, int | None]:
    """The rung each child stands on that day: the highest rung position among its measures running
    then, or None for a child with none (FIGURES.md K8). One query."""
    ladder = current_ladder()
    return {case_id: (rung.position if (rung := highest_rung(facts, day, ladder)) else None)
            for case_id, facts in _by_case(case_ids).items()}


def rungs_between(case_ids: Iterable[int], first: date, second: date) -> dict[int, tuple[int | None, int | None]]:
    """Each child's rung position on two days (as rung_on), to count movements down and up the
    ladder between them (FIGURES.md K8). One query."""
    ladder = current_ladder()
    positions = {}
    for case_id, facts in _by_case(case_ids).items():
        before, after = highest_rung(facts, first, ladder), highest_rung(facts, second, ladder)
        positions[case_id] = (before.position if before else None, after.position if after else None)
    return positions


def placements_on(case_ids: Iterable[int], day: date) -> dict[int, Rung]:
    """The placement rung each child placed that day is on (the highest, if two run); children not
    placed are left out. `rung.network` tells a network placement (FIGURES.md K9). One query."""
    ladder = current_ladder()
    placed = {case_id: highest_rung(facts, day, ladder, placements=True) for case_id, facts in _by_case(case_ids).items()}
    return {case_id: rung for case_id, rung in placed.items() if rung is not None}


# --- the ladder's confirmation -----------------------------------------------------------------


@dataclass(frozen=True)
class Confirmation:
    by: str
    on: date | None


def confirmation(ladder: Ladder | None = None) -> Confirmation | None:
    """Who confirmed this very ladder file, and when; None while it is not confirmed."""
    ladder = ladder or current_ladder()
    stored = settings.stored(CONFIRMED)
    if not isinstance(stored, dict) or stored.get("digest") != ladder.digest:
        return None
    try:
        on = date.fromisoformat(str(stored.get("at", ""))[:10])
    except ValueError:
        on = None
    return Confirmation(str(stored.get("by", "")), on)


def is_proposal(ladder: Ladder | None = None) -> bool:
    """Whether the ladder is still a proposal: its file says so, and nobody has confirmed this file."""
    ladder = ladder or current_ladder()
    return ladder.proposal and confirmation(ladder) is None


def confirm_ladder(user: User) -> bool:
    """Confirm the ladder as it is in its file now; return False when there was nothing to confirm."""
    ladder = current_ladder()
    if not is_proposal(ladder):
        return False
    settings.put(CONFIRMED, {"digest": ladder.digest, "by": user.name, "by_id": user.id,
                             "at": utcnow().isoformat(timespec="seconds")})
    audit.record("ladder.confirm", None, digest=ladder.digest, rungs=[rung.code for rung in ladder.rungs])
    return True
