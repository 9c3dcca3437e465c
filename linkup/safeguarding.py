"""A safeguarding check on text the public sends before it is published.

It looks for things that could identify a person being supported: e-mail
addresses, phone numbers, postcodes, dates of birth, NHS numbers (with a
valid check digit), National Insurance numbers, street addresses, and
names next to words like "Mr" or "client". For a moderator it is a prompt,
not a filter: it errs towards warning, and the moderator decides. Text that
is passed on at once, with no moderator (a request to connect), is refused
when it holds a clear identifier (``clear_identifiers()``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d[\d\s()-]{8,13}\d(?!\d)")
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
NUMERIC_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
WORDED_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+\d{{4}}"
# A full date (day, month and year) could be a date of birth wherever it appears.
DATE_OF_BIRTH = re.compile(
    rf"(?:\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\W{{0,3}})?\b(?:{NUMERIC_DATE}|{WORDED_DATE})\b",
    re.IGNORECASE,
)
NHS_NUMBER = re.compile(r"(?<![\d])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d])")
NI_NUMBER = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.IGNORECASE,
)
STREET_SUFFIXES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Crescent|Place|Court|Gardens|Terrace|Grove|Way|"
    "Walk|Mews|Row|Square|Parade|Hill|View|Rise"
)
# A house number and a street name in capitals ("14 Acacia Avenue", "3b Mill Rd").
STREET_ADDRESS = re.compile(rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{STREET_SUFFIXES})\b")
TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+([A-Z][\w'’-]+)")
ROLE_NAME = re.compile(
    r"\b(?:[Cc]lient|[Ss]ervice user|[Yy]oung person|[Pp]atient|[Tt]enant|[Rr]esident)"
    r"(?:\s+(?:called|named|known as))?,?\s+([A-Z][\w'’-]+)"
)
# Capitalised words after "client" that are not names ("the client In 2009…").
NOT_NAMES = {
    "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "I", "If", "In", "It",
    "Its", "Of", "On", "Or", "She", "So", "That", "The", "Their", "Then", "They", "This", "To", "We",
    "When", "While", "With", "Group", "Groups",
}  # fmt: skip


EMAIL_KIND = "looks like an e-mail address"
NHS_NUMBER_KIND = "looks like an NHS number"
PHONE_KIND = "looks like a phone number"
POSTCODE_KIND = "looks like a postcode"
DATE_OF_BIRTH_KIND = "looks like a date of birth"
NI_NUMBER_KIND = "looks like a National Insurance number"
STREET_ADDRESS_KIND = "looks like a street address"
NAME_KIND = "looks like a person's name"
# What identifies a person beyond doubt. Names and e-mail addresses are left
# to a moderator's judgement: "Dr Patel" may be the colleague being asked.
CLEAR_IDENTIFIER_KINDS = (
    NHS_NUMBER_KIND,
    NI_NUMBER_KIND,
    DATE_OF_BIRTH_KIND,
    POSTCODE_KIND,
    STREET_ADDRESS_KIND,
    PHONE_KIND,
)


@dataclass(frozen=True)
class SafeguardingWarning:
    kind: str
    field: str
    excerpt: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.kind} ({self.excerpt})"


def has_contact_details(text: str) -> bool:
    """Whether ``text`` holds an e-mail address or a phone number: free
    text in the directory may not, as contact details are shown only to
    those who chose to show them, and only from their own fields."""
    return bool(text) and bool(EMAIL.search(text) or PHONE.search(text))


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else f"{text[:37]}…"


def scan(text: str, *, field: str = "") -> list[SafeguardingWarning]:
    """Everything in ``text`` that looks like it could identify a person."""
    if not text:
        return []
    found: list[SafeguardingWarning] = []

    def add(kind, match_text):
        found.append(SafeguardingWarning(kind=kind, field=field, excerpt=_excerpt(match_text)))

    for match in EMAIL.finditer(text):
        add(EMAIL_KIND, match.group())
    nhs_spans = []
    for match in NHS_NUMBER.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            nhs_spans.append(match.span())
            add(NHS_NUMBER_KIND, match.group())
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        overlaps_nhs = any(start <= match.start() < end for start, end in nhs_spans)
        if 10 <= len(digits) <= 13 and not overlaps_nhs:
            add(PHONE_KIND, match.group())
    for match in POSTCODE.finditer(text):
        add(POSTCODE_KIND, match.group())
    for match in DATE_OF_BIRTH.finditer(text):
        add(DATE_OF_BIRTH_KIND, match.group())
    for match in NI_NUMBER.finditer(text):
        add(NI_NUMBER_KIND, match.group())
    for match in STREET_ADDRESS.finditer(text):
        add(STREET_ADDRESS_KIND, match.group())
    for pattern in (TITLE_NAME, ROLE_NAME):
        for match in pattern.finditer(text):
            if match.group(1) not in NOT_NAMES:
                add(NAME_KIND, match.group())
    return found


def scan_fields(values: dict[str, str]) -> list[SafeguardingWarning]:
    """Scan several labelled pieces of text: {label: text}."""
    return [warning for label, text in values.items() for warning in scan(text or "", field=label)]


def clear_identifiers(text: str, *, field: str = "") -> list[SafeguardingWarning]:
    """The warnings of ``scan()`` that are clear identifiers
    (``CLEAR_IDENTIFIER_KINDS``), in that order of kinds."""
    found = [warning for warning in scan(text, field=field) if warning.kind in CLEAR_IDENTIFIER_KINDS]
    return sorted(found, key=lambda warning: CLEAR_IDENTIFIER_KINDS.index(warning.kind))
