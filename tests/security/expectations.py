"""Who may open what: the expected status of every page for each role, read from the views
(their permission decorators and `visible_to` lookups) and dps/roles.py, not from running them.

Used by the permission matrix and by the export checks (an export is allowed exactly where its
page is, unless it needs an export permission of its own).
"""

from tests.security.samples import SAMPLES
from tests.security.support import LOGIN, REPORT_BUTTONS
from tests.security.world import ROLES

ANON, STAFF, OTHER_STAFF, PLANNER, CLEARED, COMMITTEE, ADMIN, OUTSIDER = ROLES
# One of each role; OTHER_STAFF (jo.staff) is added where ownership matters.
SIGNED_IN = (STAFF, PLANNER, CLEARED, COMMITTEE, ADMIN, OUTSIDER)
UNCLEARED = tuple(role for role in ROLES if role not in (ANON, CLEARED))

# Who may open what (from dps/roles.py and the views' permission checks).
EVERYONE = SIGNED_IN
# presentations.view_delivery, pssp.view_*
LOG_READERS = (STAFF, OTHER_STAFF, PLANNER, CLEARED)
# themes.*, pssp.* and reports.* changes
PLANNERS = (PLANNER, CLEARED)
# reports.view_published_report
PAPER_READERS = (PLANNER, CLEARED, COMMITTEE)
# dps.view_borough, dps.view_product
REFERENCE_READERS = (STAFF, OTHER_STAFF, PLANNER, CLEARED, ADMIN)
# the sample session was logged by sam.staff (staff_user)
OWNER_OR_PLANNER = (STAFF, PLANNER, CLEARED)


def row(allowed, status=200, *, denied=403, anonymous=LOGIN, **exceptions):
    """`status` for the allowed roles, `denied` for the other signed-in ones."""
    expected = {role: status if role in allowed else denied for role in SIGNED_IN}
    expected[ANON] = anonymous
    expected.update(exceptions)
    return expected


def hidden(expected):
    """The same page for a covert record: whoever may open the page but is not cleared gets
    404, exactly as for a record that does not exist."""
    return {
        role: 404 if role in UNCLEARED and status in (200, 202, 302) else status
        for role, status in expected.items()
    }


THEME_PAGES = {name for name in SAMPLES if name.startswith("themes:")} | {
    "themes:programme",
    "themes:dashboard",
    "themes:compare",
    "themes:milestone-list",
    "themes:risk-list",
    "themes:grid",
    "themes:timeline",
    "themes:calendar",
}

# name → expected row for GET. Covert variants are hidden(row) unless listed in VARIANT_ROWS.
GET_ROWS = {
    "home": row(EVERYONE),
    "sign-in": row((), anonymous=200, denied=302),  # signed in: straight on to the home page
    "sign-out": row(EVERYONE, 405),  # POST only (a link could sign people out)
    # Each person's email notices: their choices, and what was sent to them (everyone's, within
    # clearance, for the administrator).
    "notice-preferences": row(EVERYONE),
    "notices-sent": row(EVERYONE),
    "help": row(EVERYONE, anonymous=200),  # how to sign in, before signing in
    # Administrators: every record; planning managers: those of the reports they wrote.
    "access-records": row((PLANNER, CLEARED, ADMIN)),
    "search": row(EVERYONE, **{OTHER_STAFF: 200}),  # each finds only what they may read
    # Sign-in through an identity provider: 404 while none is configured (tests/oidc/ test it).
    "oidc_authentication_init": row((), denied=404, anonymous=404),
    "oidc_authentication_callback": row((), denied=404, anonymous=404),
    # The second factor: with REQUIRE_SECOND_FACTOR off, straight on to where they were going.
    "second-factor": row(EVERYONE, 302, **{OTHER_STAFF: 302}),
    "second-factor-enrol": row(EVERYONE, 302, **{OTHER_STAFF: 302}),
    # The delivery log
    "presentations:index": row(LOG_READERS, 302),
    "presentations:delivery-list": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-create": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-detail": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-edit": row(OWNER_OR_PLANNER, **{OTHER_STAFF: 403}),  # not jo.staff's
    "presentations:delivery-delete": row(OWNER_OR_PLANNER, **{OTHER_STAFF: 403}),
    "presentations:statistics": row(LOG_READERS),
    "presentations:delivery-import": row(PLANNERS),
    # PSSP: boroughs and products are reference data the administrator also keeps
    "pssp:borough-list": row(REFERENCE_READERS),
    "pssp:borough-detail": row(REFERENCE_READERS),
    "pssp:product-list": row(REFERENCE_READERS),
    "pssp:review-list": row(LOG_READERS),
    "pssp:review-create": row(PLANNERS),
    "pssp:comparison": row(LOG_READERS),
    "pssp:review-detail": row(LOG_READERS),
    "pssp:review-edit": row(PLANNERS),
    "pssp:review-delete": row(PLANNERS),
    "pssp:tasking-list": row(LOG_READERS),
    "pssp:tasking-create": row(PLANNERS),
    "pssp:tasking-detail": row(LOG_READERS),
    "pssp:tasking-edit": row(PLANNERS),
    "pssp:decision-create": row(PLANNERS),
    "pssp:decision-list": row(LOG_READERS),
    "pssp:decision-edit": row(PLANNERS),
    "pssp:decision-delete": row(PLANNERS),
    "pssp:report-list": row(LOG_READERS),
    "pssp:report-create": row(PLANNERS),
    "pssp:report-detail": row(LOG_READERS),
    "pssp:report-edit": row(PLANNERS),
    "pssp:report-upload": row(PLANNERS),
    "pssp:report-download": row(PLANNERS),  # pssp.download_boroughreport: not staff
    "pssp:report-step": row(PLANNERS),
    "pssp:plan-edit": row(PLANNERS),
    "pssp:action-create": row(PLANNERS),
    "pssp:action-edit": row(PLANNERS),
    "pssp:meeting-list": row(LOG_READERS),
    "pssp:meeting-create": row(PLANNERS),
    "pssp:coverage": row(LOG_READERS),
    "pssp:meeting-detail": row(LOG_READERS),
    "pssp:meeting-edit": row(PLANNERS),
    "pssp:meeting-delete": row(PLANNERS),
    "pssp:outcome-list": row(LOG_READERS),
    "pssp:outcome-create": row(PLANNERS),
    "pssp:outcome-detail": row(LOG_READERS),
    "pssp:outcome-edit": row(PLANNERS),
    "pssp:outcome-delete": row(PLANNERS),
    "pssp:event-list": row(LOG_READERS),
    "pssp:event-create": row(PLANNERS),
    "pssp:event-detail": row(LOG_READERS),
    "pssp:event-edit": row(PLANNERS),
    "pssp:event-delete": row(PLANNERS),
    # The programme and its themes: planning managers only
    **{name: row(PLANNERS) for name in THEME_PAGES},
    # The secret address is the credential: it works for anyone holding it, signed in or not.
    "themes:calendar-feed": row(EVERYONE, anonymous=200),
    # Committee reports
    "reports:index": row(PAPER_READERS),
    "reports:manage": row(PLANNERS),
    "reports:report-create": row(PLANNERS),
    "reports:highlight-create": row(PLANNERS),
    "reports:job-detail": row(PLANNERS),
    "reports:job-status": row(PLANNERS),
    "reports:job-pdf": row(PLANNERS),
    # Buttons on the report page: POST only, refused before anything else on GET.
    **{f"reports:{name}": row(EVERYONE, 405) for name in REPORT_BUTTONS},
    # Publishing asks for confirmation on a page first; the sample draft is not approved yet,
    # so a planning manager is sent back to the report.
    "reports:report-publish": row(PLANNERS, 302),
}
# (name, variant) → expected row, where the variant is not simply the page's row or hidden(row).
VARIANT_ROWS = {
    ("themes:calendar-feed", "wrong-token"): row(EVERYONE, 404, anonymous=404),
    # A draft is not there for the committee: 404, not 403, so they cannot tell it exists.
    ("reports:report-detail", "draft"): row(PLANNERS, **{COMMITTEE: 404}),
    ("reports:report-detail", "published"): row(PAPER_READERS),
    ("reports:report-detail", "covert"): hidden(row(PAPER_READERS)),
    ("reports:report-edit", "draft"): row(PLANNERS),
    ("reports:report-edit", "published"): row((), denied=403),  # published: never changed
    ("reports:report-edit", "covert"): hidden(row(PLANNERS)),
    ("reports:report-preview", "draft"): row(PLANNERS, **{COMMITTEE: 404}),
    ("reports:report-preview", "published"): row(PAPER_READERS),
    ("reports:report-preview", "covert"): hidden(row(PAPER_READERS)),
    # Only a published report has a PDF.
    ("reports:report-pdf", "draft"): row(
        (), denied=403, **{PLANNER: 404, CLEARED: 404, COMMITTEE: 404}
    ),
    ("reports:report-pdf", "published"): row(PAPER_READERS),
    ("reports:report-pdf", "covert"): hidden(row(PAPER_READERS)),
}

# POST-only views: what a POST (with the CSRF token, empty form) comes to. Each redirects back
# to the report (or on to its new job or version) once done or refused with a message.
POST_ONLY_ROWS = {
    "sign-out": row((), denied=LOGIN),  # signed out, then on to the sign-in page
    **{f"reports:{name}": row(PLANNERS, 302) for name in REPORT_BUTTONS},
}
# A POST to a page with a form, by someone allowed, is answered with the form again (200, with
# errors), a conflict (409), or a redirect once saved or deleted; never with a server error.
ACCEPTED = {200, 302, 400, 409}
