from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Programme", "themes:programme", "themes.view_theme", order=10),
]
