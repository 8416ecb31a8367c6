"""Short links for SMS (issue 18 item 4): at most 24 characters after the host, still 128 bits.

The short form is the same token written in URL-safe base64 (app.tokens.short_form), so it opens
the same form as the long link, counts as a dead link when it opens nothing, and is kept out of
logs and stored errors like the long one.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import tokens
from tests.test_respond import CHILD_FORM, _current


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


@pytest.fixture
def visitor(app):
    return app.test_client()


def test_a_short_link_is_22_characters_after_the_slash_and_holds_the_whole_token():
    # Issue 18 item 4: "at most 24 characters after the host and still at least 128 bits of secret".
    token = tokens.new_token()
    short = tokens.short_form(token)
    assert len("/" + short) <= 24 and len(short) == tokens.SHORT_LENGTH
    assert set(short) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert tokens.from_short(short) == token
    # 22 characters of 6 bits hold 132 bits: all 128 of the token's, so no secret is lost.
    assert len({tokens.short_form(tokens.new_token()) for _ in range(2000)}) == 2000


@given(st.integers(min_value=0, max_value=2**128 - 1))
def test_every_token_has_exactly_one_short_form_and_back(number):
    digits = []
    for _ in range(tokens.TOKEN_LENGTH):
        number, digit = divmod(number, 32)
        digits.append(tokens.ALPHABET[digit])
    token = "".join(reversed(digits))
    assert tokens.from_short(tokens.short_form(token)) == token


@pytest.mark.parametrize("text", [
    "",                                  # empty
    "A" * 21, "A" * 23,                  # wrong length
    "A" * 21 + "B",                      # last character carries bits beyond 128: not canonical
    "+" * 22, "/" * 22, "=" * 22,        # standard base64, not the URL-safe kind
    "æ" * 22, "<script>alert(1)</scr",   # hostile
])
def test_text_that_is_not_a_canonical_short_form_is_no_token(text):
    assert tokens.from_short(text) is None


def test_the_short_link_opens_the_same_form_and_answers_it(visitor, emma, app):
    token = emma.tokens["child"]
    page = visitor.get("/" + tokens.short_form(token))
    assert page.status_code == 200
    # The page's form posts to the long link of the same invitation: one form, two addresses.
    assert f'action="/r/{token}/form"' in page.text or f"/r/{token}/form" in page.text
    response = visitor.post(f"/r/{token}/form", data=CHILD_FORM)
    assert response.status_code == 302
    assert {r.instrument_id for r in _current(app, emma.invitations["child"])} == {"fit-outcome-child", "fit-session-child"}


def test_a_short_link_keeps_the_language_asked_for(visitor, emma):
    page = visitor.get("/" + tokens.short_form(emma.tokens["child"]) + "?lang=en")
    assert page.status_code == 200 and 'lang="en"' in page.text


@pytest.mark.parametrize("path", [
    "/" + tokens.short_form("0" * 26),   # well-formed, no such invitation
    "/" + "A" * 21 + "B",                # not canonical
])
def test_a_dead_short_link_shows_the_dead_link_page(visitor, emma, path):
    response = visitor.get(path)
    assert response.status_code == 404 and "Linket virker ikke" in response.text
    assert "Emma" not in response.text


def test_guessing_short_links_is_slowed_down_like_long_ones(visitor, emma, app):
    app.config["TOKEN_FAILURE_LIMIT"] = "5 per minute"
    statuses = [visitor.get("/" + tokens.short_form(tokens.new_token())).status_code for _ in range(7)]
    assert statuses[:5] == [404] * 5 and statuses[-1] == 429
    # A working short link is still served (issue 12 item 8).
    assert visitor.get("/" + tokens.short_form(emma.tokens["child"])).status_code == 200


def test_no_page_of_samstem_has_a_22_character_name_a_short_link_could_hide(app):
    # Werkzeug prefers a fixed path to a converter, so a page named with 22 such characters would
    # shadow one short link; there is none.
    for rule in app.url_map.iter_rules():
        parts = rule.rule.strip("/").split("/")
        assert not (len(parts) == 1 and len(parts[0]) == tokens.SHORT_LENGTH and "<" not in parts[0]), rule.rule
