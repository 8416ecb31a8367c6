"""`flask instruments validate`, run through Flask's CLI test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app import indicators
from app.instruments import init_app
from app.instruments.cli import instruments_cli

FORMS = Path(__file__).resolve().parents[1] / "forms"
BROKEN = Path(__file__).resolve().parent / "broken_forms"


def _app(directory: Path) -> Flask:
    app = Flask(__name__)
    app.config["INSTRUMENTS_DIR"] = directory
    # A broken directory stops init_app, so the command is registered by hand here.
    app.cli.add_command(instruments_cli)
    return app


def test_validate_passes_on_the_shipped_forms() -> None:
    """DESIGN.md §4: validate prints a summary and exits 0 when every file and text is there."""
    app = Flask(__name__)
    init_app(app)
    # The engine checks every catalogue an area registered with it: here the indicator forms.
    indicators.init_app(app)
    result = app.test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "OK: 12 instruments, 6 indicator forms, languages da, en, ar, uk\n"


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("scale-without-points", "fit-session.toml: item 'heard': scale needs 'points'"),
        ("duplicate-id", "b-second.toml: id 'same-id' is already used by"),
        ("toml-syntax", "toml-syntax.toml: not valid TOML"),
        # Issue 11 "Tests": a form sent to a reader without words of their own (item 4: the
        # follow-up form written for adults, sent to children from 6) ...
        ("missing-reader-wording", "participation-follow-up.toml: it is sent to children up to 12, but its texts "
         "are written for adults: no child.intro, item 'still_backs': child.text, item 'still_backs': "
         "child.labels, item 'plan_helped': child.text, item 'plan_helped': child.labels\n"),
        ("missing-reader-wording", "participation-follow-up.toml: it is sent to young people of 13 or more, but "
         "its texts are written for adults: no youth.intro, item 'still_backs': youth.text, item 'plan_helped': "
         "youth.text\n"),
        ("no-wording", "see-happen.toml: 'wording' is missing: say whom the plain texts are written for"),
        # ... and ends written by hand that disagree with the one shared pair (item 11).
        ("hand-written-ends", "fit-outcome-child.toml: item 'me': its ends 'Meget ked af det' … 'Rigtig godt' "
         "speak of bad and good: write ends = \"shared\" to use the one shared pair\n"),
    ],
)
def test_validate_fails_on_a_broken_directory(case: str, problem: str) -> None:
    """Brief: validate prints the problem and exits 1 (INSTRUMENTS_DIR points at a broken directory)."""
    result = _app(BROKEN / case).test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert problem in result.output
    assert "OK" not in result.output


def test_validate_fails_on_a_missing_translation(tmp_path: Path) -> None:
    """DESIGN.md §4: validate fails when any shipped language is missing a text."""
    text = (FORMS / "fit-session.toml").read_text(encoding="utf-8").replace('high.en = "Completely"\n', "", 1)
    (tmp_path / "fit-session.toml").write_text(text, encoding="utf-8")
    result = _app(tmp_path).test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'fit-session.toml'}: item 'heard': labels: no 'en' text\n"


def test_validate_can_check_another_directory() -> None:
    """Decision: an administrator can check new files before they replace forms/."""
    runner = _app(FORMS).test_cli_runner()
    result = runner.invoke(args=["instruments", "validate", "--directory", str(BROKEN / "missing-id")])
    assert result.exit_code == 1
    assert "no-id.toml: 'id' is missing" in result.output
