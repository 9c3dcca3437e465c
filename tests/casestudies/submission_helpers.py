"""Answers for the "Share an example" form, and a helper that sends them."""

from django.urls import reverse

from linkup.models import Agency, ClientGroup, Outcome, Region


def valid_answers() -> dict[str, dict]:
    region = Region.objects.get(slug="east-midlands")
    return {
        "about-you": {
            "submitter_name": "Sam Adviser",
            "submitter_job_title": "Personal adviser",
            "submitter_organisation": "Brackenford Council",
            "submitter_email": "sam.adviser@example.test",
            "submitter_phone": "",
            "show_contact": "no",
            "website": "",
        },
        "where-and-who": {
            "region": str(region.pk),
            "client_groups": [str(ClientGroup.objects.ordered().first().pk)],
            "agencies": [str(Agency.objects.ordered().first().pk)],
            "organisations": "Brackenford leaving care team and Brackenford Homes",
        },
        "what-you-did": {
            "example_title": "Joint housing panel gets care leavers into their own homes",
            "summary": "A monthly panel planned each move together.",
            "challenge": "Young people left care with nowhere settled to live.",
            "approach": "Leaving care and housing staff met monthly to plan each move.",
            "period_start_day": "1",
            "period_start_month": "4",
            "period_start_year": "2009",
            "period_end_day": "",
            "period_end_month": "",
            "period_end_year": "",
        },
        "results-and-lessons": {
            "results": "Eight of ten young people were in settled homes a year later.",
            "outcomes": [str(Outcome.objects.ordered().first().pk)],
            "lessons": "Agree one plan and one named lead.",
            "costs": "",
        },
        "people-helped": {"cohort_size": ""},
        "outcomes": {"add_another": "no"},
        "how-measured": {"measurement_method": "unknown", "evaluation_url": ""},
        "costs": {
            "setup_cost": "",
            "yearly_cost": "",
            "funded_by": "",
            "cost_per_person": "",
            "savings_claimed": "",
            "savings_basis": "",
        },
        "evidence-level": {"evidence_level_proposed": "unknown"},
        "permission": {"consent_to_publish": "on"},
    }


def fill_in(client, answers=None, *, extra_headers=None):
    """Answer every step; return the check-answers page response."""
    answers = answers or valid_answers()
    for step, data in answers.items():
        response = client.post(reverse("casestudies:submit_step", args=[step]), data, **(extra_headers or {}))
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return client.get(reverse("casestudies:submit_check"))


def send(client, check_response):
    key = check_response.context["form"].initial["submission_key"]
    return client.post(reverse("casestudies:submit_check"), {"submission_key": key})
