"""The toolkit's first pages and finder answers, as they were when the site
opened. They are frozen in data/0002_content.json so that this migration
always does the same thing; later pages come from toolkit/content/ through
``manage.py load_toolkit_content``."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0002_content.json"


def load(apps, schema_editor):
    Section = apps.get_model("toolkit", "Section")
    Page = apps.get_model("toolkit", "Page")
    Need = apps.get_model("toolkit", "Need")
    AgencySuggestion = apps.get_model("toolkit", "AgencySuggestion")
    ClientGroup = apps.get_model("linkup", "ClientGroup")
    Agency = apps.get_model("linkup", "Agency")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    for section_data in data["sections"]:
        section, _ = Section.objects.get_or_create(
            slug=section_data["slug"],
            defaults={
                "title": section_data["title"],
                "summary": section_data["summary"],
                "position": section_data["position"],
            },
        )
        for page in section_data["pages"]:
            group = page["client_group"]
            Page.objects.get_or_create(
                section=section,
                slug=page["slug"],
                defaults={
                    "title": page["title"],
                    "summary": page["summary"],
                    "body": page["body"],
                    "position": page["position"],
                    "client_group": ClientGroup.objects.filter(slug=group).first() if group else None,
                },
            )

    needs = {}
    for need in data["needs"]:
        needs[need["slug"]], _ = Need.objects.get_or_create(
            slug=need["slug"],
            defaults={"name": need["name"], "hint": need["hint"], "position": need["position"]},
        )
    for suggestion in data["suggestions"]:
        agency = Agency.objects.filter(slug=suggestion["agency"]).first()
        group_slug = suggestion["client_group"]
        group = ClientGroup.objects.filter(slug=group_slug).first() if group_slug else None
        if agency is None or (group_slug and group is None):
            continue
        AgencySuggestion.objects.get_or_create(
            need=needs[suggestion["need"]],
            client_group=group,
            agency=agency,
            defaults={"reason": suggestion["reason"], "position": suggestion["position"]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0001_initial"),
        ("linkup", "0003_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
