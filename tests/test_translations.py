"""Every user-facing text exists in Danish (the source) and in every shipped translation.

The staff pages speak Config.LANGUAGES; the texts a respondent meets (the files
babel-respondent.cfg lists: their pages, e-mail and SMS, the printed sheet, their error
pages) speak every language of Config.RESPONDENT_LANGUAGES too (issue 18 item 1).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.config import Config

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [lang for lang in Config.LANGUAGES if lang != "da"]
RESPONDENT_ONLY = [lang for lang in Config.RESPONDENT_LANGUAGES if lang not in Config.LANGUAGES]


def _extract(tmp_path_factory, config: str) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    babel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(babel), "-q", "extract", "-F", config, "-k", "_l", "-k", "_plural:1,2", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.fixture(scope="module")
def source_texts(tmp_path_factory) -> set:
    return _extract(tmp_path_factory, "babel.cfg")


@pytest.fixture(scope="module")
def respondent_texts(tmp_path_factory) -> set:
    return _extract(tmp_path_factory, "babel-respondent.cfg")


def _catalogue(lang: str):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _missing(texts: set, lang: str) -> list:
    catalogue = _catalogue(lang)
    missing = []
    for msgid in texts:
        message = catalogue.get(msgid)
        strings = message and (message.string if isinstance(message.string, tuple) else (message.string,))
        if not message or message.fuzzy or not all(strings):
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    return sorted(missing)


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_text_is_translated(source_texts, lang):
    missing = _missing(source_texts, lang)
    assert missing == [], f"{lang}: {len(missing)} texts without translation"


@pytest.mark.parametrize("lang", RESPONDENT_ONLY)
def test_every_respondent_text_is_translated(respondent_texts, lang):
    missing = _missing(respondent_texts, lang)
    assert missing == [], f"{lang}: {len(missing)} respondent texts without translation: {missing[:5]}"


def test_the_respondent_texts_are_a_part_of_all_texts(source_texts, respondent_texts):
    # babel-respondent.cfg names files babel.cfg extracts too: nothing is checked only for respondents.
    assert respondent_texts and respondent_texts <= source_texts


@pytest.mark.parametrize("lang", SHIPPED + RESPONDENT_ONLY)
def test_translations_keep_their_placeholders(lang):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalogue(lang).check()]
    assert problems == []


@pytest.mark.parametrize("lang", RESPONDENT_ONLY)
def test_a_respondent_language_is_compiled(lang):
    # `make translations` compiles every catalogue in translations/ (pybabel compile -d).
    assert (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").is_file()
