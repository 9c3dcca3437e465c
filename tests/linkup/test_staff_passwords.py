"""Password rules: at least 12 characters, not a common password, 128 allowed."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_eleven_characters_refused():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("kq7-vbn-zx2")


def test_twelve_characters_accepted():
    validate_password("kq7-vbn-zx2w")


def test_128_characters_accepted():
    validate_password(("kq7-vbn-zx2w-" * 10)[:128])


def test_common_password_refused():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")


def test_all_digits_refused():
    with pytest.raises(ValidationError):
        validate_password("730195824613")


@pytest.mark.django_db
def test_128_character_password_signs_in(client, django_user_model):
    from django.urls import reverse

    password = ("kq7-vbn-zx2w-" * 10)[:128]
    django_user_model.objects.create_user(username="long", password=password, is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "long", "password": password})
    assert response.status_code == 302
