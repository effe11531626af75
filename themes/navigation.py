from dps.navigation import PROGRAMME, NavItem

NAV_ITEMS = [
    NavItem("Programme", "themes:programme", "themes.view_theme", section=PROGRAMME, order=10),
    NavItem("Dashboard", "themes:dashboard", "themes.view_milestone", section=PROGRAMME, order=11),
    NavItem(
        "Milestones", "themes:milestone-list", "themes.view_milestone", section=PROGRAMME, order=12
    ),
    NavItem("Risks", "themes:risk-list", "themes.view_risk", section=PROGRAMME, order=13),
    NavItem("Timeline", "themes:timeline", "themes.view_milestone", section=PROGRAMME, order=14),
]
