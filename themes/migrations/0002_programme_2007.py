"""The 2007-2009 DPS strategic programme, its five themes and seven supporting areas.

Descriptions are those of report 6 to the MPA Professional Standards & Complaints Committee,
13 September 2007.
"""

import datetime

from django.db import migrations

from dps.migration_history import record_creation

PROGRAMME = {
    "name": "DPS strategic programme 2007-2009",
    "summary": (
        "In June 2007 Commander Stuart Osborne initiated a strategic review of the Directorate of "
        "Professional Standards. The DPS command team agreed a strategic programme of development "
        "for the next 24 months covering five key themes. It is not intended to be about "
        "fundamental change but about the evolution of DPS and moving forwards to ensure it "
        "remains fit for purpose."
    ),
    "start_date": datetime.date(2007, 6, 1),
    "end_date": datetime.date(2009, 5, 31),
}

THEMES = [
    (
        "taylor",
        "Taylor Report – new police misconduct procedures",
        False,
        "Work is underway to prepare the MPS for the implications of the new misconduct "
        "procedures for police officers, originating from the recommendations of the Taylor "
        "Report. It is anticipated that the new procedures will become mandatory for the police "
        "service in April/May 2008; a project team is already in place and developing a detailed "
        "project plan.",
    ),
    (
        "pssp",
        "Professional Standards Support Programme (PSSP)",
        False,
        "The PSSP aims to deliver core Professional Standards messages to personnel engaged in "
        "regular service delivery to the people of London. The support programme is a "
        "significant part of the DPS's strategic ambition to place prevention at the core of the "
        "Directorate's business activity.",
    ),
    (
        "intelligence",
        "Intelligence",
        False,
        "It was agreed that the core business function of DPS was information and knowledge "
        "management. In order to perform this function to the highest level there is a need for "
        "intelligence to be a driving force at the hub of the DPS. The alignment of resources "
        "will be re-evaluated with a view to enabling a more pro-active approach to intelligence "
        "gathering and development.",
    ),
    (
        "covert",
        "Investigations – Covert",
        True,
        "The nature and volume of covert anti-corruption work has changed, however the "
        "structures and resourcing within the anti-corruption teams has remained static. Ongoing "
        "work to establish the most effective means of addressing the emerging challenges is "
        "underway. Enhancing the links between the intelligence and investigation functions will "
        "facilitate a more pro-active approach to identifying corruption.",
    ),
    (
        "overt",
        "Investigations – Overt",
        False,
        "This incorporates the work of both the Specialist Investigation Team and the Borough "
        "Support Investigation Teams. Borough Support Investigations form the volume of DPS "
        "work. How this function will look in the future is closely linked with the outcomes "
        "from the Taylor project.",
    ),
]

SUPPORTING_AREAS = [
    (
        "stakeholders",
        "Stakeholders",
        "Managing and developing the relationships with key stakeholders, in particular the IPCC "
        "and our staff associations.",
    ),
    (
        "organisational-structure",
        "Organisational structure",
        "Evaluating whether the organisational structure within DPS is complementary to the "
        "themes and ensures the efficiency of business within DPS.",
    ),
    (
        "resources",
        "Resources",
        "Realignment of resources within DPS will be considered to ensure the most appropriate "
        "balance and to ensure that effectiveness and efficiency is viewed on an MPS as well as "
        "a directorate basis.",
    ),
    (
        "finance",
        "Finance",
        "DPS is committed to a series of financial savings up to and including the financial "
        "year 2010/11, accentuating the need to ensure DPS continually improves business "
        "efficiency.",
    ),
    (
        "it",
        "IT",
        "IT systems within DPS must be cohesive and facilitate best use of intelligence, keeping "
        "pace with wider IT developments.",
    ),
    (
        "communications",
        "Communications and marketing",
        "To create a shared identity and engender a sense of pride in working for DPS, in order "
        "to make it an appealing place to work and ensure it is able to attract the most skilled "
        "officers.",
    ),
    (
        "culture",
        "Culture",
        "To improve interoperability between the departments within DPS and achieve a culture of "
        "transparency and openness, wherever possible.",
    ),
]


def load(apps, schema_editor):
    Programme = apps.get_model("themes", "Programme")
    Theme = apps.get_model("themes", "Theme")
    SupportingArea = apps.get_model("themes", "SupportingArea")
    programme, _ = Programme.objects.update_or_create(name=PROGRAMME["name"], defaults=PROGRAMME)
    for order, (code, name, restricted, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={
                "name": name,
                "order": order,
                "restricted": restricted,
                "description": description,
            },
        )
    themes = list(Theme.objects.filter(programme=programme))
    for order, (code, name, description) in enumerate(SUPPORTING_AREAS, start=1):
        area, _ = SupportingArea.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={"name": name, "order": order, "description": description},
        )
        # The report says every supporting area supports the key themes as a whole.
        area.themes.set(themes)
    for model_name in ("Programme", "Theme", "SupportingArea"):
        record_creation(apps, "themes", model_name)


def unload(apps, schema_editor):
    programme = apps.get_model("themes", "Programme").objects.get(name=PROGRAMME["name"])
    programme.supporting_areas.all().delete()
    programme.themes.all().delete()
    programme.delete()


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
