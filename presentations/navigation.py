from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Delivery log", "presentations:delivery-list", "presentations.view_delivery", order=20),
    NavItem("PSSP statistics", "presentations:statistics", "presentations.view_delivery", order=25),
    NavItem(
        "Import sessions",
        "presentations:delivery-import",
        "presentations.import_delivery",
        order=27,
    ),
]
