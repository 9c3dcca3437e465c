"""The safeguarding detector: what it warns about, and what it leaves alone."""

import pytest

from linkup.safeguarding import clear_identifiers, nhs_number_is_valid, scan
from tests.hostile import IDENTIFYING


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Write to jo.bloggs@example.com for more", "e-mail address"),
        ("Call her on 07700 900123 any time", "phone number"),
        ("Ring 0115 496 0123", "phone number"),
        ("She lives at NG1 5FS now", "postcode"),
        ("He was born on 12/03/1990", "date of birth"),
        ("DOB 3 March 1991", "date of birth"),
        ("NHS number 943 476 5919", "NHS number"),
        ("NI number AB 12 34 56 C", "National Insurance number"),
        ("He is staying at 14 Acacia Avenue now", "street address"),
        ("Flat 3, 27b Mill Road, Derby", "street address"),
        ("We met Mrs Patel at the hostel", "name"),
        ("the client, Darren, moved in", "name"),
        ("our service user Aisha found work", "name"),
    ],
)
def test_warns_about_identifying_details(text, kind):
    assert any(kind in warning.kind for warning in scan(text)), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "Eight of ten care leavers were in settled homes a year later.",
        "The client group was adults with learning disabilities.",
        "In 2009 the council and probation worked together.",
        "The panel met 12 times and cost about £4,000.",
        "A client In the pilot area moved on.",
        "Reference 1234567890 is not an NHS number.",
        "We helped 40 people find their way into work.",
        "In 12 Local Authority areas the Road to Work scheme ran.",
    ],
)
def test_leaves_ordinary_text_alone(text):
    assert scan(text) == []


def test_nhs_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("123")


def test_warning_names_the_field():
    (warning,) = scan("Contact a@b.example", field="Results")
    assert str(warning).startswith("Results: looks like an e-mail address")


@pytest.mark.parametrize("label", sorted(IDENTIFYING))
def test_every_clear_identifier_in_the_corpus_is_found(label):
    assert clear_identifiers(IDENTIFYING[label]), label


def test_names_and_e_mail_addresses_are_no_clear_identifiers():
    """Left to a moderator: "Dr Patel" may be the colleague being asked."""
    text = "Dr Patel suggested I write; my colleague is jo@example.gov.test"
    assert scan(text) and clear_identifiers(text) == []


def test_clear_identifiers_come_in_a_fixed_order_of_kinds():
    kinds = [w.kind for w in clear_identifiers("born 1 April 1988, NHS 943 476 5919, DE1 2AB")]
    assert kinds == ["looks like an NHS number", "looks like a date of birth", "looks like a postcode"]
