"""``email_send`` builds headers only from values that are safe in them: a
subject or address that could add a header line is refused, and nothing is
sent."""

from types import SimpleNamespace

import pytest
from django.core import mail

from linkup.models import QueuedEmail
from linkup.notifications import UnsafeHeaderError, email_send
from tests.hostile import CONTROL_CHARACTERS

TEMPLATE = "directory/email/contact_request.txt"


def send(*, name="Ada Lovelace", to="nia@example.gov.uk", reply_to=("ada@example.gov.uk",)):
    context = {
        "request": SimpleNamespace(sender_name=name, sender_email=reply_to[0] if reply_to else ""),
        "listing": SimpleNamespace(full_name="Nia Patel"),
        "site_url": "https://linkup.example",
    }
    return email_send(template=TEMPLATE, to=to, reply_to=list(reply_to), context=context, log_as="test")


pytestmark = pytest.mark.django_db


def test_safe_values_are_sent(run_jobs):
    assert send() is True
    assert [job.status for job in run_jobs()] == ["succeeded"]
    (message,) = mail.outbox
    assert message.subject == "Request to connect from Ada Lovelace"
    assert message.to == ["nia@example.gov.uk"] and message.reply_to == ["ada@example.gov.uk"]


@pytest.mark.parametrize(
    "character",
    [c for c in CONTROL_CHARACTERS.values() if c not in "\n"],
    ids=[code for code, c in CONTROL_CHARACTERS.items() if c not in "\n"],
)
def test_a_subject_with_a_control_character_is_refused(character):
    """A line feed ends the subject line of the template itself; every other
    control character would stay in the subject."""
    with pytest.raises(UnsafeHeaderError, match="subject of the test e-mail"):
        send(name=f"Eve{character}Bcc: all@example.org")
    assert not QueuedEmail.objects.exists()


@pytest.mark.parametrize(
    ("to", "reply_to"),
    [
        ('"eve@example.org>, all"@example.org', ("ada@example.gov.uk",)),
        ("nia@example.gov.uk", ('"a\\"b"@example.org',)),
        ("nia@example.gov.uk", ("ada@example.gov.uk\x1cBcc: all@example.org",)),
        ("nia@example.gov.uk\u2028Bcc: all@example.org", ("ada@example.gov.uk",)),
    ],
)
def test_an_address_that_could_break_a_header_is_refused(to, reply_to):
    with pytest.raises(UnsafeHeaderError, match="not a plain e-mail address"):
        send(to=to, reply_to=reply_to)
    assert not QueuedEmail.objects.exists()
