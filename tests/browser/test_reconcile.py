"""Issue 3 in Chromium: a case worker reconciles a round with one child, two parents and a
provider, records a decision that plans a follow-up meeting, and takes the report away as
a PDF and as text for the case system.

One journey, as the case worker walks it; each step is a helper that says what she notices.
"""

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import axe_playwright_python
import pypdf
import pytest
from flask_babel import format_date
from flask_login import login_user
from playwright.sync_api import Page, expect

from app.auth.models import User
from app.cases import services as cases
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import Invitation
from tests.factories import EMMA_ROUND, SESSION_CHILD_KEYS, SESSION_KEYS, CaseIds, vas
from tests.qr import pdf_pages_text

pytestmark = pytest.mark.browser

OUTCOME = "fit-outcome-child"
RESPONDENTS = ("Emma", "Mette", "Jonas", "Lise")  # child, mother, father, provider
LISE_SAYS = "Emma er glad for sin nye lærer.\nAftenerne er stadig svære, siger mor."
DECISION = "Skolen inddrages, og Emma får en samtale med rådgiveren hver 14. dag."
# Another family in the same municipality: none of them may leak into Emma's papers.
STRANGERS = ("Noah", "Sara", "Bo Kollega")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every blocked resource fires this event; the binding carries it out of the page, across navigations.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation',
    event => window.samstemViolation(event.violatedDirective + ' ' + event.blockedURI));
"""
# Colours staff.css gives a signal's background: the colour is there, beside the words.
SIGNAL_BACKGROUNDS = {"green": "rgb(228, 244, 232)", "orange": "rgb(252, 239, 224)", "red": "rgb(251, 227, 230)"}
CHART_LINE = "rgb(31, 78, 121)"  # set only by the chart's own <style>, which needs the nonce
# What a PDF for the case file may never hold: links out, scripts, attachments, forms, actions.
UNSAFE_PDF_KEYS = {
    "/URI", "/Launch", "/GoToR", "/GoToE", "/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles",
    "/FileAttachment", "/RichMedia", "/SubmitForm", "/ImportData", "/OpenAction", "/AA", "/AcroForm", "/XFA",
    "/Annots",
}


# --- the data: Emma's case, as the factory builds it --------------------------------------------

def participation(*scores: int, comment: str) -> dict:
    """The participation form, six agreements (1–5) and a free-text comment."""
    keys = ("heard_respected", "contributed", "childs_view", "plan_realistic", "backs_plan", "own_part")
    return {**dict(zip(keys, scores, strict=True)), "comment": comment}


def emma_with_two_rounds(app, make, caseworker: int) -> CaseIds:
    """A network meeting two months ago and one today; the same four answered both times.

    The grandmother's invitation to today's round is revoked, so today's round really is
    one child, two parents and a provider.
    """
    ids = make.emma(caseworker)
    make.earlier_round(ids, date.today() - timedelta(days=60), {
        "child": {OUTCOME: vas(5, 5, 5, 5), "fit-session-child": vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS)},
        "mother": {OUTCOME: vas(6, 6, 6, 6), "fit-session": vas(9.5, 9.5, 9.5, 9.5, keys=SESSION_KEYS)},
        "father": {OUTCOME: vas(5, 5, 5, 5), "fit-session": vas(9, 9, 9, 9, keys=SESSION_KEYS)},
        "provider": {"participation-adult": participation(4, 4, 3, 4, 4, 4, comment="Godt første møde.")},
    }, kind="network_meeting", forms=EMMA_ROUND)
    # Emma is doing better; her mother sees it the other way round: a divergence, and signals.
    make.answer(ids.invitations["child"], {OUTCOME: vas(7, 8, 9, 8), "fit-session-child": vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS)})
    make.answer(ids.invitations["mother"], {OUTCOME: vas(3, 4, 2, 5), "fit-session": vas(9, 8.5, 9, 9, keys=SESSION_KEYS)})
    make.answer(ids.invitations["father"], {OUTCOME: vas(5, 5, 5.5, 5), "fit-session": vas(9, 9, 9, 9, keys=SESSION_KEYS)})
    make.answer(ids.invitations["provider"], {"participation-adult": participation(5, 4, 2, 3, 4, 5, comment=LISE_SAYS)})
    with app.test_request_context():
        login_user(db.session.get(User, caseworker))
        rounds.revoke(db.session.get(Invitation, ids.invitations["network"]))
        db.session.commit()
    return ids


def someone_elses_case(app, make) -> None:
    """Noah's case on another team, with an answered round: names that must stay out of Emma's."""
    colleague = make.user("bo", team=make.team("Team Syd"), name="Bo Kollega")
    with app.test_request_context():
        user = db.session.get(User, colleague)
        login_user(user)
        case = cases.create_case(user, "Noah", date.today().year - 8, None)
        mother = cases.save_person(case, None, {"role": "mother", "first_name": "Sara", "relation": "mor", "language": "da"})
        meeting = cases.record_meeting(case, "follow_up", date.today(), [case.child.id, mother.id])
        choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
        round_, _ = rounds.open_round(meeting, user, choices)
        db.session.commit()
        saras = next(i.id for i in round_.invitations if i.person_id == mother.id)
    make.answer(saras, {OUTCOME: vas(1, 1, 1, 1), "fit-session": vas(2, 2, 2, 2, keys=SESSION_KEYS)})


def shown(app, day: date, pattern: str = "medium") -> str:
    """A date as the Danish pages write it, e.g. "22. nov. 2026"."""
    with app.test_request_context():
        return format_date(day, pattern)


# --- what the browser tells us -------------------------------------------------------------------

def watch_for_page_errors(page: Page) -> list[str]:
    """Collect console errors, script errors and CSP violations from here on, on every page."""
    problems: list[str] = []

    def console(message) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text} {message.location.get('url', '')}".strip())

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.expose_function("samstemViolation", lambda what: problems.append(f"CSP: {what}"))
    page.add_init_script(REPORT_VIOLATIONS)
    return problems


def settle(page: Page) -> None:
    """Let queued violation events fire before looking at what was collected."""
    page.evaluate("() => new Promise(requestAnimationFrame)")


def table_rows(page: Page, form_id: str) -> list[list[str]]:
    """The answers table of one form, as rows of cells the reader sees."""
    return page.evaluate(
        """id => [...document.querySelectorAll('table.answers')]
            .filter(t => t.caption.innerText.includes(id))
            .map(t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim())))[0]""",
        form_id,
    )


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def axe_violations(page: Page) -> list[tuple[str, str]]:
    """Run axe-core (WCAG 2.2 A and AA) in the page, without a request and under the page's CSP;
    return (rule, element) for every violation."""
    page.evaluate((files(axe_playwright_python) / "axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["passes"], "axe-core checked nothing"
    found = [(v["id"], " ".join(node["target"])) for v in result["violations"] for node in v["nodes"]]
    return found


# --- the steps -------------------------------------------------------------------------------------

def open_todays_round(page: Page, today: str) -> None:
    """From the case page, through everything new, to today's round alone."""
    expect(page.locator("#waiting .callout")).to_contain_text("2 runder venter på, at du tager stilling.")
    page.get_by_role("link", name="Se alt nyt siden sidste beslutning").click()
    page.wait_for_url("**/cases/*/reconcile")
    # Both undecided rounds are shown, oldest first; she narrows it to today's meeting.
    today_section = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(re.escape(today))))
    today_section.get_by_role("link", name="Kun denne runde").click()
    page.wait_for_url("**/rounds/*/reconcile")


def see_every_voice(page: Page, last_time: str) -> None:
    """Every voice side by side, each with where they were last time."""
    heads = page.locator("table.answers thead th").all_inner_texts()
    for name in RESPONDENTS:
        head = next(squeezed(h) for h in heads if h.startswith(name))
        assert f"Sidst: {last_time}" in head, head

    outcome = table_rows(page, OUTCOME)
    assert [c.split(" ")[0] for c in outcome[0][1:4]] == ["Emma", "Mette", "Jonas"]
    school = next(row for row in outcome if row[0] == "Hvordan går det i skolen?")
    assert school[1:4] == ["9,0 Sidst: 5,0", "2,0 Sidst: 6,0", "5,5 Sidst: 5,0"]
    # Divergence is marked and named, never averaged away.
    assert school[4] == "Uenige: 7,0 fra hinanden Højest: Emma (9,0) Lavest: Mette (2,0)"
    expect(page.locator("tr.diverges")).to_have_count(3)
    total = next(row for row in outcome if row[0].startswith("Total"))
    assert total[1:4] == ["32,0 Sidst: 20,0", "14,0 Sidst: 24,0", "20,5 Sidst: 20,0"]

    # The provider's comment in full, line break and all.
    comment = page.locator("table.answers td.text").filter(has_text="Emma er glad for sin nye lærer.")
    assert comment.inner_text().startswith(LISE_SAYS)
    expect(comment).to_contain_text("Sidst: Godt første møde.")


def see_signals_in_words_and_colour(page: Page) -> None:
    """Each FIT signal says what it means, and carries its colour beside the words."""
    signals = page.locator("tr.signals span.signal")
    found = signals.evaluate_all(
        "spans => spans.map(s => [s.classList[1], s.innerText.trim(), getComputedStyle(s).backgroundColor])"
    )
    words = {(level, text) for level, text, _ in found}
    assert ("green", "Grøn: Kommet sig: pålidelig fremgang siden første måling (+12,0) og nu over grænsen.") in words
    assert ("red", "Rød: Pålidelig tilbagegang siden første måling (−10,0; pålidelig fra 5,0).") in words
    assert ("orange", "Orange: Under den kliniske grænse (14,0 under 32,0): det er svært lige nu.") in words
    assert ("orange", "Orange: Mødet fik 35,5, under 36,0: tal om samarbejdet.") in words
    for level, text, background in found:
        assert text.startswith({"green": "Grøn", "orange": "Orange", "red": "Rød", "grey": "Grå"}[level])
        if level in SIGNAL_BACKGROUNDS:
            assert background == SIGNAL_BACKGROUNDS[level], (level, text, background)


def see_trend_charts(page: Page) -> None:
    """Charts drawn inline, named for screen readers, and styled through the CSP nonce."""
    charts = page.locator("figure.trend svg[role=img]")
    # Two forms each for Emma, Mette and Jonas; the provider's form is not FIT and has none.
    expect(charts).to_have_count(6)
    for chart in charts.all():
        expect(chart).to_have_attribute("aria-label", re.compile(r"^\w+: 2 målinger, .* Højere er bedre\.$"))
    emma = page.get_by_role("img", name=re.compile(r"^Emma: 2 målinger, fra 20,0 .* til 32,0 .*Klinisk grænse: 32,0"))
    expect(emma).to_be_visible()
    expect(emma).to_contain_text("Emma · Hvordan har du det?")
    # The chart's <style> has the page's nonce, so its styles apply: the line is dark blue.
    styled = page.evaluate(
        """() => [...document.querySelectorAll('figure.trend svg')].map(svg => ({
            nonce: [...svg.querySelectorAll('style')].every(s => s.nonce.length > 0),
            line: getComputedStyle(svg.querySelector('.plot .series.serie-0 path')).stroke}))"""
    )
    assert styled and all(s["nonce"] and s["line"] == CHART_LINE for s in styled), styled


def submit_empty_then_decide(page: Page, follow_up_on: date, accessible: dict[str, list]) -> None:
    """An empty decision is refused with reasons; then she decides on action and a follow-up."""
    save = page.get_by_role("button", name="Gem beslutningen og luk runden")
    save.click()
    form = page.locator("form.decision-form")
    expect(form).to_contain_text("Vælg, om det giver anledning til handling eller ej.")
    expect(form).to_contain_text("Svar, om der er brug for et nyt opfølgningsmøde.")
    expect(form.locator(".field.has-error")).to_have_count(2)
    accessible["with errors"] = axe_violations(page)

    page.get_by_label("Det giver anledning til handling", exact=True).check()
    page.get_by_label("Hvilken handling?").fill(DECISION)
    page.get_by_label("Ja, planlæg et opfølgningsmøde").check()
    page.get_by_label("Dato for opfølgningsmødet").fill(follow_up_on.isoformat())
    save.click()
    page.wait_for_url("**/rounds/*/reconcile")


def see_the_decision(page: Page, follow_up_on: str) -> None:
    """The decision is confirmed and shown with who made it and the follow-up's date."""
    expect(page.locator(".flash")).to_have_text("Beslutningen er gemt, og opfølgningsmødet er oprettet.")
    decision = page.locator("ol.decisions li.decision")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("Giver anledning til handling")
    expect(decision).to_contain_text("Anne Rådgiver")
    expect(decision.locator(".decision-text")).to_have_text(DECISION)
    expect(decision).to_contain_text(f"Nyt opfølgningsmøde: {follow_up_on}")
    # The round is closed: the form is gone, only a correction is possible.
    expect(page.get_by_role("button", name="Gem beslutningen og luk runden")).to_have_count(0)


def see_the_planned_follow_up(page: Page, follow_up_on: str) -> None:
    """Back on the case page the follow-up meeting is listed as planned, on the chosen day."""
    page.get_by_role("link", name="← Emma").click()
    page.wait_for_url("**/cases/*")
    planned = page.locator("ul.meetings li").filter(has_text=f"Opfølgningsmøde {follow_up_on}")
    expect(planned).to_have_count(1)
    expect(planned.locator(".badge")).to_have_text("Planlagt")
    expect(planned).to_contain_text("Emma, Mette, Jonas, Grete, Lise")
    # Only the round of two months ago still waits.
    expect(page.locator("#waiting .callout")).to_contain_text("1 runde venter på, at du tager stilling.")


def download_the_report(page: Page) -> bytes:
    """Click "Hent rapport (PDF)": the browser saves the file, as the case worker would."""
    with page.expect_download() as started:
        page.get_by_role("link", name="Hent rapport (PDF)").click()
    download = started.value
    assert re.fullmatch(r"samstem-rapport-\d+\.pdf", download.suggested_filename)
    return Path(download.path()).read_bytes()


def pdf_text(pdf: bytes) -> tuple[int, str]:
    """Return the page count and the words on all pages, as pdfium reads them."""
    pages = pdf_pages_text(pdf)
    return len(pages), " ".join(pages)


def unsafe_pdf_parts(pdf: bytes) -> list[str]:
    """Walk every object of the PDF; return links, scripts, attachments, raster or outside
    images, and fonts that are not embedded."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    fonts: list[str] = []

    def walk(node, path: str) -> None:
        if isinstance(node, pypdf.generic.IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                return
            seen.add(key)
            node = node.get_object()
        if isinstance(node, dict):
            for name, value in node.items():
                if name in UNSAFE_PDF_KEYS:
                    found.append(f"{path}{name}")
                if name == "/Subtype" and value == "/Image":
                    found.append(f"{path}: a raster image")
                if name == "/Type" and value == "/Filespec":
                    found.append(f"{path}: a file reference")
                if name == "/FontDescriptor":
                    fonts.append(path)
                    if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(value.get_object()):
                        found.append(f"{path}: a font that is not embedded")
                if name != "/Parent":
                    walk(value, f"{path}{name}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(reader.trailer, "")
    for number, page in enumerate(reader.pages, start=1):
        resources = page["/Resources"]
        # WeasyPrint also writes graphics states, colour spaces and (empty) patterns; all inert.
        extra = set(resources) - {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/ProcSet"}
        if extra:
            found.append(f"page {number}: resources {sorted(extra)}")
        for name, xobject in resources.get("/XObject", {}).items():
            if xobject.get_object()["/Subtype"] != "/Form":
                found.append(f"page {number}: {name} is not a form XObject")
        if not resources.get("/Font"):
            found.append(f"page {number}: no fonts")
    if not fonts:
        found.append("no font descriptor found: the walk saw nothing")
    return found


def check_the_report(pdf: bytes, today: str, last_time: str, follow_up_on: str) -> None:
    """The PDF for the case file says what the screen said, and holds nothing but itself."""
    assert pdf.startswith(b"%PDF-")
    pages, text = pdf_text(pdf)
    assert pages >= 1
    expected = [
        "Emma, født", "Anne Rådgiver", *RESPONDENTS, f"Netværksmøde {today}",
        # every voice beside its previous answer
        f"Sidst: {last_time}", "9,0 Sidst: 5,0", "2,0 Sidst: 6,0", "5,5 Sidst: 5,0", "32,0 Sidst: 20,0",
        # the divergence, by name
        "Uenige: 7,0 fra hinanden Højest: Emma (9,0) Lavest: Mette (2,0)",
        # signals in words
        "Grøn: Kommet sig: pålidelig fremgang siden første måling (+12,0) og nu over grænsen.",
        "Rød: Pålidelig tilbagegang siden første måling (−10,0; pålidelig fra 5,0).",
        "Orange: Under den kliniske grænse (14,0 under 32,0)",
        # the provider's comment, in full
        squeezed(LISE_SAYS), "Sidst: Godt første møde.",
        # the decision and the follow-up
        "Giver anledning til handling", squeezed(DECISION), f"Nyt opfølgningsmøde: {follow_up_on}",
        # the charts, drawn as vector text: titles, the direction, the cut-off, and the text alternative
        "Emma · Hvordan har du det?", "Mette · Hvordan har du det?", "Jonas · Hvordan var mødet?",
        "Højere er bedre", "Klinisk grænse", "Emma: 2 målinger, fra 20,0",
    ]
    missing = [words for words in expected if words not in text]
    assert not missing, missing
    assert not [name for name in STRANGERS if name in text]
    assert unsafe_pdf_parts(pdf) == []


def copy_text_for_the_case_system(page: Page, live_server: str, accessible: dict[str, list]) -> str:
    """"Tekst til fagsystemet": one click copies the summary to the clipboard."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.get_by_role("link", name="Tekst til fagsystemet").click()
    page.wait_for_url("**/rounds/*/summary")
    page.get_by_role("button", name="Kopiér teksten").click()
    expect(page.locator(".copy-status")).to_have_text("Kopieret")
    text = page.get_by_label("Teksten").input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == text
    accessible["text for the case system"] = axe_violations(page)
    return text


def check_the_summary(text: str, follow_up_on_long: str) -> None:
    """The plain text says the same as the report: who answered, the disagreement, the decision."""
    assert "Barn: Emma" in text and "Rådgiver: Anne Rådgiver" in text
    for name in RESPONDENTS:
        assert f"{name} (" in text
    assert ", Anne Rådgiver: Giver anledning til handling" in text
    assert f"  {DECISION}\n" in text
    assert f"Nyt opfølgningsmøde: {follow_up_on_long}" in text
    assert "højest Emma (9,0), lavest Mette (2,0)" in text
    assert not [name for name in STRANGERS if name in text]


def father_opens_his_link_again(phone: Callable[..., Page], live_server: str, token: str) -> None:
    """The round is closed: the father's link only thanks him and says so."""
    page = phone()
    response = page.goto(f"{live_server}/r/{token}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak")
    expect(page.locator("main")).to_contain_text("Du kan ikke længere svare eller rette her.")
    expect(page.locator("form")).to_have_count(0)


# --- the journey ----------------------------------------------------------------------------------

def test_case_worker_reconciles_decides_and_takes_the_report(app, live_server, desk, staff_page, phone, make, caseworker):
    emma = emma_with_two_rounds(app, make, caseworker)
    someone_elses_case(app, make)
    today, last_time = shown(app, date.today()), shown(app, date.today() - timedelta(days=60))
    follow_up_day = date.today() + timedelta(days=30)
    follow_up_on = shown(app, follow_up_day)
    problems = watch_for_page_errors(desk)

    page = staff_page(emma.case)
    open_todays_round(page, today)
    see_every_voice(page, last_time)
    see_signals_in_words_and_colour(page)
    see_trend_charts(page)
    assert not [name for name in STRANGERS if name in page.locator("main").inner_text()]
    settle(page)
    assert problems == []  # no CSP violation, no script error, on the case page and both reconciliations
    accessible = {"before the decision": axe_violations(page)}

    submit_empty_then_decide(page, follow_up_day, accessible)
    see_the_decision(page, follow_up_on)
    accessible["after the decision"] = axe_violations(page)
    # The refused empty form came back as 400 Bad Request, which Chromium logs; nothing else.
    assert problems == [f"console: Failed to load resource: the server responded with a status of 400 (BAD REQUEST) {page.url}"]
    problems.clear()

    see_the_planned_follow_up(page, follow_up_on)
    # Today's meeting now links to its closed round, whatever the link is called.
    page.locator("ul.meetings li").filter(has_text=f"Netværksmøde {today}").locator('a[href$="/reconcile"]').click()
    page.wait_for_url("**/rounds/*/reconcile")

    check_the_report(download_the_report(page), today, last_time, follow_up_on)
    check_the_summary(copy_text_for_the_case_system(page, live_server, accessible), shown(app, follow_up_day, "d. MMMM yyyy"))
    settle(page)
    # Chromium's PDF viewer asks for /favicon.ico, which Samstem does not serve.
    assert [p for p in problems if not p.endswith("/favicon.ico")] == []
    assert {page_name: found for page_name, found in accessible.items() if found} == {}

    father_opens_his_link_again(phone, live_server, emma.tokens["father"])
