"""Every user-facing text exists in Danish (the source) and in every shipped translation."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.config import Config

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [lang for lang in Config.LANGUAGES if lang != "da"]


@pytest.fixture(scope="module")
def source_texts(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    babel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(babel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "_plural:1,2", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_text_is_translated(source_texts, lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing = []
    for msgid in source_texts:
        message = catalogue.get(msgid)
        strings = message and (message.string if isinstance(message.string, tuple) else (message.string,))
        if not message or message.fuzzy or not all(strings):
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    assert missing == [], f"{lang}: {len(missing)} texts without translation"


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_their_placeholders(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []
