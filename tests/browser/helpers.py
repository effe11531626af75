"""Plain helpers the browser journeys share (fixtures live in conftest.py)."""

# Every persona's password (tests/factories.py UserFactory).
PASSWORD = "correct-horse-battery"


def sign_in(page, user, password=PASSWORD):
    """Sign in through the real form, typing the user name and password."""
    page.goto("/sign-in/")
    page.get_by_label("Username").press_sequentially(user.username)
    page.get_by_label("Password").press_sequentially(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    assert page.get_by_role("button", name="Sign out").is_visible()


def menu_link(page, label):
    """A link in the main navigation (not the breadcrumbs or the body)."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def menu_links(page):
    """(label, path) of every link in the main navigation."""
    links = page.get_by_role("navigation", name="Menu").get_by_role("link")
    return [(link.inner_text().strip(), link.get_attribute("href")) for link in links.all()]


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def press_tab_until(page, selector, limit=40):
    """Tab forward until `selector` has the focus; fails if it never does (a keyboard trap, or a
    field left out of the tab order)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus within {limit} Tab presses")


def type_date(page, day):
    """Type a date into the focused date field, segment by segment, as a person would.

    Headless chromium lays date fields out month/day/year whatever its language or locale
    (--lang, LANG and the context locale leave it alone), so the digits go in that order.
    """
    page.keyboard.type(f"{day:%m%d%Y}")
