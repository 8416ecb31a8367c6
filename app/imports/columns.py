"""The import's column layout: one entry per column the case system's file may hold.

Each entry names the column's heading, the field the applying service reads, which part of the
case it belongs to (the case itself, its background, a measure), whether a value is needed, and
the parser that turns the cell's text into that value or a Danish message. A new column is a new
entry here, and the page and the README's layout follow.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Team, User
from app.cases.forms import CPR_PATTERN
from app.extensions import db
from app.forms import parse_day
from app.measures.ladder import current_ladder
from app.settings import lists

CASE, BACKGROUND, MEASURE = "case", "background", "measure"
# The child's gender by code or Danish name (the background's GENDERS).
GENDER_WORDS = {"girl": "girl", "pige": "girl", "boy": "boy", "dreng": "boy", "other": "other", "andet": "other"}
END_NOTE_LIMIT = 2000
REF_LIMIT = 40
NAME_LIMIT = 80
# A birth year more than this many years back is no child's (the case form's own limit).
OLDEST_CHILD = 25


class CellRefused(ValueError):
    """The cell's text cannot be used; the message says why, for the administrator."""


class Known:
    """What the file's names are matched against, read once per import: teams, staff, the lists."""

    def __init__(self) -> None:
        self.teams = {team.name.strip().lower(): team for team in db.session.scalars(select(Team))}
        self.users = {user.username.lower(): user for user in db.session.scalars(select(User))}
        self._lists: dict[str, dict[str, str]] = {}

    def list_code(self, name: str, text: str) -> str:
        """Return the code of the list entry in use that the text names by code or by its Danish name."""
        if name not in self._lists:
            with force_locale("da"):
                self._lists[name] = {key: entry.code for entry in lists.entries(name)
                                     for key in (entry.code.lower(), entry.label.strip().lower())}
        code = self._lists[name].get(text.lower())
        if code is None:
            raise CellRefused(_("%(value)s står ikke på listen %(list)s. Brug en kode eller et navn fra listen.",
                                value=text, list=str(lists.LISTS[name].title).lower()))
        return code

    def measure_kind(self, text: str) -> str:
        """Return the code of the ladder's kind of measure that the text names by code or Danish name."""
        if not hasattr(self, "_kinds"):
            kinds = [kind for rung in current_ladder().rungs for kind in rung.kinds]
            self._kinds = {key.lower(): kind.code for kind in kinds for key in (kind.code, kind.name("da"))}
        code = self._kinds.get(text.lower())
        if code is None:
            raise CellRefused(_("Indsatsen %(value)s findes ikke på indsatstrappen. Brug en kode eller et navn "
                                "fra trappen.", value=text))
        return code


def text(limit: int) -> Callable[[str, Known], str]:
    """A text of at most `limit` characters, never shaped like a CPR number; kept as plain text."""

    def parse(value: str, known: Known) -> str:
        if len(value) > limit:
            raise CellRefused(_("Højst %(limit)s tegn.", limit=limit))
        if CPR_PATTERN.search(value):
            raise CellRefused(_("Skriv ikke CPR-numre i Samstem."))
        return value

    return parse


def birth_year(value: str, known: Known) -> int:
    this_year = date.today().year
    if not value.isdigit() or not this_year - OLDEST_CHILD <= int(value) <= this_year:
        raise CellRefused(_("Skriv et år mellem %(low)s og %(high)s, fx 2017.", low=this_year - OLDEST_CHILD,
                            high=this_year))
    return int(value)


def day(value: str, known: Known) -> date:
    found = parse_day(value)
    if found is None:
        raise CellRefused(_("Skriv datoen som dag-måned-år, fx 14-03-2026, eller som 2026-03-14."))
    return found


def team(value: str, known: Known) -> Team:
    found = known.teams.get(value.lower())
    if found is None:
        raise CellRefused(_("Der er intet team, der hedder %(name)s.", name=value))
    return found


def caseworker(value: str, known: Known) -> User:
    found = known.users.get(value.lower())
    if found is None or not found.active:
        raise CellRefused(_("Der er ingen aktiv medarbejder med brugernavnet %(name)s.", name=value))
    if not found.works_with_cases:
        raise CellRefused(_("%(name)s er ikke rådgiver i et team.", name=value))
    return found


def gender(value: str, known: Known) -> str:
    code = GENDER_WORDS.get(value.lower())
    if code is None:
        raise CellRefused(_("Skriv pige, dreng eller andet."))
    return code


def measure_kind(value: str, known: Known) -> str:
    return known.measure_kind(value)


def listed(name: str) -> Callable[[str, Known], str]:
    """A code of the organisation's list `name`, given by code or by its Danish name."""

    def parse(value: str, known: Known) -> str:
        return known.list_code(name, value)

    return parse


@dataclass(frozen=True)
class ImportColumn:
    heading: str  # as the file names it, compared without regard to case
    field: str  # the key the applying service reads
    part: str  # CASE, BACKGROUND or MEASURE
    parse: Callable[[str, Known], object]
    about: object  # what the column holds, shown on the import page
    example: str
    required: bool = False  # every row must have a value
    for_new_case: bool = False  # a row that creates a case must have a value
    other_headings: tuple[str, ...] = ()  # the same heading spelt without æ, ø, å
    needed_when: object = None  # when a value is needed, in words, if that is not "always" or "for a new case"


TOGETHER = _l("Målgruppe og sagstype sammen")
FOR_A_MEASURE = _l("For en indsats")

COLUMNS: list[ImportColumn] = [
    ImportColumn("sagsnummer", "external_ref", CASE, text(REF_LIMIT),
                 _l("Sagens nummer i fagsystemet. Rækken hører til den sag i Samstem, der har samme nummer."),
                 "2024-0117", required=True),
    ImportColumn("team", "team", CASE, team, _l("Teamets navn, som det står i Samstem."), "Team Nord",
                 for_new_case=True),
    ImportColumn("rådgiver", "caseworker", CASE, caseworker,
                 _l("Rådgiverens brugernavn i Samstem. Rådgiveren skal være aktiv og høre til teamet."), "anne",
                 for_new_case=True, other_headings=("raadgiver", "radgiver")),
    ImportColumn("fornavn", "first_name", CASE, text(NAME_LIMIT), _l("Barnets fornavn."), "Emma",
                 for_new_case=True),
    ImportColumn("fødselsår", "birth_year", CASE, birth_year, _l("Barnets fødselsår."), "2016",
                 for_new_case=True, other_headings=("foedselsaar", "fodselsar")),
    # The case's background (issue 14 item 1): set through app.cases.background.set_background.
    ImportColumn("målgruppe", "target_group", BACKGROUND, listed("target_group"),
                 _l("Barnets målgruppe fra organisationens liste. Skrives sammen med sagstype."),
                 "vulnerable", other_headings=("maalgruppe", "malgruppe"), needed_when=TOGETHER),
    ImportColumn("sagstype", "case_type", BACKGROUND, listed("case_type"),
                 _l("Sagstypen fra organisationens liste. Skrives sammen med målgruppe."), "investigation",
                 needed_when=TOGETHER),
    ImportColumn("køn", "gender", BACKGROUND, gender,
                 _l("Barnets køn: pige, dreng eller andet. Kun når organisationen registrerer køn."), "pige",
                 other_headings=("koen", "kon")),
    # A measure (issue 14 item 2), one per row: added or corrected through app.measures.services.
    ImportColumn("indsats", "kind", MEASURE, measure_kind,
                 _l("Indsatsen fra indsatstrappen. En sag med flere indsatser står på én række pr. indsats."),
                 "family_treatment", needed_when=FOR_A_MEASURE),
    ImportColumn("udfører", "provider", MEASURE, listed("provider"),
                 _l("Udføreren fra organisationens liste over udførere."), "familiehuset",
                 other_headings=("udforer", "udfoerer")),
    ImportColumn("start", "started_on", MEASURE, day, _l("Den dag, indsatsen begyndte."), "01-02-2025",
                 needed_when=FOR_A_MEASURE),
    ImportColumn("slut", "ended_on", MEASURE, day, _l("Den dag, indsatsen sluttede, hvis den er slut."),
                 "31-12-2025"),
    ImportColumn("slutårsag", "end_reason", MEASURE, listed("measure_end_reason"),
                 _l("Hvorfor indsatsen sluttede, fra organisationens liste. Skal udfyldes, når slut er udfyldt."),
                 "goal_met", other_headings=("slutaarsag", "slutarsag"), needed_when=_l("Når slut er udfyldt")),
    ImportColumn("slutnote", "end_note", MEASURE, text(END_NOTE_LIMIT),
                 _l("Rådgiverens ord om, hvorfor indsatsen sluttede. Skal udfyldes, når slutårsagen er anden grund."),
                 ""),
]

BY_HEADING: dict[str, ImportColumn] = {
    heading: column for column in COLUMNS for heading in (column.heading, *column.other_headings)}
BY_FIELD: dict[str, ImportColumn] = {column.field: column for column in COLUMNS}


def column_named(heading: str) -> ImportColumn | None:
    return BY_HEADING.get(" ".join(heading.lower().split()))
