"""The administrator's search of the audit log: the filters, a page of entries, the CSV export.

What each filter matches (the search page says the same in Danish):
- person: entries that name the person (their page was opened or saved, a link made for
  them) and every entry on the person's case, because the case's pages show everyone
  around the child and the log does not note which of them a page showed;
- case: entries on the case; user: what the user did, and failed logins to their user name;
- kind: the action; period: from and to (both included) as dates in Danish time.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, func, or_, select

from app.audit import AuditEvent
from app.audit_log.actions import ACTION_LABELS, action_label
from app.auth.access import get_by_id
from app.auth.models import User
from app.cases.models import Case, Person
from app.extensions import db

PAGE_SIZE = 50
# A spreadsheet runs a cell that begins with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class Search:
    person_id: int | None = None
    case_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    from_date: date | None = None
    to_date: date | None = None

    def detail(self) -> dict:
        """The filters used, for the audit entry of the search itself."""
        return {key: value.isoformat() if isinstance(value, date) else value
                for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Entry:
    at: datetime
    user: str
    username: str
    action: str
    label: str
    case_id: int | None
    detail: dict
    address: str = ""


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    number: int
    pages: int
    total: int


def problems(search: Search) -> dict[str, str]:
    """Return, per filter, why it cannot be searched for (an id nothing has, a period backwards)."""
    found = {}
    if search.person_id is not None and get_by_id(Person, search.person_id) is None:
        found["person"] = _("Samstem har ingen person med nummer %(id)s.", id=search.person_id)
    if search.case_id is not None and get_by_id(Case, search.case_id) is None:
        found["case"] = _("Samstem har ingen sag med nummer %(id)s.", id=search.case_id)
    if search.from_date and search.to_date and search.from_date > search.to_date:
        found["to_date"] = _("Til-datoen ligger før fra-datoen.")
    return found


def _named(key: str, value: int):
    """The condition that an entry's detail names `value` under `key` (compared as text, the
    same on SQLite and PostgreSQL, whatever else the detail holds)."""
    return cast(AuditEvent.detail[key].as_string(), String) == str(value)


def _start_of(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), zone)


def conditions(search: Search) -> list:
    """The SQL conditions of a search, all of which an entry meets."""
    where = []
    if search.person_id is not None:
        person = db.session.get(Person, search.person_id)
        where.append(or_(_named("person_id", person.id), AuditEvent.case_id == person.case_id))
    if search.case_id is not None:
        where.append(AuditEvent.case_id == search.case_id)
    if search.user_id is not None:
        where.append(or_(AuditEvent.user_id == search.user_id,
                         and_(AuditEvent.action == "login.failed", _named("user", search.user_id))))
    if search.action:
        where.append(AuditEvent.action == search.action)
    if search.from_date:
        where.append(AuditEvent.at >= _start_of(search.from_date))
    if search.to_date:
        where.append(AuditEvent.at < _start_of(search.to_date + timedelta(days=1)))
    return where


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def count(search: Search) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions(search)))


def _ordered(search: Search):
    """Newest first; entries written in the same instant by id, so paging never skips or repeats."""
    return select(AuditEvent).where(*conditions(search)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def page(search: Search, number: int, total: int) -> Page:
    """Return page `number` (from 1) of the entries found; the caller checked it exists."""
    events = db.session.scalars(_ordered(search).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    users = staff()
    return Page([_entry(event, users) for event in events], number, page_count(total), total)


def staff() -> dict[int, User]:
    """Every staff user, by id, in name order."""
    return {user.id: user for user in db.session.scalars(select(User).order_by(User.name, User.id))}


def actions() -> list[str]:
    """Every action there is a name for, and any other the log holds."""
    stored = db.session.scalars(select(AuditEvent.action).distinct())
    return sorted(set(ACTION_LABELS) | set(stored), key=lambda action: action_label(action).lower())


def _entry(event: AuditEvent, users: dict[int, User]) -> Entry:
    user = users.get(event.user_id)
    return Entry(at=event.at, user=user.name if user else "", username=user.username if user else "",
                 action=event.action, label=action_label(event.action), case_id=event.case_id,
                 detail=event.detail or {}, address=event.address or "")


# --- the CSV export -----------------------------------------------------------------------------

def neutralised(cell: str) -> str:
    """Return the cell so no spreadsheet runs it: one beginning like a formula gets an apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def local_time(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).strftime("%Y-%m-%d %H:%M:%S")


def _csv_line(cells: list) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(
        [neutralised("" if cell is None else str(cell)) for cell in cells])
    return out.getvalue()


def csv_lines(search: Search) -> Iterator[str]:
    """Yield the export line by line: a byte order mark and `;` between cells, as Danish Excel
    expects, newest entry first, every matching entry (no pages)."""
    yield "\ufeff" + _csv_line([_("Tidspunkt"), _("Medarbejder"), _("Brugernavn"), _("Handling"), _("Kode"),
                                 _("Sag"), _("Detaljer"), _("Adresse")])
    users = staff()
    for event in db.session.scalars(_ordered(search).execution_options(yield_per=EXPORT_BATCH)):
        entry = _entry(event, users)
        yield _csv_line([local_time(entry.at), entry.user, entry.username, entry.label, entry.action,
                         entry.case_id, json.dumps(entry.detail, ensure_ascii=False, sort_keys=True), entry.address])
