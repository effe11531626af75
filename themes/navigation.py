from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Programme", "themes:programme", "themes.view_theme", order=10),
    NavItem("Dashboard", "themes:dashboard", "themes.view_milestone", order=11),
    NavItem("Milestones", "themes:milestone-list", "themes.view_milestone", order=12),
    NavItem("Risks", "themes:risk-list", "themes.view_risk", order=13),
    NavItem("Timeline", "themes:timeline", "themes.view_milestone", order=14),
]
