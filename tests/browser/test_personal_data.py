"""Requests from a person in admin, in a real browser: find, confirm, erase;
each page passes axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Listing
from tests.conftest import admin_sign_in
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_find_then_erase_a_persons_data(page, axe, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@linkup.test", "correct-horse-battery-staple")
    listing = ListingFactory(email="Kim.Lee@example.nhs.test", full_name="Kim Lee")
    admin_sign_in(page, username="chief", password="correct-horse-battery-staple")

    page.click("text=Find a person's data")
    page.click("input[type=submit][value='Find their data']")
    expect(page.locator(".errornote")).to_contain_text("Enter the person's e-mail address")
    axe(page, context_label="find with an error")

    page.fill("#id_email", "kim.lee@example.nhs.test")
    page.click("input[type=submit][value='Find their data']")
    expect(page.get_by_role("heading", name=re.compile("What we hold for"))).to_be_visible()
    expect(page.locator("#content")).to_contain_text(listing.reference)
    axe(page, context_label="what we hold")

    page.click("text=Erase this person's data")
    expect(page.locator("#content")).to_contain_text("1 directory listing")
    axe(page, context_label="erase confirmation")
    assert Listing.objects.filter(pk=listing.pk).exists()

    page.click('input[type=submit][value="Yes, erase this person\'s data"]')
    expect(page.locator(".messagelist")).to_contain_text("1 record erased or anonymised")
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_apply_the_retention_schedule_now(page, axe, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@linkup.test", "correct-horse-battery-staple")
    admin_sign_in(page, username="chief", password="correct-horse-battery-staple")
    page.goto(reverse("admin:linkup_personaldatarequest_changelist"))
    axe(page, context_label="requests from people")
    page.click("input[type=submit][value='Apply the retention schedule now']")
    expect(page.locator(".messagelist")).to_contain_text("will be applied in a moment")
    axe(page, context_label="retention queued")
    page.click("input[type=submit][value='Apply the retention schedule now']")
    expect(page.locator(".messagelist")).to_contain_text("already waiting")
    axe(page, context_label="retention already waiting")
