import factory
from django.utils import timezone

from casestudies.models import CaseStudy
from linkup.models import Region
from linkup.moderation import Status
from toolkit.models import AgencySuggestion, Need, Page, Section


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    title = factory.Sequence(lambda n: f"Test section {n}")
    slug = factory.Sequence(lambda n: f"test-section-{n}")
    summary = "A section for tests."
    position = factory.Sequence(lambda n: 100 + n)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    section = factory.SubFactory(SectionFactory)
    title = factory.Sequence(lambda n: f"Test page {n}")
    slug = factory.Sequence(lambda n: f"test-page-{n}")
    summary = "A page for tests."
    body = "Some **guidance**."
    position = factory.Sequence(lambda n: n)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    name = factory.Sequence(lambda n: f"Test need {n}")
    slug = factory.Sequence(lambda n: f"test-need-{n}")


class AgencySuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencySuggestion

    need = factory.SubFactory(NeedFactory)
    reason = "Because they can help."


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """Built here directly; published unless told otherwise."""

    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Joint housing project {n}")
    slug = factory.Sequence(lambda n: f"joint-housing-project-{n}")
    summary = "Probation and housing worked together to find homes."
    region = factory.LazyFunction(lambda: Region.objects.get(slug="east-midlands"))
    organisations = "Probation; council housing"
    challenge = "People left prison with nowhere to live."
    approach = "A housing worker joined the probation team."
    results = "Forty people moved into settled accommodation."
    lessons = "Start early."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def client_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.client_groups.set(extracted)
