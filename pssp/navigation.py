from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Boroughs", "pssp:borough-list", "pssp.view_borough", order=60),
    NavItem("Products", "pssp:product-list", "pssp.view_product", order=70),
]
