import factory

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
