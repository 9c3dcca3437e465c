"""Keep the copied area names (``Listing.places``) in step with the areas."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Listing
from .services import listing_refresh_places


@receiver(m2m_changed, sender=Listing.areas.through)
def areas_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # From the authority's side, pk_set holds the listings involved.
    ids = (pk_set or list(instance.listings.values_list("pk", flat=True))) if reverse else [instance.pk]
    listing_refresh_places(listing_ids=ids)
