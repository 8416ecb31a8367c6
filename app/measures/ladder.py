"""Read the intervention ladder (indsatstrappen) from its file, so the organisation can edit it as data.

The shipped file (forms/ladder/ladder.toml; LADDER_FILE in the configuration names another) is a
proposal the organisation confirms (app.measures.services.confirm_ladder). A file that breaks a
rule below raises LadderError, which stops start-up and fails `flask instruments validate`: a
measure must never be recorded on a ladder nobody can read.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from app.instruments import InstrumentError

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "forms" / "ladder" / "ladder.toml"
SOURCE_LANGUAGE = "da"
# Codes are stored with each measure: short, plain and stable.
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
NAME_LIMIT = 120
_LADDER_KEYS = {"proposal", "rung"}
_RUNG_KEYS = {"code", "position", "name", "placement", "network", "kind"}
_KIND_KEYS = {"code", "name"}


class LadderError(InstrumentError):
    """The ladder file is missing, unreadable or breaks a rule; the message names file and problem."""


@dataclass(frozen=True)
class Kind:
    """A kind of measure and the rung it sits on."""

    code: str
    names: dict[str, str]
    rung: str

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names[SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Rung:
    """One rung: its place from the bottom (1), whether it is a placement, and its kinds of measure."""

    code: str
    position: int
    names: dict[str, str]
    placement: bool
    network: bool
    kinds: tuple[Kind, ...]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names[SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Ladder:
    """The rungs, lowest first; whether the file calls itself a proposal; a digest of the file, so a
    confirmation holds for the file that was confirmed and not for a later edit of it."""

    rungs: tuple[Rung, ...]
    proposal: bool
    digest: str
    path: Path

    def rung(self, code: str | None) -> Rung | None:
        return next((r for r in self.rungs if r.code == code), None)

    def kind(self, code: str | None) -> Kind | None:
        return next((k for r in self.rungs for k in r.kinds if k.code == code), None)

    def position(self, rung_code: str | None) -> int | None:
        found = self.rung(rung_code)
        return found.position if found else None

    # The form registry (app.instruments.registry) asks every registered catalogue for forms by
    # id; the ladder holds none, and counts its rungs for `flask instruments validate`.
    def __contains__(self, form_id: object) -> bool:
        return False

    def get(self, form_id: str) -> None:
        return None

    def __len__(self) -> int:
        return len(self.rungs)


def _names(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise LadderError(f"{where}: name must be a table of texts by language, e.g. {{ da = \"…\", en = \"…\" }}")
    names = {lang: text.strip() for lang, text in value.items() if text.strip()}
    if SOURCE_LANGUAGE not in names:
        raise LadderError(f"{where}: name has no Danish text (da)")
    if any(len(text) > NAME_LIMIT for text in names.values()):
        raise LadderError(f"{where}: a name is longer than {NAME_LIMIT} characters")
    return names


def _code(value, where: str, seen: set[str]) -> str:
    if not isinstance(value, str) or not CODE.fullmatch(value):
        raise LadderError(f"{where}: code must be 1–40 of a-z, 0-9 and _, starting with a letter")
    if value in seen:
        raise LadderError(f"{where}: code '{value}' is used twice")
    seen.add(value)
    return value


def _unknown(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise LadderError(f"{where}: unknown key {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _flag(table: dict, key: str, where: str, default: bool | None = None) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise LadderError(f"{where}: {key} must be true or false")
    return value


def _rung(table, where: str, rung_codes: set[str], kind_codes: set[str], positions: set[int]) -> Rung:
    if not isinstance(table, dict):
        raise LadderError(f"{where}: a rung must be a table ([[rung]])")
    _unknown(table, _RUNG_KEYS, where)
    code = _code(table.get("code"), where, rung_codes)
    where = f"{where} '{code}'"
    position = table.get("position")
    if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= 99:
        raise LadderError(f"{where}: position must be a whole number from 1 to 99")
    if position in positions:
        raise LadderError(f"{where}: position {position} is used by another rung")
    positions.add(position)
    placement = _flag(table, "placement", where)
    network = _flag(table, "network", where, default=False)
    if network and not placement:
        raise LadderError(f"{where}: a network placement must also be a placement (placement = true)")
    kinds = table.get("kind")
    if not isinstance(kinds, list) or not kinds:
        raise LadderError(f"{where}: a rung needs at least one kind of measure ([[rung.kind]])")
    found = []
    for number, kind in enumerate(kinds, 1):
        kind_where = f"{where}, kind {number}"
        if not isinstance(kind, dict):
            raise LadderError(f"{kind_where}: a kind must be a table ([[rung.kind]])")
        _unknown(kind, _KIND_KEYS, kind_where)
        kind_code = _code(kind.get("code"), kind_where, kind_codes)
        found.append(Kind(kind_code, _names(kind.get("name"), f"{kind_where} '{kind_code}'"), code))
    return Rung(code, position, _names(table.get("name"), where), placement, network, tuple(found))


def parse_ladder(raw: bytes, path: Path) -> Ladder:
    """Return the ladder the file's bytes describe; raise LadderError naming the first problem."""
    where = str(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LadderError(f"{where}: not a readable TOML file ({error})") from None
    _unknown(data, _LADDER_KEYS, where)
    proposal = _flag(data, "proposal", where, default=False)
    tables = data.get("rung")
    if not isinstance(tables, list) or not tables:
        raise LadderError(f"{where}: no rungs ([[rung]])")
    rung_codes: set[str] = set()
    kind_codes: set[str] = set()
    positions: set[int] = set()
    rungs = [_rung(table, f"{where}: rung {number}", rung_codes, kind_codes, positions)
             for number, table in enumerate(tables, 1)]
    return Ladder(tuple(sorted(rungs, key=lambda r: r.position)), proposal, hashlib.sha256(raw).hexdigest(), path)


def load_ladder(path: Path) -> Ladder:
    """Read and check the ladder file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise LadderError(f"{path}: cannot read the ladder file ({error.strerror})") from None
    return parse_ladder(raw, Path(path))


def configured_file(app: Flask) -> Path:
    return Path(app.config.get("LADDER_FILE") or DEFAULT_FILE)


def check_ladder(ladder: Ladder, languages: Sequence[str]) -> list[str]:
    """Name every rung and kind without a name in one of the languages (they fall back to Danish)."""
    problems = []
    for rung in ladder.rungs:
        for item in (rung, *rung.kinds):
            problems += [f"{ladder.path}: '{item.code}' has no name in {lang}" for lang in languages
                         if lang not in item.names]
    return problems


def current_ladder() -> Ladder:
    """The ladder loaded at start-up."""
    return current_app.extensions["ladder"]
