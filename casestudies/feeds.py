"""Atom feeds of newly published case studies: all, per region, per client group.

Each feed names an XSL stylesheet (a static file), so a browser that opens
it shows a readable page; feed readers ignore the instruction and read the
Atom as ever. Browsers show a feed served as Atom as plain text, so one that
asks for a web page and not for Atom gets the same document as XML.

Every link in a feed is absolute on SITE_URL: Django would otherwise put
the request's Host header in front of a relative one.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from casestudies.models import CaseStudy
from linkup.models import ClientGroup, Region
from linkup.notifications import absolute

FEED_LENGTH = 20


class ReadableAtom1Feed(Atom1Feed):
    """Atom with the feed's ``stylesheets`` as ``<?xml-stylesheet?>``
    instructions before the root element (Django writes them for RSS only)."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class CaseStudyFeed(Feed):
    feed_type = ReadableAtom1Feed
    title = "Link Up, Link In: new case studies"
    subtitle = "Newly published examples of joint working for socially excluded adults."

    def link(self, obj=None):
        return absolute(reverse("casestudies:list"))

    def feed_url(self, obj=None):
        return absolute(reverse("casestudies:feed"))

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        accept = request.headers.get("Accept", "")
        if "text/html" in accept and "atom" not in accept:
            response["Content-Type"] = "application/xml; charset=utf-8"
        patch_vary_headers(response, ["Accept"])
        return response

    def stylesheets(self):
        return [Stylesheet(static("casestudies/feed.xsl"), mimetype="text/xsl")]

    def author_name(self):
        return "Link Up, Link In"

    def case_studies(self, obj):
        return CaseStudy.objects.published()

    def items(self, obj=None):
        return (
            self.case_studies(obj)
            .select_related("region")
            .prefetch_related("client_groups")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is HTML: the plain-text summary is escaped, so a "<"
        # in it reads as one in a feed reader.
        return escape(item.summary)

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.region.name, *(group.name for group in item.client_groups.all())]


class ReferenceFeed(CaseStudyFeed):
    """The feed of one region or client group, found by its slug."""

    model: type
    feed_url_name: str

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse(self.feed_url_name, args=[obj.slug]))


class RegionFeed(ReferenceFeed):
    model = Region
    feed_url_name = "casestudies:region_feed"

    def title(self, obj):
        return f"Link Up, Link In: new case studies in {obj.name}"

    def case_studies(self, obj):
        return CaseStudy.objects.published().filter(region=obj)


class ClientGroupFeed(ReferenceFeed):
    model = ClientGroup
    feed_url_name = "casestudies:client_group_feed"

    def title(self, obj):
        return f"Link Up, Link In: new case studies for {obj.name.lower()}"

    def case_studies(self, obj):
        through = CaseStudy.client_groups.through.objects.filter(clientgroup=obj)
        return CaseStudy.objects.published().filter(pk__in=through.values("casestudy_id"))
