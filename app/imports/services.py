"""Import cases from the case system's file: check every row (the dry run), then apply all or nothing.

Rows are matched on the case system's reference (Case.external_ref). A known reference updates the
case with the values the row gives (an empty cell changes nothing); an unknown one creates the
case when the row names an existing team and an active case worker of that team. The check
returns a Plan: what would change, and every problem with its row and column. Only a plan
without problems is applied, after checking the file once more, in one transaction; the
administrator's import is audited once with its counts and once per case it changed.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.cases import services as cases
from app.cases.models import Case
from app.extensions import db
from app.imports import parts
from app.imports.columns import (
    BACKGROUND,
    CASE,
    COLUMNS,
    MEASURE,
    CellRefused,
    ImportColumn,
    Known,
    column_named,
)
from app.imports.parts import MeasurePlan
from app.imports.reading import FileRefused, Table

# Minutes a checked file may wait for the administrator to confirm it.
CONFIRM_MINUTES = 30
SALT = "samstem-import"


@dataclass(frozen=True)
class Problem:
    """Why a row (or, with no row, the file) cannot be imported; the column it is about, if one."""

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class CasePlan:
    """What one reference in the file does: create a case or change one, set its background, add or
    correct its measures."""

    row: int
    ref: str
    case: Case | None
    values: dict  # the case's own columns
    background: dict = field(default_factory=dict)
    measures: list[MeasurePlan] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # of the case's own columns and its background


@dataclass
class Plan:
    rows: int = 0
    new: list[CasePlan] = field(default_factory=list)
    changed: list[CasePlan] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Every case's measure rows, with the case's plan: (case plan, measure plan).
    measures: list[tuple[CasePlan, MeasurePlan]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def measures_added(self) -> list[tuple[CasePlan, MeasurePlan]]:
        return [(c, m) for c, m in self.measures if m.measure_id is None]

    @property
    def measures_changed(self) -> list[tuple[CasePlan, MeasurePlan]]:
        return [(c, m) for c, m in self.measures if m.measure_id is not None and m.changes]

    @property
    def anything(self) -> bool:
        return bool(self.new or self.changed or self.measures_added or self.measures_changed)


# --- the check (dry run) -----------------------------------------------------------------------

def _columns(table: Table, plan: Plan) -> list[ImportColumn | None]:
    """Return the column of each heading; a wrong, missing or repeated heading is a problem of row 1."""
    found: list[ImportColumn | None] = []
    seen: set[str] = set()
    for position, heading in enumerate(table.headings, start=1):
        column = column_named(heading) if heading else None
        if not heading:
            if any(len(cells) >= position and cells[position - 1] for _, cells in table.rows):
                plan.problems.append(Problem(1, None, _("Kolonne %(number)s har ingen overskrift. Skriv den, eller "
                                                        "tag kolonnen ud.", number=position)))
        elif column is None:
            plan.problems.append(Problem(1, heading, _("Kolonnen %(name)s kendes ikke. Se listen over kolonner "
                                                       "nedenfor, og ret overskriften eller tag kolonnen ud.",
                                                       name=heading)))
        elif column.heading in seen:
            plan.problems.append(Problem(1, heading, _("Kolonnen %(name)s står to gange.", name=column.heading)))
            column = None
        else:
            seen.add(column.heading)
        found.append(column)
    for column in COLUMNS:
        if column.required and column.heading not in seen:
            plan.problems.append(Problem(1, column.heading, _("Filen mangler kolonnen %(name)s.",
                                                              name=column.heading)))
    return found


def _parse_row(number: int, cells: list[str], columns: list, known: Known, plan: Plan) -> dict | None:
    """Return the row's values by field, or None when a cell is wrong (each wrong cell is a problem)."""
    values: dict = {}
    good = True
    if len(cells) > len(columns):
        plan.problems.append(Problem(number, None, _("Rækken har flere celler, end der er kolonner.")))
        good = False
    for position, column in enumerate(columns):
        if column is None:
            continue
        cell = cells[position] if position < len(cells) else ""
        if not cell:
            if column.required:
                plan.problems.append(Problem(number, column.heading, _("Udfyld %(name)s.", name=column.heading)))
                good = False
            continue
        try:
            values[column.field] = column.parse(cell, known)
        except CellRefused as refused:
            plan.problems.append(Problem(number, column.heading, str(refused)))
            good = False
    return values if good else None


def _shown(value) -> str:
    if isinstance(value, User):
        return value.username
    return getattr(value, "name", None) or ("" if value is None else str(value))


def _existing(refs: set[str], plan: Plan, first_rows: dict[str, int]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    if not refs:
        return found
    for case in db.session.scalars(select(Case).where(Case.external_ref.in_(sorted(refs))).options(
            selectinload(Case.people), selectinload(Case.team), selectinload(Case.caseworker))):
        if case.external_ref in found:
            plan.problems.append(Problem(first_rows[case.external_ref], "sagsnummer", _(
                "Flere sager i Samstem har sagsnummeret %(ref)s. Ret det på sagerne, før du importerer.",
                ref=case.external_ref)))
        found[case.external_ref] = case
    return found


def _check_new(plan_row: CasePlan, plan: Plan) -> None:
    for column in COLUMNS:
        if column.part == CASE and column.for_new_case and column.field not in plan_row.values:
            plan.problems.append(Problem(plan_row.row, column.heading, _(
                "Sagsnummeret %(ref)s findes ikke i Samstem. For at oprette sagen skal rækken have %(name)s.",
                ref=plan_row.ref, name=column.heading)))


def _check_team(plan_row: CasePlan, plan: Plan) -> None:
    """The case worker the case ends up with must belong to the team it ends up on."""
    values, case = plan_row.values, plan_row.case
    if case is not None and not ({"team", "caseworker"} & values.keys()):
        return  # the row does not move the case
    team = values.get("team") or (case.team if case else None)
    worker = values.get("caseworker") or (case.caseworker if case else None)
    if team is None or worker is None or worker.team_id == team.id:
        return
    if "caseworker" in values:
        plan.problems.append(Problem(plan_row.row, "rådgiver", _("%(user)s hører ikke til %(team)s.",
                                                               user=worker.username, team=team.name)))
    else:
        plan.problems.append(Problem(plan_row.row, "team", _(
            "Sagens rådgiver %(user)s hører ikke til %(team)s. Skriv en rådgiver fra %(team)s i kolonnen rådgiver.",
            user=worker.username, team=team.name)))


def _changes(case: Case, values: dict) -> list[Change]:
    child = case.child
    now = {"team": case.team, "caseworker": case.caseworker, "first_name": child.first_name if child else None,
           "birth_year": case.child_birth_year}
    return [Change(column.heading, _shown(now[column.field]), _shown(values[column.field]))
            for column in COLUMNS if column.part == CASE and column.field in now and column.field in values
            and values[column.field] != now[column.field]]


def _merge(plan_row: CasePlan, number: int, given: dict, into: dict, plan: Plan) -> bool:
    """Add a later row's values of a case to its first row's; return False when one differs."""
    clash = [key for key, value in given.items() if key in into and into[key] != value]
    if clash:
        plan.problems.append(Problem(number, parts.heading(clash[0]), _(
            "Sagsnummeret %(ref)s står også i række %(row)s, med andre oplysninger. Hver sag må kun stå én gang.",
            ref=plan_row.ref, row=plan_row.row)))
        return False
    into.update(given)
    return True


def _add_row(by_ref: dict[str, CasePlan], number: int, values: dict, plan: Plan) -> None:
    """Add a row to its case's plan: a case's rows must agree; a measure is in the file once."""
    ref = values.pop("external_ref")
    split = {part: {key: value for key, value in values.items() if _part(key) == part}
             for part in (CASE, BACKGROUND, MEASURE)}
    plan_row = by_ref.get(ref)
    if plan_row is None:
        plan_row = by_ref[ref] = CasePlan(number, ref, None, split[CASE], split[BACKGROUND])
    elif not (_merge(plan_row, number, split[CASE], plan_row.values, plan)
              and _merge(plan_row, number, split[BACKGROUND], plan_row.background, plan)):
        return
    elif not split[MEASURE]:
        plan.problems.append(Problem(number, "sagsnummer", _(
            "Sagsnummeret %(ref)s står også i række %(row)s. Tag den ene række ud.", ref=ref, row=plan_row.row)))
        return
    if split[MEASURE]:
        measure = MeasurePlan(number, split[MEASURE])
        twin = next((m for m in plan_row.measures if m.key == measure.key), None)
        if twin is not None:
            plan.problems.append(Problem(number, "indsats", _(
                "Den samme indsats med samme start står også i række %(row)s. Tag den ene række ud.", row=twin.row)))
        else:
            plan_row.measures.append(measure)


def _part(field_name: str) -> str:
    return next(column.part for column in COLUMNS if column.field == field_name)


def _check_parts(by_ref: dict[str, CasePlan], plan: Plan) -> None:
    """Check each case's background and measures through their own services' rules."""
    ids = [row.case.id for row in by_ref.values() if row.case is not None]
    backgrounds = parts.current_backgrounds(ids) if any(row.background for row in by_ref.values()) else {}
    measures = parts.existing_measures(ids) if any(row.measures for row in by_ref.values()) else {}
    for plan_row in by_ref.values():
        case_id = plan_row.case.id if plan_row.case else None
        if plan_row.background:
            problems, changes = parts.check_background(plan_row.background, backgrounds.get(case_id))
            plan.problems += [Problem(plan_row.row, p.column, p.message) for p in problems]
            plan_row.changes += [Change(*change) for change in changes]
        for measure in plan_row.measures:
            problems = parts.check_measure(plan_row.case, measure, measures.get(case_id, []))
            plan.problems += [Problem(measure.row, p.column, p.message) for p in problems]
            plan.measures.append((plan_row, measure))
        for earlier, later in parts.overlapping_rows(plan_row.measures):
            plan.problems.append(Problem(later.row, "start", _(
                "Indsatsen løber på samme tid som indsatsen af samme slags i række %(row)s. To indsatser af samme "
                "slags kan ikke løbe på samme tid.", row=earlier.row)))


def check(table: Table) -> Plan:
    """Return what importing the table would do, with every problem by row and column."""
    plan = Plan(rows=len(table.rows))
    columns = _columns(table, plan)
    if plan.problems:
        return plan
    known = Known()
    by_ref: dict[str, CasePlan] = {}
    for number, cells in table.rows:
        values = _parse_row(number, cells, columns, known, plan)
        if values is not None:
            _add_row(by_ref, number, values, plan)
    existing = _existing(set(by_ref), plan, {ref: row.row for ref, row in by_ref.items()})
    for ref, plan_row in by_ref.items():
        plan_row.case = existing.get(ref)
        if plan_row.case is None:
            _check_new(plan_row, plan)
        _check_team(plan_row, plan)
        if plan_row.case is not None:
            plan_row.changes = _changes(plan_row.case, plan_row.values)
    _check_parts(by_ref, plan)
    for plan_row in by_ref.values():
        if plan_row.case is None:
            plan.new.append(plan_row)
        elif plan_row.changes:
            plan.changed.append(plan_row)
        elif not any(m.measure_id is None or m.changes for m in plan_row.measures):
            plan.unchanged += 1
        if plan_row.case is not None and (plan_row.changes or plan_row.measures):
            audit.read(plan_row.case.id, imported="check")  # the page shows the case's present values
    plan.problems.sort(key=lambda problem: (problem.row or 0))
    return plan


# --- applying ----------------------------------------------------------------------------------

class ImportFailed(Exception):
    """The import could not be stored; nothing of it was."""


def _create(plan_row: CasePlan) -> Case:
    values = plan_row.values
    case = cases.create_case(values["caseworker"], values["first_name"], values["birth_year"], plan_row.ref)
    audit.record("import.case", case.id, created=True)
    return case


def _update(plan_row: CasePlan) -> None:
    case, values = plan_row.case, plan_row.values
    if "team" in values:
        case.team_id = values["team"].id
    if "caseworker" in values:
        case.caseworker_id = values["caseworker"].id
    if "first_name" in values and case.child is not None:
        case.child.first_name = values["first_name"]
    if "birth_year" in values:
        case.child_birth_year = values["birth_year"]


def _audit_change(plan_row: CasePlan, plan: Plan) -> None:
    """One entry per existing case the import changes: which columns, and how many measures."""
    measures = [m for c, m in plan.measures_added + plan.measures_changed if c is plan_row]
    audit.record("import.case", plan_row.case.id, changed=[change.column for change in plan_row.changes],
                 measures=len(measures))


def _store(plan: Plan, user: User) -> None:
    new = {id(plan_row) for plan_row in plan.new}
    for plan_row in plan.new:
        plan_row.case = _create(plan_row)
    for plan_row in plan.changed:
        _update(plan_row)
    for plan_row in plan.new + plan.changed:
        if plan_row.background and (id(plan_row) in new or any(
                change.column in parts.BACKGROUND_HEADINGS for change in plan_row.changes)):
            parts.apply_background(plan_row.case, user, plan_row.background)
    touched: dict[int, CasePlan] = {}  # the existing cases the import changes, each once
    for plan_row in plan.changed + [c for c, m in plan.measures_added + plan.measures_changed]:
        if id(plan_row) not in new:
            touched.setdefault(id(plan_row), plan_row)
    for plan_row in touched.values():
        _audit_change(plan_row, plan)
    for plan_row, measure in plan.measures:
        try:
            parts.apply_measure(plan_row.case, user, measure)
        except ValueError as refused:  # a rule only the stored measures show: the service says which
            raise ImportFailed(_("Række %(row)s: %(message)s Intet fra filen er gemt.", row=measure.row,
                                 message=str(refused))) from refused
    db.session.flush()


def apply(table: Table, filename: str, user: User) -> Plan:
    """Check the table again and store all of it, or nothing: return the plan, with its problems if any."""
    plan = check(table)
    if not plan.ok or not plan.anything:
        return plan
    try:
        with db.session.begin_nested():
            _store(plan, user)
    except SQLAlchemyError as error:
        current_app.logger.warning("An import could not be stored: %s", type(error).__name__)
        raise ImportFailed(_("Importen kunne ikke gemmes, og intet fra filen er gemt. Prøv igen.")) from error
    audit.record("import.apply", None, file=filename[:120], rows=plan.rows, created=len(plan.new),
                 changed=len(plan.changed), unchanged=plan.unchanged, measures_added=len(plan.measures_added),
                 measures_changed=len(plan.measures_changed))
    return plan


# --- keeping the file for the confirm step ---------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def seal(table: Table, filename: str, user_id: int) -> str:
    """Return the checked table, signed for this administrator, to send back on confirming.

    Nothing of the file stays on the server between the check and the confirmation.
    """
    return _serializer().dumps({"user": user_id, "file": filename, "headings": table.headings, "rows": table.rows})


def unseal(sealed: str, user_id: int) -> tuple[str, Table]:
    """Return the file name and table sealed for this administrator, or refuse an old or altered one."""
    try:
        data = _serializer().loads(sealed or "", max_age=CONFIRM_MINUTES * 60)
    except BadData as error:
        raise FileRefused(_("Tjekket af filen gælder ikke længere. Vælg filen igen.")) from error
    if data.get("user") != user_id:
        raise FileRefused(_("Tjekket af filen gælder ikke længere. Vælg filen igen."))
    return data["file"], Table(data["headings"], [(number, cells) for number, cells in data["rows"]])
