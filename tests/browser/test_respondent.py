"""The respondent's journey on a phone, in headless Chromium, and what the case worker sees of it."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Response
from tests.browser.chromium import LAPTOP, PHONE

pytestmark = pytest.mark.browser

OUTCOME, SESSION, NETWORK = "fit-outcome-child", "fit-session-child", "participation-network"
# Issue 11, item 8: a line left empty is asked for in the words of what the person sees.
WRITE_A_NUMBER = "Skriv et tal fra 0 til 10."  # without JavaScript: a number field
MOVE_THE_DOT = "Flyt prikken – også hvis du vil svare midt på linjen."  # with it: a line
UNKNOWN_TOKEN = "0123456789ABCDEFGHJKMNPQRS"  # well formed, never issued


# --- on the phone -------------------------------------------------------------------------

def line(page: Page, name: str) -> Locator:
    """Return the VAS line of a field name such as "fit-outcome-child.me" (JavaScript adds it)."""
    return page.locator(f'input[type=range][id="{name}-line"]')


def number_field(page: Page, name: str) -> Locator:
    """Return the number field of a VAS item: what is sent, with or without JavaScript."""
    return page.locator(f'input[name="{name}"]')


def tap_line(page: Page, name: str, fraction: float) -> str:
    """Tap a VAS line at a fraction of its width, as a finger would; return the value it took."""
    target = line(page, name)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    target.tap(position={"x": box["width"] * fraction, "y": box["height"] / 2})
    return target.input_value()


def near(value: str, fraction: float) -> bool:
    """Tell whether a line's value lies where the finger was (the thumb's width aside)."""
    return abs(float(value) - 10 * fraction) <= 1.0


def start(page: Page, base: str, token: str) -> None:
    """Open a personal link and tap Start."""
    response = page.goto(f"{base}/r/{token}")
    assert response is not None and response.status == 200
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url(f"**/r/{token}/form")


def send(page: Page, token: str) -> None:
    """Tap "Send mine svar" and wait for the thank-you page."""
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for dine svar!")


def vas_names(page: Page) -> list[str]:
    return page.locator("input.vas-number").evaluate_all("fields => fields.map(f => f.name)")


def questions(page: Page) -> dict[str, str]:
    """Return each VAS item's field name -> the question its label asks."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('input.vas-number')]
            .map(field => [field.name, field.labels[0].innerText.trim()]))"""
    )


def of_form(answered: dict[str, str], form_id: str, asked: dict[str, str]) -> dict[str, str]:
    """Return one form's answers as question -> value, as the case page lists them."""
    return {asked[name]: value for name, value in answered.items() if name.startswith(form_id + ".")}


# --- at the case worker's desk ------------------------------------------------------------

TOTAL = "Total (0–40, højere er bedre)"
MEAN = "Gennemsnit (1–5, højere er bedre)"


def open_latest_feedback(page: Page) -> None:
    """Open the case page's fold with the latest feedback round, shut until asked for (issue 10, item 13)."""
    if page.locator("#latest-feedback details[open]").count() == 0:
        page.locator("#latest-feedback summary").click()


def tables(page: Page, caption: str, word: bool = False) -> list[list[list[str]]]:
    """Return the tables whose caption holds this text (or this whole word: a form's id), as rows
    of cells the reader sees."""
    open_latest_feedback(page)
    found = page.evaluate(
        """([caption, word]) => [...document.querySelectorAll('table')]
            .filter(t => t.caption && (word ? t.caption.innerText.split(/\\s+/).includes(caption)
                                            : t.caption.innerText.split(/\\s+/).join(' ').includes(caption)))
            .map(t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))""",
        [caption, word],
    )
    assert found, f"no table {caption!r} on the case page"
    return found


def column(page: Page, form_id: str, first_name: str) -> dict[str, str]:
    """Return one respondent's column of a form's answers table: row heading -> cell."""
    [rows] = tables(page, form_id, word=True)
    for index, head in enumerate(rows[0]):
        if head.split("\n")[0] == first_name:
            return {row[0]: row[index] for row in rows[1:]}
    raise AssertionError(f"{first_name} has no column under {form_id}")


def status_of(page: Page, first_name: str) -> str:
    [rows] = tables(page, "Hvem har svaret")
    return next(row[3] for row in rows[1:] if row[0] == first_name)


def danish(value: str) -> str:
    """Write a line's value as a Danish reader sees it: one decimal, decimal comma."""
    return f"{float(value):.1f}".replace(".", ",")


def number(shown: str) -> Decimal:
    return Decimal(shown.replace(",", "."))


def assert_fit_column(shown: dict[str, str], answered: dict[str, str]) -> None:
    """Each question shows what the phone showed, and the total is the sum of what is shown."""
    values = {question: value for question, value in shown.items() if question not in (TOTAL, "Signaler")}
    assert values == {question: danish(value) for question, value in answered.items()}
    assert number(shown[TOTAL]) == sum((number(v) for v in values.values()), Decimal(0))


@pytest.fixture
def status_label(app):
    """Return the words the case page uses for a status (the labels' own wording)."""
    from app.labels import STATUS_LABELS

    def label(status: str) -> str:
        with app.test_request_context():
            return str(STATUS_LABELS[status])

    return label


def stored_answers(app, invitation_id: int) -> dict[str, tuple[dict, bool, str]]:
    """Return the current responses of an invitation: form id -> (answers, declined, language)."""
    with app.app_context():
        responses = db.session.scalars(
            select(Response).where(Response.invitation_id == invitation_id, Response.superseded_at.is_(None))
        ).all()
        return {r.instrument_id: (r.answers, r.declined, r.language) for r in responses}


# --- the tests ------------------------------------------------------------------------------

def test_child_taps_answers_and_case_worker_sees_them(
    app, live_server, phone, staff_page, status_label, make, caseworker
):
    ids = make.emma(caseworker)
    token = ids.tokens["child"]
    page = phone()

    page.goto(f"{live_server}/r/{token}")
    intro = page.locator("main")
    expect(intro).to_contain_text("Det er Anne Rådgiver, der læser dine svar.")
    expect(intro).to_contain_text("Du bestemmer selv, om du vil svare.")
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url(f"**/r/{token}/form")
    expect(page.get_by_role("heading", name="Hvordan har du det?")).to_be_visible()
    expect(page.get_by_role("heading", name="Hvordan var mødet?")).to_be_visible()

    names = vas_names(page)
    asked = questions(page)
    assert len(names) == 8
    fractions = [0.8, 0.3, 0.55, 0.9, 0.8, 0.65, 0.45, 0.7]
    answered = {}
    for name, fraction in zip(names, fractions, strict=True):
        value = tap_line(page, name, fraction)
        assert near(value, fraction), (name, fraction, value)
        # The number under the line is what the child chose, with a Danish decimal comma.
        expect(number_field(page, name)).to_have_value(danish(value))
        answered[name] = value
    send(page, token)

    stored = stored_answers(app, ids.invitations["child"])
    for form_id in (OUTCOME, SESSION):
        answers, declined, _ = stored[form_id]
        assert not declined
        assert answers == {name.split(".", 1)[1]: float(v) for name, v in answered.items() if name.startswith(form_id)}

    case = staff_page(ids.case)
    assert status_of(case, "Emma") == status_label("answered")
    assert_fit_column(column(case, OUTCOME, "Emma"), of_form(answered, OUTCOME, asked))
    assert_fit_column(column(case, SESSION, "Emma"), of_form(answered, SESSION, asked))


# Issue 10, item 1: without JavaScript a line is a number field that starts empty; what is
# typed is stored exactly (a Danish comma too), and a line nobody filled in is never 5.0.
MOTHER_TYPES = {
    f"{OUTCOME}.me": "6,7", f"{OUTCOME}.family": "3", f"{OUTCOME}.school": "10",
    f"{OUTCOME}.everything": "0", "fit-session.heard": "4.5", "fit-session.topics": "7,0",
    "fit-session.approach": " 8,1 ", "fit-session.overall": "9.9",
}


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_mother_answers_without_javascript(app, live_server, phone, staff_page, make, caseworker, viewport):
    ids = make.emma(caseworker)
    token = ids.tokens["mother"]
    page = phone(java_script_enabled=False, viewport=viewport)
    start(page, live_server, token)
    names = vas_names(page)
    assert sorted(names) == sorted(MOTHER_TYPES)
    assert page.locator("input[type=range]").count() == 0
    for name in names:  # nothing looks answered before it is
        expect(number_field(page, name)).to_have_value("")

    # One line filled in: the rest are asked for, and what was typed stays as typed.
    first = f"{OUTCOME}.me"
    number_field(page, first).fill("6,7")
    page.get_by_role("button", name="Send mine svar").click()
    expect(page.get_by_role("alert")).to_have_text("Der mangler noget. Se de markerede spørgsmål.")
    expect(number_field(page, first)).to_have_value("6,7")
    for name in names[1:]:
        expect(page.locator(f'[id="{name}-error"]')).to_have_text(WRITE_A_NUMBER)
        expect(number_field(page, name)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error")).to_have_count(len(names) - 1)
    assert stored_answers(app, ids.invitations["mother"]) == {}

    for name in names[1:]:
        number_field(page, name).fill(MOTHER_TYPES[name])
    send(page, token)
    stored = stored_answers(app, ids.invitations["mother"])
    answers = {f"{form_id}.{key}": value for form_id, (given, _, _) in stored.items() for key, value in given.items()}
    assert answers == {
        f"{OUTCOME}.me": 6.7, f"{OUTCOME}.family": 3.0, f"{OUTCOME}.school": 10.0,
        f"{OUTCOME}.everything": 0.0, "fit-session.heard": 4.5, "fit-session.topics": 7.0,
        "fit-session.approach": 8.1, "fit-session.overall": 9.9,
    }
    assert 5.0 not in answers.values()

    # The case worker reads what she typed (the rows are the forms' own wording, in order).
    case = staff_page(ids.case)
    for form_id in (OUTCOME, "fit-session"):
        shown = column(case, form_id, "Mette")
        values = [value for question, value in shown.items() if question not in (TOTAL, "Signaler")]
        typed = [danish(MOTHER_TYPES[name].replace(",", ".")) for name in names if name.startswith(form_id + ".")]
        assert values == typed
        assert number(shown[TOTAL]) == sum((number(v) for v in values), Decimal(0))


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_untouched_line_is_asked_for_and_nothing_is_lost(app, live_server, phone, make, caseworker, viewport):
    ids = make.emma(caseworker)
    token = ids.tokens["child"]
    page = phone(viewport=viewport)
    start(page, live_server, token)
    names = vas_names(page)
    skipped = f"{OUTCOME}.school"
    answered = {name: tap_line(page, name, 0.25 + 0.08 * i) for i, name in enumerate(names) if name != skipped}
    # Before an answer the line shows no dot and no number: nothing looks chosen (issue 10, item 1).
    assert "untouched" in (line(page, skipped).get_attribute("class") or "")
    expect(number_field(page, skipped)).to_have_value("")

    page.get_by_role("button", name="Send mine svar").tap()
    expect(page.get_by_role("alert")).to_have_text("Der mangler noget. Se de markerede spørgsmål.")
    assert page.url.endswith(f"/r/{token}/form")
    expect(page.locator(f'[id="{skipped}-error"]')).to_have_text(MOVE_THE_DOT)
    expect(number_field(page, skipped)).to_have_attribute("aria-describedby", f"{skipped}-error {skipped}-ends")
    expect(number_field(page, skipped)).to_have_accessible_description(f"{MOVE_THE_DOT} 0 er rigtig skidt, 10 er rigtig godt")
    expect(page.locator(".error")).to_have_count(1)
    assert "untouched" in (line(page, skipped).get_attribute("class") or "")
    # Every other line still holds its value, with its dot and its number (a decimal comma) showing.
    for name, value in answered.items():
        expect(line(page, name)).to_have_value(value)
        expect(line(page, name)).not_to_have_class("untouched")
        expect(number_field(page, name)).to_have_value(danish(value))
    assert stored_answers(app, ids.invitations["child"]) == {}

    # Dragging the line answers too; so does typing into the number, which moves the dot.
    target = line(page, skipped)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    answered[skipped] = target.input_value()
    assert near(answered[skipped], 0.6)
    expect(number_field(page, skipped)).to_have_value(danish(answered[skipped]))
    typed = f"{OUTCOME}.me"
    number_field(page, typed).fill("2,3")
    expect(line(page, typed)).to_have_value("2.3")
    send(page, token)
    answers, _, _ = stored_answers(app, ids.invitations["child"])[OUTCOME]
    assert answers["school"] == float(answered[skipped])
    assert answers["me"] == 2.3
    assert answers["family"] == float(answered[f"{OUTCOME}.family"])


def test_grandmother_taps_options_and_father_declines(
    app, live_server, phone, staff_page, status_label, make, caseworker
):
    ids = make.emma(caseworker)
    token = ids.tokens["network"]
    page = phone()
    start(page, live_server, token)
    expect(page.get_by_role("heading", name="Blev du hørt og taget med på råd?")).to_be_visible()

    choices = {
        "Jeg følte mig hørt og respekteret": "Helt enig",
        "Jeg kunne bidrage med det, jeg ville": "Enig",
        "Barnets egen mening blev taget alvorligt": "Helt enig",
        # Issue 11 item 5: "det, vi aftalte", not "planen".
        "Det, vi aftalte, kan lade sig gøre": "Hverken enig eller uenig",
        "Jeg bakker op om det, vi aftalte": "Enig",
        "Jeg ved, hvilken del af det, vi aftalte, der er min": "Ved ikke",
        "Jeg ved, hvad jeg selv har sagt ja til at gøre": "Helt enig",
    }
    for question, answer in choices.items():
        group = page.get_by_role("group", name=question)
        option = group.locator("label.option").filter(has=page.get_by_text(answer, exact=True))
        option.scroll_into_view_if_needed()
        option.tap()  # anywhere on the large label, not on the little circle
        expect(group.get_by_role("radio", name=answer, exact=True)).to_be_checked()
    comment = "Emma var glad for at være med.\nJeg henter hende om tirsdagen."
    page.get_by_label("Er der andet, du gerne vil sige til rådgiveren?").fill(comment)
    send(page, token)

    father = phone()
    father.goto(f"{live_server}/r/{ids.tokens['father']}")
    father.get_by_role("button", name="Jeg vil ikke svare").tap()
    father.wait_for_url(f"**/r/{ids.tokens['father']}/thanks")
    expect(father.locator("main")).to_contain_text("Vi har skrevet ned, at du ikke vil svare. Det er helt i orden.")

    case = staff_page(ids.case)
    assert status_of(case, "Grete") == status_label("answered")
    assert status_of(case, "Jonas") == status_label("declined") == "Vil ikke svare"
    assert status_of(case, "Mette") == status_label("waiting")
    grete = column(case, NETWORK, "Grete")
    assert grete["Jeg følte mig hørt og respekteret"] == "5 · Helt enig"
    assert grete["Jeg kunne bidrage med det, jeg ville"] == "4 · Enig"
    assert grete["Det, vi aftalte, kan lade sig gøre"] == "3 · Hverken enig eller uenig"
    assert grete["Jeg ved, hvilken del af det, vi aftalte, der er min"] == "Ved ikke"
    assert grete["Er der andet, du gerne vil sige til rådgiveren?"] == comment
    assert number(grete[MEAN]) == Decimal("4.3")  # 26 / 6: "Ved ikke" is left out of the mean
    jonas = column(case, OUTCOME, "Jonas")
    assert set(jonas.values()) - {""} == {"Vil ikke svare"}


def test_unknown_and_revoked_links_say_nothing_about_the_case(
    app, live_server, phone, staff_page, status_label, make, caseworker
):
    ids = make.emma(caseworker)
    revealing = ["Emma", "Anne", "Rådgiver", "Grete", app.config["ORGANISATION_NAME"]]

    def assert_dead_link(page: Page, url: str) -> None:
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
        text = page.locator("body").inner_text()
        for word in revealing:
            assert word not in text
        assert page.title() == "Samstem"

    page = phone()
    assert_dead_link(page, f"{live_server}/r/{UNKNOWN_TOKEN}")
    assert_dead_link(page, f"{live_server}/r/not-a-token")

    # Grete opens her link; the case worker revokes it before she answers.
    grete = phone()
    grete.goto(f"{live_server}/r/{ids.tokens['network']}")
    expect(grete.locator("main")).to_contain_text("Emma")
    case = staff_page(ids.case)
    open_latest_feedback(case)
    row = case.get_by_role("row").filter(has=case.get_by_role("cell", name="Grete", exact=True))
    row.get_by_role("link", name="Tilbagekald").click()
    case.get_by_role("button", name="Ja, tilbagekald linket").click()
    case.goto(f"{live_server}/cases/{ids.case}")
    assert status_of(case, "Grete") == status_label("revoked")

    grete.get_by_role("link", name="Start").tap()
    grete.wait_for_url("**/form")
    expect(grete.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
    assert "Emma" not in grete.locator("body").inner_text()
    assert_dead_link(grete, f"{live_server}/r/{ids.tokens['network']}")


def test_english_makes_the_pages_english(app, live_server, phone, make, caseworker):
    ids = make.emma(caseworker)
    token = ids.tokens["child"]
    page = phone()
    page.goto(f"{live_server}/r/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.get_by_role("link", name="English").tap()
    page.wait_for_url("**?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi!")
    expect(page.locator("main")).to_contain_text("You decide if you want to answer.")
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url(f"**/r/{token}/form")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="How are you doing?")).to_be_visible()
    expect(page.get_by_role("textbox", name="How do I feel about myself?")).to_be_visible()
    expect(page.get_by_role("slider", name="How do I feel about myself?")).to_be_visible()
    expect(page.get_by_role("button", name="I don't want to answer")).to_be_visible()
    text = page.locator("main").inner_text()
    for danish_words in ["Hvordan har du det?", "Rigtig skidt", "Send mine svar", "Jeg vil ikke svare"]:
        assert danish_words not in text
    # The choice holds for the rest of the visit: a missing answer is asked for in English.
    names = vas_names(page)
    for name in names[1:]:
        value = tap_line(page, name, 0.6)
        # English writes a decimal point (issue 10, item 11: the reader's own decimal mark).
        expect(number_field(page, name)).to_have_value(f"{float(value):.1f}")
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("alert")).to_have_text("Something is missing. Look at the marked questions.")
    expect(page.locator(f'[id="{names[0]}-error"]')).to_have_text(
        "Move the dot – even if you want to answer in the middle of the line.")
    # The line speaks English too: a decimal point and the ends in English (issue 11, item 9).
    expect(line(page, names[1])).to_have_attribute("aria-valuetext", re.compile(r"^\d+\.\d – 0 is \w"))
    tap_line(page, names[0], 0.6)
    page.get_by_role("button", name="Send my answers").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers!")
    stored = stored_answers(app, ids.invitations["child"])
    assert {language for _, _, language in stored.values()} == {"en"}


def test_pages_stay_on_the_server_and_load_at_most_three_requests(live_server, phone, make, caseworker):
    ids = make.emma(caseworker)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_server))
    loads: dict[str, list] = {}

    def load(page: Page, label: str, action) -> None:
        """Do what loads a page; keep the requests that load made."""
        before = len(phone.requests_of(page))
        action()
        page.wait_for_load_state("load")
        loads[label] = phone.requests_of(page)[before:]

    def cold_phone(**kwargs) -> Page:
        page = phone(**kwargs)
        # Routing turns Chromium's HTTP cache off: every load counts as a first visit.
        page.route("**/*", lambda route: route.continue_())
        return page

    child = cold_phone()
    token = ids.tokens["child"]
    load(child, "intro", lambda: child.goto(f"{live_server}/r/{token}"))
    load(child, "form", lambda: (child.get_by_role("link", name="Start").tap(), child.wait_for_url("**/form")))
    names = vas_names(child)
    for name in names[1:]:
        tap_line(child, name, 0.7)
    load(child, "form with a missing answer",
         lambda: (child.locator("button.send").tap(), expect(child.get_by_role("alert")).to_be_visible()))
    tap_line(child, names[0], 0.7)
    load(child, "thanks", lambda: (child.locator("button.send").tap(), child.wait_for_url("**/thanks")))

    father = cold_phone()
    father_token = ids.tokens["father"]
    load(father, "intro (parent)", lambda: father.goto(f"{live_server}/r/{father_token}"))
    load(father, "declined thanks",
         lambda: (father.get_by_role("button", name="Jeg vil ikke svare").tap(), father.wait_for_url("**/thanks")))

    network = cold_phone(java_script_enabled=False)
    load(network, "form (network, no JS)", lambda: network.goto(f"{live_server}/r/{ids.tokens['network']}/form"))

    stranger = cold_phone()
    load(stranger, "dead link", lambda: stranger.goto(f"{live_server}/r/{UNKNOWN_TOKEN}"))
    load(stranger, "code",
         lambda: (stranger.get_by_role("link", name="Skriv den her").tap(), stranger.wait_for_url("**/code")))
    stranger.locator("input[name=code]").fill("ABCD-EFGH")
    load(stranger, "code, mistyped",
         lambda: (stranger.get_by_role("button", name="Videre").tap(),
                  expect(stranger.locator("#code-error")).to_be_visible()))

    assert all(loads.values()), "a page load made no request at all"
    for request in phone.requests:
        assert request.url.startswith(origin + "/"), f"a request left the server: {request.url}"
    too_many = {label: [r.url for r in requests] for label, requests in loads.items() if len(requests) > 3}
    assert not too_many
