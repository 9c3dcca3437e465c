"""Forms for the finder and the business-case builder. Every message is in
GOV.UK wording; every form renders through the shared GOV.UK renderer."""

from django import forms
from django.db.models import Case, IntegerField, When
from django.forms.utils import ErrorDict
from django.utils import timezone

from casestudies.models import CaseStudy
from linkup.forms import GovUKDateField, GovUKMessagesMixin, any_of, long_text, one_of
from linkup.models import Agency, ClientGroup, LocalAuthority, NationalIndicator, Region
from toolkit.models import Need

MAX_EVIDENCE = 10
PICK_FIELD = "evidence"


def where_choices():
    regions = list(Region.objects.ordered())
    choices = [("", "Choose an area"), ("Regions", [(f"region-{r.slug}", r.name) for r in regions])]
    authorities = LocalAuthority.objects.open_to_listings().order_by("name")
    for region in regions:
        group = [(f"la-{a.slug}", a.name) for a in authorities if a.region_id == region.pk]
        if group:
            choices.append((f"{region.name} local authorities", group))
    return choices


class FinderStepForm(forms.Form):
    """One question of the finder; ``step`` names the field to keep."""

    client_group = one_of(
        ClientGroup.objects.ordered(),
        to_field_name="slug",
        label="Who are you trying to help?",
        message="Select who you are trying to help",
    )
    need = one_of(
        Need.objects.all(),
        to_field_name="slug",
        label="What does the person need help with?",
        message="Select what the person needs help with",
    )
    where = forms.ChoiceField(
        label="Where does the person live, or want to live?",
        help_text="Choose a region, or one of the local authorities the directory covers.",
        error_messages={"required": "Select an area", "invalid_choice": "Select an area from the list"},
    )

    STEPS = ("client_group", "need", "where")

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        for name in [n for n in self.fields if n != step]:
            del self.fields[name]
        if step == "where":
            self.fields["where"].choices = where_choices()

    def clean_where(self):
        value = self.cleaned_data["where"]
        kind, _, slug = value.partition("-")
        if kind == "region":
            area = Region.objects.filter(slug=slug).first()
        else:
            authorities = LocalAuthority.objects.open_to_listings().select_related("region")
            area = authorities.filter(slug=slug).first()
        if area is None:
            raise forms.ValidationError("Select an area from the list")
        return {"value": value, "kind": kind, "area": area}


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.title}"


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.region.name})"


def picked_ids(data) -> list[int]:
    """The case studies already picked, from submitted data, ignoring junk."""
    ids = []
    for value in data.getlist(PICK_FIELD) if hasattr(data, "getlist") else []:
        # ASCII digits only: "²" is a digit to isdigit(), not to int().
        if value.isascii() and value.isdigit() and len(value) < 10 and int(value) not in ids:
            ids.append(int(value))
    return ids[:MAX_EVIDENCE]


class BusinessCaseForm(GovUKMessagesMixin, forms.Form):
    title = forms.CharField(
        label="What is your proposal called?",
        max_length=200,
        error_messages={
            "required": "Enter a name for your proposal",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    author = forms.CharField(
        label="Your name",
        max_length=120,
        help_text="The business case is written in your name.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 120 characters or fewer",
        },
    )
    organisation = forms.CharField(
        label="Your organisation",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={
            "required": "Enter your organisation",
            "max_length": "Your organisation must be 150 characters or fewer",
        },
    )
    date = GovUKDateField(
        label="Date of the business case",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the business case", "invalid": "Enter a real date"},
    )
    client_group = one_of(
        ClientGroup.objects.ordered(),
        to_field_name="slug",
        label="Which client group is it for?",
        message="Select a client group",
    )
    partners = any_of(
        Agency.objects.ordered(),
        to_field_name="slug",
        label="Which agencies will work together?",
        help_text="Select all that apply.",
        required="Select at least one partner agency",
        invalid="Select partner agencies from the list",
    )
    other_partners = forms.CharField(
        label="Other partners (optional)",
        required=False,
        max_length=300,
        help_text="For example, a named charity or employer.",
        error_messages={"max_length": "Other partners must be 300 characters or fewer"},
    )
    problem = long_text(
        "What is the problem?",
        rows=5,
        max_length=3000,
        help_text="Who is affected, how many people, and what happens now.",
        message="Describe the problem",
        too_long="The problem must be 3000 characters or fewer",
    )
    approach = long_text(
        "What will you do together?",
        rows=5,
        max_length=3000,
        message="Describe what you will do together",
        too_long="The approach must be 3000 characters or fewer",
    )
    costs = long_text(
        "What will it cost, and who will pay?",
        rows=4,
        max_length=2000,
        message="Describe the costs",
        too_long="The costs must be 2000 characters or fewer",
    )
    indicators = any_of(
        NationalIndicator.objects.select_related("client_group"),
        field_class=IndicatorChoiceField,
        label="Which national indicators will it improve?",
        help_text="Choose the indicators for the client group you selected.",
        required="Select at least one national indicator",
        invalid="Select national indicators from the list",
    )
    expected_outcomes = long_text(
        "What outcomes do you expect?",
        rows=4,
        max_length=2000,
        help_text="For example, 20 more care leavers in suitable accommodation within a year.",
        message="Describe the outcomes you expect",
        too_long="The outcomes must be 2000 characters or fewer",
    )
    evidence_query = forms.CharField(
        label="Search published case studies to cite as evidence (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search words must be 200 characters or fewer"},
    )
    evidence = any_of(
        CaseStudy.objects.none(),
        field_class=EvidenceChoiceField,
        label="Case studies to cite",
        invalid="Select case studies from the list",
    )

    def __init__(self, *args, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        # Only published case studies can be picked: those already picked,
        # then those the last search found.
        ids = picked_ids(self.data)
        ids += [case.pk for case in found if case.pk not in ids]
        order = Case(*[When(pk=pk, then=n) for n, pk in enumerate(ids)], output_field=IntegerField())
        self.fields["evidence"].queryset = (
            CaseStudy.objects.published()
            .filter(pk__in=ids)
            .select_related("region")
            .with_figures_listed()
            .order_by(order)
            if ids
            else CaseStudy.objects.none()
        )

    def clean(self):
        data = super().clean()
        group, indicators = data.get("client_group"), data.get("indicators")
        if group and indicators and any(i.client_group_id != group.pk for i in indicators):
            self.add_error("indicators", f"Select indicators for {group.name.lower()}")
        if len(data.get("evidence") or []) > MAX_EVIDENCE:
            self.add_error("evidence", f"Select {MAX_EVIDENCE} case studies or fewer")
        return data

    def without_errors(self):
        """Keep the answers but show no errors (after a case-study search)."""
        self.is_valid()
        self._errors = ErrorDict()
        return self
