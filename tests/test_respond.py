"""The respondent's pages through the Flask client: every answer, refusal and bad input."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.timestamps import utcnow
from app.tokens import typed_code

CHILD_FORM = {
    **{f"fit-outcome-child.{k}": v for k, v in [("me", "7.5"), ("family", "6"), ("school", "8,2"), ("everything", "7")]},
    **{f"fit-session-child.{k}": v for k, v in [("listened", "9"), ("mattered", "9.5"), ("liked", "10"), ("overall", "9")]},
}
NETWORK_FORM = {f"participation-network.{k}": "4" for k in
                ["heard_respected", "contributed", "childs_view", "plan_realistic", "backs_plan", "own_part"]} | {
    "participation-network.own_tasks": "dont_know", "participation-network.comment": "Godt møde. Jeg henter Emma om tirsdagen."}


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


@pytest.fixture
def visitor(app):
    """A phone that has never logged in."""
    return app.test_client()


def _shown(html: str, name: str) -> str:
    """Return the value a VAS number field shows on the page."""
    return re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html).group(1)


def _current(app, invitation_id: int) -> list[Response]:
    with app.app_context():
        return db.session.scalars(
            select(Response).where(Response.invitation_id == invitation_id, Response.superseded_at.is_(None))
        ).all()


def test_intro_says_who_asks_who_reads_that_it_is_voluntary_and_how_long(visitor, emma):
    adult = visitor.get(f"/r/{emma.tokens['mother']}").text
    assert "Anne Rådgiver fra Samstem Kommune vil gerne høre, hvordan det går med Emma" in adult
    assert "Hvem læser svarene? Anne Rådgiver" in adult
    assert "Det er frivilligt at svare." in adult
    assert re.search(r"Det tager cirka \d+ minutter", adult)
    child = visitor.get(f"/r/{emma.tokens['child']}").text
    assert "Hej!" in child and "Du bestemmer selv, om du vil svare." in child


@pytest.mark.parametrize("role", ["child", "mother", "network"])
def test_respondent_pages_reveal_nothing_beyond_first_name_worker_and_organisation(visitor, emma, role):
    token = emma.tokens[role]
    intro, form = visitor.get(f"/r/{token}"), visitor.get(f"/r/{token}/form")
    # The pages themselves, not an error page that would reveal nothing anyway.
    assert intro.status_code == 200 and "Anne Rådgiver" in intro.text
    assert form.status_code == 200 and f'action="/r/{token}/form"' in form.text
    for page in (intro, form):
        for private in ["Sag-Ø-17", "mormor", "familiebehandler", "Jonas", "Grete", "Lise"]:
            assert private not in page.text, private


def test_opening_the_link_marks_it_opened(visitor, emma, app):
    visitor.get(f"/r/{emma.tokens['child']}")
    with app.app_context():
        assert db.session.get(Invitation, emma.invitations["child"]).opened_at is not None


def test_child_answers_and_sees_thanks(visitor, emma, app):
    response = visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM)
    assert response.status_code == 302
    thanks = visitor.get(response.headers["Location"]).text
    assert "Tak for dine svar!" in thanks
    current = {r.instrument_id: r.answers for r in _current(app, emma.invitations["child"])}
    assert current["fit-outcome-child"] == {"me": 7.5, "family": 6.0, "school": 8.2, "everything": 7.0}
    assert current["fit-session-child"]["mattered"] == 9.5


def test_a_line_starts_empty_and_is_never_sent_as_a_middle_value(visitor, emma):
    """Issue 10, item 1: a native range input always sends a value (5 when untouched), so a
    line is a number field that starts empty; one decimal, a comma accepted."""
    page = visitor.get(f"/r/{emma.tokens['child']}/form").text
    assert 'type="range"' not in page
    fields = re.findall(r'<input type="text" id="([\w.-]+)" name="[\w.-]+" value="([^"]*)"[^>]*inputmode="decimal"', page)
    assert [name for name, _ in fields] == [k for k in CHILD_FORM]
    assert {value for _, value in fields} == {""}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_lines_left_empty_are_asked_for_and_nothing_is_stored(visitor, emma, app, lang):
    """Issue 10, item 1: an unanswered line is refused in the respondent's language, whatever
    else was given; nothing is stored as 5.0."""
    token = emma.tokens["child"]
    visitor.get(f"/r/{token}?lang={lang}")
    given = {k: v for k, v in CHILD_FORM.items() if k.startswith("fit-outcome-child")}
    empty = {k: "" for k in CHILD_FORM if k.startswith("fit-session-child")}
    response = visitor.post(f"/r/{token}/form", data=given | empty)
    assert response.status_code == 200
    # Issue 11, item 8: without JavaScript the line is a number field, so it asks for a number;
    # respond.js, which turns it into a line, says to move the dot (its words come from here).
    message = {"da": "Skriv et tal fra 0 til 10.", "en": "Write a number from 0 to 10."}[lang]
    assert response.text.count(message) == 4
    move = {"da": "Flyt prikken – også hvis du vil svare midt på linjen.",
            "en": "Move the dot – even if you want to answer in the middle of the line."}[lang]
    assert response.text.count(f'data-untouched="{move}"') == 4
    assert "Svar venligst" not in response.text and "Please answer" not in response.text
    assert _current(app, emma.invitations["child"]) == []
    assert _shown(response.text, "fit-outcome-child.school") == {"da": "8,2", "en": "8.2"}[lang]


def test_a_line_refused_as_a_bad_number_keeps_its_own_message(visitor, emma):
    """Issue 11, item 8: only a line left empty is told to move the dot."""
    response = visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM | {"fit-outcome-child.me": "11"})
    assert "Vælg et tal fra 0 til 10 med højst én decimal." in response.text
    assert "data-untouched" not in response.text


# The ends are the shared pair children read (issue 11 item 11): "Rigtig skidt … Rigtig godt".
@pytest.mark.parametrize(("lang", "low", "ends"), [("da", "Rigtig skidt", "0 er rigtig skidt, 10 er rigtig godt"),
                                                   ("en", "Really bad", "0 is really bad, 10 is really good")])
def test_a_line_names_its_ends_to_a_screen_reader(visitor, emma, lang, low, ends):
    """Issue 11, item 9: the faces and the ends on the page are hidden from a screen reader; the
    number field is described by one sentence naming the ends, in the item's own words."""
    visitor.get(f"/r/{emma.tokens['child']}?lang={lang}")
    page = visitor.get(f"/r/{emma.tokens['child']}/form").text
    name = "fit-outcome-child.me"
    described = re.search(rf'name="{re.escape(name)}"[^>]*aria-describedby="([^"]*)"', page).group(1)
    assert described == f"{name}-ends"
    assert f'<span class="visually-hidden" id="{name}-ends">{ends}</span>' in page
    assert f'id="{name}-low" aria-hidden="true"><b>0</b> {low}<' in page
    # After a refusal the field is described by the message first, then the ends.
    refused = visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM | {name: ""}).text
    assert f'aria-describedby="{name}-error {name}-ends"' in refused


def test_case_page_shows_answers_side_by_side_with_totals(visitor, emma, staff):
    visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM)
    mother = {k: "5" for k in CHILD_FORM if k.startswith("fit-outcome-child")} | {
        f"fit-session.{k}": "8" for k in ["heard", "topics", "approach", "overall"]}
    assert visitor.post(f"/r/{emma.tokens['mother']}/form", data=mother).status_code == 302
    visitor.post(f"/r/{emma.tokens['network']}/form", data=NETWORK_FORM)
    page = staff.get(f"/cases/{emma.case}").text
    table = re.search(r"<caption>Hvordan har du det\?.*?</table>", page, re.S).group(0)
    headers = re.findall(r'<th scope="col">(\w+)<br>', table)
    assert headers[:3] == ["Emma", "Mette", "Jonas"]
    total = re.search(r'<tr class="total">.*?</tr>', table, re.S).group(0)
    assert re.findall(r'<td class="value">([^<]*)</td>', total)[:2] == ["28,7", "20,0"]
    assert "Intet svar endnu" in table  # Jonas has not answered
    assert "Godt møde. Jeg henter Emma om tirsdagen." in page  # free text in full
    assert "Ved ikke" in page


@pytest.mark.parametrize(
    "lang, change, message",
    [
        ("da", {"fit-outcome-child.me": None}, "Skriv et tal fra 0 til 10."),
        ("en", {"fit-outcome-child.me": None}, "Write a number from 0 to 10."),
        ("da", {"fit-outcome-child.me": "11"}, "Vælg et tal fra 0 til 10 med højst én decimal."),
        ("da", {"fit-outcome-child.me": "-1"}, "Vælg et tal fra 0 til 10 med højst én decimal."),
        ("da", {"fit-outcome-child.me": "abc"}, "Vælg et tal fra 0 til 10 med højst én decimal."),
        ("en", {"fit-outcome-child.me": "5.55"}, "Choose a number from 0 to 10, with at most one decimal."),
    ],
)
def test_bad_answers_get_a_message_in_the_respondents_language_and_keep_the_rest(visitor, emma, app, lang, change, message):
    token = emma.tokens["child"]
    visitor.get(f"/r/{token}?lang={lang}")
    data = {k: v for k, v in (CHILD_FORM | change).items() if v is not None}
    response = visitor.post(f"/r/{token}/form", data=data)
    assert response.status_code == 200
    assert message in response.text
    # Everything else typed is still there, with the reader's decimal mark (issue 10, item 11).
    assert _shown(response.text, "fit-session-child.mattered") == {"da": "9,5", "en": "9.5"}[lang]
    assert _shown(response.text, "fit-outcome-child.school") == {"da": "8,2", "en": "8.2"}[lang]
    # And the refused answer itself, as it was typed.
    assert _shown(response.text, "fit-outcome-child.me") == (change["fit-outcome-child.me"] or "")
    assert _current(app, emma.invitations["child"]) == []


def test_too_long_text_is_refused_and_kept(visitor, emma):
    long_text = "Jeg har meget at sige. " * 300
    response = visitor.post(f"/r/{emma.tokens['network']}/form", data=NETWORK_FORM | {"participation-network.comment": long_text})
    assert response.status_code == 200
    assert "Dit svar må højst være 4000 tegn langt." in response.text
    assert long_text.strip() in response.text


def test_tampered_choice_is_refused(visitor, emma):
    response = visitor.post(f"/r/{emma.tokens['network']}/form", data=NETWORK_FORM | {"participation-network.backs_plan": "9"})
    assert response.status_code == 200 and "Vælg et af svarene." in response.text


def test_a_huge_request_gets_a_clear_page(visitor, emma):
    response = visitor.post(f"/r/{emma.tokens['network']}/form", data={"participation-network.comment": "x" * 400_000})
    assert response.status_code == 413
    assert "Det gik ikke" in response.text


def test_double_click_stores_one_version(visitor, emma, app):
    for _ in range(2):
        assert visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM).status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Response).where(Response.invitation_id == emma.invitations["child"])).all()
    assert len(rows) == 2  # one per form, no duplicate version


def test_answering_again_replaces_and_keeps_history(visitor, emma, app):
    visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM)
    form = visitor.get(f"/r/{emma.tokens['child']}/form").text
    assert _shown(form, "fit-outcome-child.me") == "7,5"  # the earlier answer is filled in
    visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM | {"fit-outcome-child.me": "3"})
    with app.app_context():
        rows = db.session.scalars(select(Response).where(
            Response.invitation_id == emma.invitations["child"], Response.instrument_id == "fit-outcome-child")).all()
    assert [(r.answers["me"], r.superseded_at is None) for r in rows] == [(7.5, False), (3.0, True)]


def test_declining_is_recorded_as_an_answer_and_can_be_undone(visitor, emma, app, staff):
    response = visitor.post(f"/r/{emma.tokens['father']}/decline")
    assert response.status_code == 302
    assert "Vi har skrevet ned, at du ikke vil svare." in visitor.get(response.headers["Location"]).text
    assert all(r.declined for r in _current(app, emma.invitations["father"]))
    assert "Vil ikke svare" in staff.get(f"/cases/{emma.case}").text
    father = {k: "6" for k in CHILD_FORM if k.startswith("fit-outcome-child")} | {
        f"fit-session.{k}": "7" for k in ["heard", "topics", "approach", "overall"]}
    visitor.post(f"/r/{emma.tokens['father']}/form", data=father)
    assert not any(r.declined for r in _current(app, emma.invitations["father"]))


@pytest.mark.parametrize("how", ["unknown", "malformed", "expired", "revoked"])
def test_dead_links_show_one_page_that_reveals_nothing(visitor, emma, app, how):
    token = emma.tokens["child"]
    if how == "unknown":
        token = "0" * 26
    elif how == "malformed":
        token = "<script>"
    else:
        with app.app_context():
            invitation = db.session.get(Invitation, emma.invitations["child"])
            if how == "expired":
                invitation.expires_at = utcnow() - timedelta(minutes=1)
            else:
                invitation.revoked_at = utcnow()
            db.session.commit()
    for url in [f"/r/{token}", f"/r/{token}/form", f"/r/{token}/thanks"]:
        response = visitor.get(url)
        assert response.status_code == 404
        assert "Linket virker ikke" in response.text
        for private in ["Emma", "Anne", "Samstem Kommune"]:
            assert private not in response.text
    assert visitor.post(f"/r/{token}/form", data=CHILD_FORM).status_code == 404
    assert visitor.post(f"/r/{token}/decline").status_code == 404


def test_dead_link_page_speaks_english_when_asked(visitor):
    response = visitor.get("/r/" + "0" * 26, headers={"Accept-Language": "en"})
    assert "This link does not work" in response.text


def test_guessing_tokens_is_slowed_down(visitor, emma, app):
    app.config["TOKEN_FAILURE_LIMIT"] = "5 per minute"
    statuses = [visitor.get(f"/r/{'1' * 25}{i}").status_code for i in range(7)]
    assert statuses[:5] == [404] * 5 and statuses[-1] == 429
    assert "Vent lidt" in visitor.get(f"/r/{'1' * 26}").text


# Issue 12 "Trust", item 8: a valid link is never refused by the failure limit; a dead one over
# the limit gets 429 at once, with Retry-After and the minutes to wait.
def test_working_links_and_codes_are_served_to_an_address_over_the_failure_limit(visitor, emma, app):
    app.config["TOKEN_FAILURE_LIMIT"] = "5 per minute"
    for i in range(7):
        visitor.get(f"/r/{'1' * 25}{i}")
    refused = visitor.get(f"/r/{'1' * 26}")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Vent 1 minut, og prøv igen." in refused.text
    assert visitor.get(f"/r/{emma.tokens['mother']}").status_code == 200
    assert visitor.get(f"/r/{emma.tokens['mother']}/form").status_code == 200
    code = typed_code(emma.tokens["father"])
    assert visitor.post("/code", data={"code": code}).status_code == 302


def test_dead_links_from_many_addresses_are_counted_together(visitor, emma, app):
    app.config["TOKEN_FAILURE_GLOBAL_LIMIT"] = "6 per minute"
    statuses = [visitor.get(f"/r/{'2' * 25}{i}", environ_base={"REMOTE_ADDR": f"10.1.0.{i}"}).status_code
                for i in range(8)]
    assert statuses[:6] == [404] * 6 and statuses[-1] == 429
    assert visitor.get(f"/r/{emma.tokens['mother']}", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


def test_language_choice_and_preference(visitor, emma, make, caseworker, app):
    english = visitor.get(f"/r/{emma.tokens['mother']}?lang=en").text
    assert '<html lang="en"' in english and "It is up to you whether you answer." in english
    form = visitor.get(f"/r/{emma.tokens['mother']}/form").text
    assert "Send my answers" in form
    # A person whose preferred language is English gets it without choosing.
    with app.app_context():
        from app.cases.models import Person
        db.session.get(Person, emma.people["provider"]).language = "en"
        db.session.commit()
    fresh = app.test_client()
    assert '<html lang="en"' in fresh.get(f"/r/{emma.tokens['provider']}").text
    assert '<html lang="da"' in fresh.get(f"/r/{emma.tokens['provider']}?lang=da").text
    assert '<html lang="da"' in fresh.get(f"/r/{emma.tokens['provider']}?lang=xx").text


def test_typed_code_leads_to_the_form(visitor, emma):
    from app.tokens import typed_code

    page = visitor.get("/code")
    assert page.status_code == 200 and "Skriv din kode" in page.text
    code = typed_code(emma.tokens["child"])
    response = visitor.post("/code", data={"code": code.lower()})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{emma.tokens['child']}")
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    wrong = visitor.post("/code", data={"code": mistyped})
    assert wrong.status_code == 200 and "Koden passer ikke" in wrong.text and mistyped in wrong.text
    assert visitor.post("/code", data={"code": ""}).status_code == 200


def test_locked_round_thanks_and_accepts_nothing(visitor, emma, app):
    with app.app_context():
        db.session.get(Round, emma.round).locked_at = utcnow()
        db.session.commit()
    for page in [visitor.get(f"/r/{emma.tokens['child']}"), visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM),
                 visitor.post(f"/r/{emma.tokens['child']}/decline")]:
        assert page.status_code == 200 and "Du kan ikke længere svare eller rette her." in page.text
    assert _current(app, emma.invitations["child"]) == []


def test_stale_form_keeps_the_answers(visitor, emma, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = visitor.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM)
    assert response.status_code == 200
    assert "Siden var for gammel. Dine svar er her stadig" in response.text
    assert _shown(response.text, "fit-session-child.mattered") == "9,5"


def test_respondent_pages_load_nothing_from_elsewhere(visitor, emma):
    token = emma.tokens["child"]
    for url in [f"/r/{token}", f"/r/{token}/form", "/code", "/r/" + "0" * 26]:
        page = visitor.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', page), url
        assert "@font-face" not in page and "@import" not in page
        assert len(re.findall(r'<(script|link)[^>]+(src|href)="/', page)) <= 2


def test_pages_tell_the_browser_to_load_nothing_from_elsewhere_and_keep_nothing(visitor, emma):
    response = visitor.get(f"/r/{emma.tokens['child']}/form")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_proxy_hops_give_the_rate_limit_the_client_address(app, emma):
    from app import create_app
    from tests.conftest import _config

    proxied = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"PROXY_HOPS": 1, "TOKEN_FAILURE_LIMIT": "2 per minute"})
    client = proxied.test_client()
    try:
        for address in ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2"]:
            assert client.get("/r/" + "0" * 26, headers={"X-Forwarded-For": address}).status_code == 404
        assert client.get("/r/" + "0" * 26, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 429
    finally:
        with proxied.app_context():
            db.engine.dispose()


def test_adults_read_the_childs_form_worded_about_the_child(visitor, emma):
    child = visitor.get(f"/r/{emma.tokens['child']}/form").text
    mother = visitor.get(f"/r/{emma.tokens['mother']}/form").text
    # Same form and item keys, but the parent is asked about Emma, not about herself.
    assert "Hvordan har jeg det med mig selv?" in child and "Hvordan har barnet det med sig selv?" not in child
    assert "Hvordan har barnet det med sig selv?" in mother and "Hvordan har jeg det med mig selv?" not in mother
    assert 'name="fit-outcome-child.me"' in child and 'name="fit-outcome-child.me"' in mother


def test_a_text_item_s_length_limit_reaches_the_page(visitor, emma):
    # fields.py sets maxlength on every text item; the page used to draw its own inputs without it.
    page = visitor.get(f"/r/{emma.tokens['network']}/form").text
    assert re.search(r'<textarea id="participation-network\.comment" name="participation-network\.comment" '
                     r'rows="4" maxlength="4000"', page)
