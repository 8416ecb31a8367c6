"""The printed sheet in Arabic and Ukrainian, tagged for screen readers (issue 18 item 1).

The text is read back from the PDF the way a reader copies it (pdfium): Arabic comes out in
its shaped forms, which Unicode's compatibility normalisation (NFKC) folds back to its letters.
"""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from app.cases.models import Person
from app.extensions import db
from tests.factories import proposed_forms
from tests.qr import decode_pdf, pdf_pages_text

# The page's words in the reader's language, as babel-respondent.cfg's catalogues write them.
WORDS = {
    "ar": ["امسح الرمز بكاميرا هاتفك", "أو اكتب هذا الرابط في المتصفح", "هل تريد أن تخبرنا كيف تسير"],
    "uk": ["Відскануйте код камерою телефона", "Або напишіть це посилання в браузері",
           "Розкажете нам, як справи?"],
}


def _letters(text: str) -> str:
    """Return the text's letters only, in NFKC: the shaped Arabic forms folded to plain letters."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalpha())


def _handout(staff, make, caseworker, lang: str) -> bytes:
    ids = make.emma(caseworker, open_round=False)
    with staff.application.app_context():
        for person_id in ids.people.values():
            db.session.get(Person, person_id).language = lang
        db.session.commit()
    data = {f"person_{pid}": forms for pid, forms in proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text).items()}
    staff.post(f"/meetings/{ids.meeting}/feedback", data=data)
    round_id = int(re.search(r'/rounds/(\d+)"', staff.get(f"/cases/{ids.case}").text).group(1))
    response = staff.get(f"/rounds/{round_id}/handout.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_the_printed_sheet_is_in_the_readers_language_and_its_codes_still_scan(staff, make, caseworker, lang):
    pdf = _handout(staff, make, caseworker, lang)
    texts = pdf_pages_text(pdf)
    assert len(texts) == 5
    for text in texts:
        flat = _letters(text)
        for words in WORDS[lang]:
            # Right to left, a line may be read back in either order: its letters are all there.
            assert _letters(words) in flat or _letters(words)[::-1] in flat, (lang, words)
    assert all(len(codes) == 1 for codes in decode_pdf(pdf))


def test_the_printed_sheet_draws_arabic_with_a_font_that_has_its_letters(staff, make, caseworker):
    reader = PdfReader(io.BytesIO(_handout(staff, make, caseworker, "ar")))
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].get_object().values()}
    assert fonts and all("DejaVu" in font for font in fonts)


def test_every_pdf_is_tagged_for_screen_readers(staff, make, caseworker):
    reader = PdfReader(io.BytesIO(_handout(staff, make, caseworker, "uk")))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert str(root["/Lang"]) and reader.metadata.title == "Samstem"
