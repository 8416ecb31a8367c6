import pytest

@pytest.mark.browser
def test_scratch(live_server, phone, make, caseworker):
    ids = make.emma(caseworker)
    page = phone()
    page.goto(f"{live_server}/r/{ids.tokens['child']}")
    open("/tmp/intro.html", "w").write(page.content())
    page.screenshot(path="/tmp/intro.png", full_page=True)
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url("**/form")
    open("/tmp/form.html", "w").write(page.content())
    page.screenshot(path="/tmp/form.png", full_page=True)
    lines = page.locator("input[type=range]")
    for i in range(lines.count()):
        line = lines.nth(i)
        box = line.bounding_box()
        line.tap(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
        print(i, box, line.input_value(), line.get_attribute("class"))
    page.screenshot(path="/tmp/form2.png", full_page=True)
    g = phone()
    g.goto(f"{live_server}/r/{ids.tokens['network']}/form")
    open("/tmp/gform.html", "w").write(g.content())
    g.screenshot(path="/tmp/gform.png", full_page=True)
    for r in phone.requests:
        print(r.method, r.url, r.redirected_from)
