"""factory_boy factories for case studies. Reference data (regions, client
groups, agencies, outcomes) comes from the data migrations."""

import datetime

import factory
from django.utils import timezone

from casestudies.evidence import FigureUnit
from casestudies.models import CaseStudy, OutcomeFigure
from linkup.models import ClientGroup, Region
from linkup.moderation import Status


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Joint working example {n}")
    slug = factory.Sequence(lambda n: f"joint-working-example-{n}")
    summary = "A housing officer and a leaving care adviser planned a young person's move together."
    region = factory.LazyFunction(lambda: Region.objects.ordered().first())
    organisations = "Brackenford Council; Brackenford Housing Trust"
    challenge = "Young people were leaving care with nowhere settled to live."
    approach = "Staff from each agency met every month to plan moves together."
    results = "Eight of ten young people were in settled homes a year later."
    lessons = "Agree one plan and one named lead for each person."
    costs = "Staff time only."
    status = Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=n + 1))
    submitter_name = "Priya Submitter"
    submitter_email = "priya.submitter@example.test"
    submitter_phone = "01632 960001"
    submitter_organisation = "Brackenford Council"

    @factory.post_generation
    def client_groups(self, create, extracted, **kwargs):
        if not create:
            return
        self.client_groups.set(
            extracted if extracted is not None else [ClientGroup.objects.ordered().first()]
        )

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if create and extracted:
            self.outcomes.set(extracted)


class UnpublishedCaseStudyFactory(CaseStudyFactory):
    title = factory.Sequence(lambda n: f"Unpublished secret example {n}")
    slug = factory.Sequence(lambda n: f"unpublished-secret-example-{n}")
    status = Status.SUBMITTED
    published_at = None


class OutcomeFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeFigure

    case_study = factory.SubFactory(CaseStudyFactory)
    position = factory.Sequence(lambda n: n)
    measure = factory.Sequence(lambda n: f"In settled accommodation after six months ({n})")
    people = 12
    baseline_value = 40
    baseline_unit = FigureUnit.PERCENT
    baseline_on = datetime.date(2023, 4, 1)
    result_value = 75
    result_unit = FigureUnit.PERCENT
    result_on = datetime.date(2024, 3, 31)
