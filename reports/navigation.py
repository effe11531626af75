from dps.navigation import COMMITTEE_PAPERS, NavItem

NAV_ITEMS = [
    NavItem("Reports", "reports:manage", "reports.view_report", section=COMMITTEE_PAPERS, order=40),
    NavItem(
        "Committee papers",
        "reports:index",
        "reports.view_published_report",
        section=COMMITTEE_PAPERS,
        order=45,
    ),
]
