"""Bulk import of listings (``manage.py import_directory``, demo content).

CSV header (UTF-8, one listing a row; lists separated by ``;``; reference
data by name or slug):

    full_name,job_title,organisation,agency,areas,client_groups,expertise,tags,open_to,email,phone,show_contact

``open_to`` takes ``case``, ``boundaries`` and ``advice``; ``show_contact``
takes yes/no. ``tags`` are separated by commas. Rows are matched to existing
listings by e-mail address (case-insensitive), so a second run updates
rather than duplicates. An update is published at once (the taskforce
vouches for it), or with ``publish=False`` goes back through moderation,
as a listed person's own edit does. A person who withdrew their listing, or
whose listing a moderator rejected, is never listed again by an import:
their rows are reported and skipped. A listing waiting for a moderator's
decision is left alone (reported and skipped) until a moderator decides.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Iterator

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from linkup.audit import AuditEvent, audit_record
from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.moderation import Status, moderation_record_bulk
from linkup.pagecache import content_changed

from .forms import ListingForm
from .models import Listing

# The CSV has a column for each answer of the self-listing form.
HEADER = list(ListingForm.Meta.fields)
# Statuses a listing cannot come back from through an import.
ENDED = [Status.WITHDRAWN, Status.REJECTED]
# Waiting for a moderator: an import leaves these alone, so it never
# overwrites what someone sent (their own listing or edit) before a
# moderator has decided on it.
WAITING = [Status.SUBMITTED, Status.CHANGES_REQUESTED]


@dataclasses.dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self):
        return f"Row {self.row}, {self.field}: {self.message}"


@dataclasses.dataclass
class CleanRow:
    row: int
    fields: dict
    areas: list[int]
    client_groups: list[int]
    last_confirmed: datetime.datetime | None = None


class RowRules:
    """The self-listing form's rules for each answer, and the reference data
    by lower-case name and slug (a CSV names them; the form offers them),
    loaded once for the whole file."""

    def __init__(self):
        def index(queryset):
            table = {}
            for obj in queryset:
                table[obj.name.lower()] = obj.pk
                table[obj.slug.lower()] = obj.pk
            return table

        self.form = ListingForm()
        self.agencies = index(Agency.objects.all())
        self.areas = index(LocalAuthority.objects.open_to_listings())
        self.client_groups = index(ClientGroup.objects.all())


# The CSV's yes/no for the form's show_contact answer.
SHOW_CONTACT = {"": "no", "no": "no", "false": "no", "0": "no", "yes": "yes", "true": "yes", "1": "yes"}
# Answers given as text in the CSV as in the form.
TEXT_FIELDS = ["full_name", "job_title", "organisation", "expertise", "tags", "email", "phone"]


def _messages(error: ValidationError) -> str:
    """The form's messages, with the value refused where the form names it."""
    messages = []
    for item in error.error_list:
        message = item.message % item.params if item.params else item.message
        value = (item.params or {}).get("value")
        messages.append(f"{message} ('{str(value)[:60]}')" if value is not None else message)
    return " ".join(messages)


def _names(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def validate_row(raw: dict, row: int, rules: RowRules) -> tuple[CleanRow | None, list[RowError]]:
    """Hold one CSV row to the self-listing form's rules (``ListingForm.clean_answer``)."""
    errors: list[RowError] = []
    values = {name: (raw.get(name) or "").strip() for name in HEADER}
    cleaned = {}

    def answer(name, value):
        try:
            cleaned[name] = rules.form.clean_answer(name, value)
        except ValidationError as error:
            errors.append(RowError(row, name, _messages(error)))

    def reference(name, table, noun, *, many=True) -> list[int]:
        parts = _names(values[name]) if many else list(filter(None, [values[name]]))
        if not parts:
            errors.append(RowError(row, name, rules.form.fields[name].error_messages["required"]))
        ids = []
        for part in parts:
            if part.lower() in table:
                ids.append(table[part.lower()])
            else:
                errors.append(RowError(row, name, f"'{part[:60]}' is not a known {noun}"))
        return sorted(set(ids))

    for name in TEXT_FIELDS:
        answer(name, values[name])
    show = values["show_contact"].lower()
    answer("show_contact", SHOW_CONTACT.get(show, show))
    answer("open_to", [part.lower() for part in _names(values["open_to"])])
    agency = reference("agency", rules.agencies, "agency", many=False)
    areas = reference("areas", rules.areas, "area open to listings")
    groups = reference("client_groups", rules.client_groups, "client group")
    if errors:
        return None, errors
    return (
        CleanRow(
            row=row,
            fields={
                "full_name": cleaned["full_name"],
                "job_title": cleaned["job_title"],
                "organisation": cleaned["organisation"],
                "agency_id": agency[0],
                "expertise": cleaned["expertise"],
                "tags": cleaned["tags"],
                "open_to": list(dict.fromkeys(cleaned["open_to"])),
                "email": cleaned["email"].lower(),
                "phone": cleaned["phone"],
                "show_contact": cleaned["show_contact"],
            },
            areas=areas,
            client_groups=groups,
        ),
        [],
    )


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def places_map() -> dict[int, tuple[tuple[int, str], str]]:
    """Each authority's sort key and name, to build ``Listing.places`` in
    memory (the same text as ``services.listing_refresh_places``)."""
    return {
        pk: ((position, name), name)
        for pk, position, name in LocalAuthority.objects.values_list("pk", "position", "name")
    }


def places_text(area_ids: Iterable[int], places: dict) -> str:
    known = sorted(places[pk] for pk in set(area_ids) if pk in places)
    return ", ".join(name for _key, name in known)


# Columns written by an update, in this order (see _update_listings).
UPDATE_COLUMNS = [
    ("full_name", "text"),
    ("job_title", "text"),
    ("organisation", "text"),
    ("agency_id", "bigint"),
    ("expertise", "text"),
    ("tags", "text"),
    ("open_to", "text"),  # joined with commas, split again in SQL
    ("email", "text"),
    ("phone", "text"),
    ("show_contact", "boolean"),
    ("places", "text"),
    ("last_confirmed", "timestamptz"),
    ("stale_hidden_at", "timestamptz"),
    ("reminder_sent_at", "timestamptz"),
    ("status", "text"),
    ("submitted_at", "timestamptz"),
    ("published_at", "timestamptz"),
    ("updated_at", "timestamptz"),
]


def _execute(sql: str, params: list) -> list[tuple]:
    """Run one of the import's statements over a whole batch."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _update_listings(listings: list[Listing], now) -> None:
    """One UPDATE ... FROM unnest(arrays) for the whole batch: far cheaper
    than a CASE per field per row."""
    if not listings:
        return
    values = {name: [] for name, _type in UPDATE_COLUMNS}
    for listing in listings:
        listing.updated_at = now
        for name, _type in UPDATE_COLUMNS:
            value = getattr(listing, name)
            values[name].append(",".join(value) if name == "open_to" else value)
    names = [name for name, _type in UPDATE_COLUMNS]
    assignments = ", ".join(
        f"{name} = string_to_array(v.{name}, ',')" if name == "open_to" else f"{name} = v.{name}"
        for name in names
    )
    arrays = ", ".join(f"%s::{sql_type}[]" for _name, sql_type in UPDATE_COLUMNS)
    table = Listing._meta.db_table
    _execute(
        f"""
        UPDATE {table} AS l SET {assignments}
        FROM unnest(%s::bigint[], {arrays}) AS v(id, {", ".join(names)})
        WHERE l.id = v.id
        """,  # noqa: S608 - names and types are the constants above
        [[listing.pk for listing in listings], *(values[name] for name in names)],
    )


def _insert_listings(listings: list[Listing]) -> None:
    """One INSERT ... SELECT FROM unnest(arrays) for the whole batch (one
    array a column): ``bulk_create()`` writes a VALUES row per listing,
    since the array column cannot be unnested, and made the import twice
    as slow.
    Sets each listing's pk, matched by its unique reference."""
    if not listings:
        return
    fields = [
        field for field in Listing._meta.concrete_fields if not field.primary_key and not field.generated
    ]
    columns, arrays, selects, params = [], [], [], []
    now = timezone.now()
    for field in fields:
        if field.attname == "updated_at":
            values = [now] * len(listings)
        else:
            values = [getattr(listing, field.attname) for listing in listings]
        columns.append(field.column)
        if isinstance(field, ArrayField):
            # unnest() would flatten a two-dimensional array: joined here, split in SQL.
            arrays.append("%s::text[]")
            selects.append(f"string_to_array(v.{field.column}, ',')")
            params.append([",".join(value) for value in values])
        else:
            arrays.append(f"%s::{field.cast_db_type(connection)}[]")
            selects.append(f"v.{field.column}")
            params.append(values)
    table = Listing._meta.db_table
    returned = _execute(
        f"""
        INSERT INTO {table} ({", ".join(columns)})
        SELECT {", ".join(selects)} FROM unnest({", ".join(arrays)}) AS v({", ".join(columns)})
        RETURNING id, reference
        """,  # noqa: S608 - names and types come from the model
        params,
    )
    ids = {reference: pk for pk, reference in returned}
    for listing in listings:
        listing.pk = ids[listing.reference]
        listing._state.adding = False


def _insert_links(through, column: str, pairs: list[tuple[int, int]]) -> None:
    """The many-to-many rows of a batch, as one INSERT ... SELECT FROM unnest."""
    if not pairs:
        return
    _execute(
        f"INSERT INTO {through._meta.db_table} (listing_id, {column}) "  # noqa: S608 - model names
        "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
        [[listing for listing, _ in pairs], [other for _, other in pairs]],
    )


def repeated_emails(rows: list[CleanRow]) -> tuple[list[CleanRow], list[RowError]]:
    """The rows to import and an error for each row whose e-mail address an
    earlier row of the file already has (the first one is imported)."""
    first: dict[str, int] = {}
    kept, errors = [], []
    for row in rows:
        email = row.fields["email"]
        if email in first:
            errors.append(
                RowError(
                    row.row,
                    "email",
                    f"is the same as row {first[email]}'s; only row {first[email]} is imported",
                )
            )
        else:
            first[email] = row.row
            kept.append(row)
    return kept, errors


@dataclasses.dataclass
class Upserted:
    """What one batch did: listings created and updated, rows skipped."""

    created: int = 0
    updated: int = 0
    skipped: list[RowError] = dataclasses.field(default_factory=list)


@transaction.atomic
def listings_upsert(
    *,
    rows: list[CleanRow],
    publish: bool = True,
    actor_label: str = "Import",
    places: dict | None = None,
) -> Upserted:
    """Create or update one batch of validated rows, matched by e-mail.
    All or nothing for the batch.

    With ``publish`` (the taskforce vouches for the rows), new and updated
    listings are published and confirmed now; without it they wait for a
    moderator (an update leaves public view until approved, as a listed
    person's own edit does). A row whose address only belongs to listings
    that were withdrawn or rejected is skipped and reported, and so is a
    row for a listing waiting for a moderator's decision.

    A batch is written a statement a table, not a row at a time, so that
    a file of a hundred thousand rows imports within a minute. The area
    names go into ``places`` with each row (the text
    ``services.listing_refresh_places`` writes) rather than in a second
    pass, which would write every row twice. ``places`` is ``places_map()``,
    read once for the whole file if given."""
    now = timezone.now()
    places = places_map() if places is None else places
    by_email = {}
    for row in rows:
        by_email[row.fields["email"]] = row  # the last row for an address wins
    existing, ended = {}, {}
    # An address matches whatever its case, as the form treats it.
    for listing in (
        Listing.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(by_email))
        .only(
            "pk",
            "email",
            "status",
            "last_confirmed",
            "stale_hidden_at",
            "reminder_sent_at",
            "submitted_at",
            "published_at",
        )
        .order_by("pk")
    ):
        email = listing.email.lower()
        if listing.status in ENDED:
            ended.setdefault(email, listing.status)
        else:
            existing[email] = listing  # the newest live listing for the address
    result = Upserted()
    to_create, to_update, decisions = [], [], []
    for email, row in by_email.items():
        listing = existing.get(email)
        if listing is None and email in ended:
            why = (
                "withdrew their listing"
                if ended[email] == Status.WITHDRAWN
                else "was rejected by a moderator"
            )
            result.skipped.append(
                RowError(row.row, "email", f"belongs to a listing that {why}, so it is not imported again")
            )
            continue
        if listing is not None and listing.status in WAITING:
            result.skipped.append(
                RowError(
                    row.row,
                    "email",
                    "belongs to a listing waiting for a moderator's decision, so it is left alone: "
                    "decide it in admin, then import again",
                )
            )
            continue
        confirmed = row.last_confirmed or now
        place_names = places_text(row.areas, places)
        if listing is None:
            listing = Listing(
                **row.fields,
                places=place_names,
                status=Status.PUBLISHED if publish else Status.SUBMITTED,
                submitted_at=now,
                published_at=now if publish else None,
                last_confirmed=confirmed if publish else None,
            )
            to_create.append(listing)
            continue
        for name, value in row.fields.items():
            setattr(listing, name, value)
        listing.places = place_names
        before = listing.status
        if publish:
            listing.status = Status.PUBLISHED
            listing.published_at = listing.published_at or now
            listing.last_confirmed = confirmed
            listing.stale_hidden_at = None
            listing.reminder_sent_at = None
        else:
            listing.status = Status.SUBMITTED
            listing.submitted_at = now
        if listing.status != before:
            decisions.append((listing.pk, before, listing.status, "Updated by import."))
        to_update.append(listing)
    _insert_listings(to_create)
    _update_listings(to_update, now)
    listings = to_create + to_update
    areas_through = Listing.areas.through
    groups_through = Listing.client_groups.through
    updated_ids = [x.pk for x in to_update]
    if updated_ids:
        areas_through.objects.filter(listing_id__in=updated_ids).delete()
        groups_through.objects.filter(listing_id__in=updated_ids).delete()
    _insert_links(
        areas_through,
        "localauthority_id",
        [(listing.pk, area) for listing in listings for area in by_email[listing.email.lower()].areas],
    )
    _insert_links(
        groups_through,
        "clientgroup_id",
        [
            (listing.pk, group)
            for listing in listings
            for group in by_email[listing.email.lower()].client_groups
        ],
    )
    decisions += [(listing.pk, "", listing.status, "Created by import.") for listing in to_create]
    moderation_record_bulk(model=Listing, decisions=decisions, actor_label=actor_label, now=now)
    content_changed()  # the batch's bulk writes send no model signals
    result.created, result.updated = len(to_create), len(to_update)
    return result


def import_record_audit(*, created: int, updated: int, refused: int, skipped: int) -> None:
    """One entry in the audit trail for an import run: counts only."""
    audit_record(
        kind=AuditEvent.Kind.DIRECTORY_IMPORT,
        username="import_directory",
        detail=f"listings: {created} new, {updated} updated; rows: {refused} refused, {skipped} skipped",
    )
