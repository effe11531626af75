from dps.navigation import NavItem

NAV_ITEMS = [
    NavItem("Boroughs", "pssp:borough-list", "dps.view_borough", order=60),
    NavItem("Tasking", "pssp:tasking-list", "pssp.view_taskingmeeting", order=61),
    NavItem("Borough reports", "pssp:report-list", "pssp.view_boroughreport", order=62),
    NavItem("Engagement", "pssp:coverage", "pssp.view_engagementmeeting", order=63),
    NavItem("Outcomes", "pssp:outcome-list", "pssp.view_outcome", order=64),
    NavItem("Events", "pssp:event-list", "pssp.view_event", order=65),
    NavItem("Products", "pssp:product-list", "dps.view_product", order=70),
]
