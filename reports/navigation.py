from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Reports", "reports:manage", "reports.view_report", order=40),
    NavItem("Committee papers", "reports:index", "reports.view_published_report", order=45),
]
