from dps.navigation import PSSP_DELIVERY, NavItem

NAV_ITEMS = [
    NavItem(
        "Delivery log",
        "presentations:delivery-list",
        "presentations.view_delivery",
        section=PSSP_DELIVERY,
        order=20,
    ),
    NavItem(
        "PSSP statistics",
        "presentations:statistics",
        "presentations.view_delivery",
        section=PSSP_DELIVERY,
        order=25,
    ),
    NavItem(
        "Import sessions",
        "presentations:delivery-import",
        "presentations.import_delivery",
        section=PSSP_DELIVERY,
        order=27,
    ),
]
