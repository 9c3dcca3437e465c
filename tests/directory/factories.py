import factory
from django.utils import timezone

from directory.models import ContactRequest, Listing, OpenTo
from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.moderation import Status


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    job_title = "Housing options officer"
    organisation = "Example Borough Council"
    agency = factory.LazyFunction(lambda: Agency.objects.get(slug="adult-social-care"))
    expertise = "Supported housing and tenancy sustainment."
    tags = "housing"
    open_to = factory.LazyFunction(lambda: [OpenTo.CASE.value])
    email = factory.Sequence(lambda n: f"person{n}@example.nhs.test")
    phone = factory.Sequence(lambda n: f"0115 496 0{n:03d}")
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    last_confirmed = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.areas.set(extracted or [LocalAuthority.objects.get(slug="nottingham")])

    @factory.post_generation
    def client_groups(self, create, extracted, **kwargs):
        if create:
            self.client_groups.set(extracted or [ClientGroup.objects.get(slug="care-leavers")])


class ContactRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRequest

    listing = factory.SubFactory(ListingFactory)
    sender_name = "Sam Sender"
    sender_job_title = "Work coach"
    sender_organisation = "Jobcentre Plus"
    sender_email = factory.Sequence(lambda n: f"sender{n}@example.gov.test")
    reason = OpenTo.CASE
    message = "Can we talk about joint working?"
    # A request the sender confirmed and that was relayed, unless a test says otherwise.
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.SelfAttribute("created_at")
    emailed_at = factory.SelfAttribute("created_at")


class CaseStudyQuestionFactory(ContactRequestFactory):
    """A question about a case study, relayed to the person who shared it."""

    listing = None
    case_study = factory.SubFactory(
        "tests.casestudies.factories.CaseStudyFactory", contact_through_portal=True
    )
    reason = ""
    message = "How did you fund the housing link worker?"
