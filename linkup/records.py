"""Records of what happened (the audit trail, moderation history): written
once and never changed or deleted through the portal, so they can be
trusted as evidence."""

from django.core.exceptions import PermissionDenied
from django.db import models


class AppendOnly(models.Model):
    # How the refusals name the record, e.g. "The audit trail".
    record_name = "This record"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(f"{self.record_name} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(f"{self.record_name} cannot be deleted.")
