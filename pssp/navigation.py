from dps.navigation import PSSP_DELIVERY, TASKING_AND_ENGAGEMENT, NavItem

NAV_ITEMS = [
    NavItem(
        "Boroughs",
        "pssp:borough-list",
        "dps.view_borough",
        section=TASKING_AND_ENGAGEMENT,
        order=60,
    ),
    NavItem(
        "Tasking",
        "pssp:tasking-list",
        "pssp.view_taskingmeeting",
        section=TASKING_AND_ENGAGEMENT,
        order=61,
    ),
    NavItem(
        "Borough reports",
        "pssp:report-list",
        "pssp.view_boroughreport",
        section=TASKING_AND_ENGAGEMENT,
        order=62,
    ),
    NavItem(
        "Engagement",
        "pssp:coverage",
        "pssp.view_engagementmeeting",
        section=TASKING_AND_ENGAGEMENT,
        order=63,
    ),
    NavItem(
        "Outcomes",
        "pssp:outcome-list",
        "pssp.view_outcome",
        section=TASKING_AND_ENGAGEMENT,
        order=64,
    ),
    NavItem(
        "Events", "pssp:event-list", "pssp.view_event", section=TASKING_AND_ENGAGEMENT, order=65
    ),
    NavItem("Products", "pssp:product-list", "dps.view_product", section=PSSP_DELIVERY, order=70),
]
