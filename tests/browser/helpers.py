"""Plain helpers the browser journeys share (fixtures live in conftest.py)."""

from axe_playwright_python.base import AXE_SCRIPT  # axe-core, as the package ships it

# Every persona's password (tests/factories.py UserFactory).
PASSWORD = "correct-horse-battery"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Pages axe has scanned in this run, for the closing summary.
SCANNED = []


def axe_violations(page):
    """axe-core's WCAG A/AA violations on the page as it is now, as readable lines."""
    # Pages from conftest's `new_page` have axe already; inject it into any other. Either way
    # it goes in through the DevTools protocol, which the page's CSP does not govern.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    SCANNED.append(page.url.split("?")[0])
    lines = []
    for violation in results["violations"]:
        targets = "; ".join(
            " ".join(str(part) for part in node["target"]) for node in violation["nodes"]
        )
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} -- at {targets}"
        )
    return lines


def script_problems(page):
    """CSP reports and uncaught script errors seen so far (other console noise, such as the
    browser logging a 404 response, is left out)."""
    return [
        text
        for text in page.console_errors
        if "Content Security Policy" in text or text.startswith("Uncaught")
    ]


def sideways_overflow(page):
    """Why the page is wider than the window (so it scrolls sideways): the outermost elements
    that stick out, as `tag.class (right edge px)`; empty when it fits. A wide table may
    scroll inside its own box; the page itself should not."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          const right = (element) => element.getBoundingClientRect().right + window.scrollX;
          const escapes = (element) => {
            // Clipped by a scrolling ancestor, unless positioned against something outside it.
            for (let up = element.parentElement; up && up !== document.documentElement;
                 up = up.parentElement) {
              const style = getComputedStyle(up);
              if (style.overflowX !== "visible") {
                return getComputedStyle(element).position === "absolute"
                  && style.position === "static";
              }
            }
            return true;
          };
          const culprits = [...document.body.querySelectorAll("*")].filter(
            (element) => right(element) > width && escapes(element)
              && ![...element.children].some((child) => right(child) > width && escapes(child))
          );
          return culprits.slice(0, 5).map(
            (element) => `${element.tagName.toLowerCase()}.${element.className}`
              + ` (${right(element)}px)`
          );
        }"""
    )


def sign_in(page, user, password=PASSWORD):
    """Sign in through the real form (the staff journey types it key by key)."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    assert page.get_by_role("button", name="Sign out").is_visible()


def section_links(page):
    """(label, path) of every section in the header's navigation."""
    links = page.get_by_role("navigation", name="Menu").get_by_role("link")
    return [(link.inner_text().strip(), link.get_attribute("href")) for link in links.all()]


def _section_of(label):
    from dps.navigation import all_items

    return next(item.section for item in all_items() if item.label == label)


def menu_link(page, label):
    """The navigation's link to one destination. A destination inside another section is
    reached as a person would: its section is opened first (from the header), then the link
    is the one in that section's own navigation. A section with a single destination has no
    second level: its header link is the destination."""
    section = _section_of(label)
    second_level = page.get_by_role("navigation", name=section, exact=True)
    if second_level.count() == 0:
        with page.expect_navigation():
            page.get_by_role("navigation", name="Menu").get_by_role(
                "link", name=section, exact=True
            ).click()
        if second_level.count() == 0:
            return page.get_by_role("navigation", name="Menu").get_by_role(
                "link", name=section, exact=True
            )
    return second_level.get_by_role("link", name=label, exact=True)


def menu_links(page):
    """(label, path) of every destination the navigation offers: each section's own pages,
    read by opening the section (the page is left on the last section opened)."""
    destinations = []
    for section, path in section_links(page):
        page.goto(path)
        second_level = page.get_by_role("navigation", name=section, exact=True)
        if second_level.count() == 0:
            destinations.append((section, path))
            continue
        links = second_level.get_by_role("link")
        destinations.extend(
            (link.inner_text().strip(), link.get_attribute("href")) for link in links.all()
        )
    return destinations


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
    """Type a date into the focused date field as a person would, day/month/year (17/1/2008),
    replacing what the field held (the log form starts at today's date)."""
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{day.day}/{day.month}/{day.year}")
