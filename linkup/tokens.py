"""Signed, expiring links for people without an account (edit a submission,
update a directory listing). A token names one record and one purpose, and
carries the record's ``token_version``: bumping the version (after the link
is used) makes every earlier link stop working."""

from __future__ import annotations

from django.core import signing


def make_token(obj, purpose: str) -> str:
    payload = {"pk": obj.pk, "v": getattr(obj, "token_version", 0)}
    return signing.dumps(payload, salt=f"linkup.{obj._meta.label_lower}.{purpose}", compress=True)


def read_token(model, token: str, purpose: str, *, max_age: int):
    """The record the token names, or None if it is tampered, expired or used
    (``max_age``: seconds since it was made)."""
    try:
        payload = signing.loads(token, salt=f"linkup.{model._meta.label_lower}.{purpose}", max_age=max_age)
        obj = model.objects.get(pk=payload["pk"])
    except (signing.BadSignature, model.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if payload.get("v") != getattr(obj, "token_version", 0):
        return None
    return obj
