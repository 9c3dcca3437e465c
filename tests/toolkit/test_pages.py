"""Toolkit pages: the tree, navigation, publishing, initial content."""

import pytest
from django.urls import reverse

from linkup.models import ClientGroup
from tests.toolkit.factories import PageFactory, SectionFactory
from toolkit.models import Page, Section

pytestmark = pytest.mark.django_db


def test_fresh_install_has_the_guidance():
    titles = set(Page.objects.published().values_list("title", flat=True))
    for title in [
        "Why joint working matters",
        "Identifying who to contact",
        "Making the business case",
        "Sharing information safely",
        "Measuring joint outcomes",
        "Working across geographical boundaries",
        "How to share your own example",
    ]:
        assert title in titles
    # One guide per client group.
    assert (
        Page.objects.published().filter(client_group__isnull=False).count()
        == ClientGroup.objects.count()
        == 4
    )
    why = Page.objects.get(slug="why-joint-working-matters")
    for n in range(143, 151):
        assert f"NI {n}" in why.body


def test_home_lists_sections_and_tools(client):
    html = client.get(reverse("toolkit:home")).content.decode()
    for section in Section.objects.published():
        assert section.title in html
    assert reverse("toolkit:finder") in html
    assert reverse("toolkit:business_case") in html


def test_toolkit_is_in_the_site_navigation(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("toolkit:home")}"' in html


def test_page_layout_contents_breadcrumbs_and_pagination(client):
    section = SectionFactory(position=0)
    first, second, third = (PageFactory(section=section, position=n, title=f"Step {n}") for n in (1, 2, 3))
    html = client.get(second.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-xl">Step 2</h1>' in html
    assert 'class="govuk-breadcrumbs"' in html and section.get_absolute_url() in html
    assert f'href="{first.get_absolute_url()}"' in html and f'href="{third.get_absolute_url()}"' in html
    assert 'aria-current="page">Step 2<' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Last updated" in html
    assert "<strong>guidance</strong>" in html


def test_previous_and_next_cross_sections_in_order(client):
    pages = list(Page.objects.published().ordered())
    html = client.get(pages[0].get_absolute_url()).content.decode()
    assert 'rel="prev"' not in html
    assert f'href="{pages[1].get_absolute_url()}" rel="next"' in html
    html = client.get(pages[-1].get_absolute_url()).content.decode()
    assert 'rel="next"' not in html


def test_unpublished_pages_are_hidden_everywhere(client):
    section = SectionFactory(position=0)
    visible = PageFactory(section=section, title="Visible guide")
    hidden = PageFactory(section=section, title="Secret draft guide", published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in (reverse("toolkit:home"), section.get_absolute_url(), visible.get_absolute_url()):
        assert "Secret draft guide" not in client.get(url).content.decode()


def test_unpublished_section_hides_its_pages(client):
    section = SectionFactory(published=False, title="Hidden section")
    page = PageFactory(section=section)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert client.get(section.get_absolute_url()).status_code == 404
    assert "Hidden section" not in client.get(reverse("toolkit:home")).content.decode()


def test_client_group_guide_links_only_to_what_exists(client):
    page = Page.objects.get(slug="care-leavers")
    html = client.get(page.get_absolute_url()).content.decode()
    assert f"{reverse('toolkit:finder')}?client_group=care-leavers" in html
    # Links into other parts appear only when those pages exist.
    from linkup.context_processors import url_if_installed

    for name in ("casestudies:list", "directory:search"):
        url = url_if_installed(name)
        if url:
            assert f"{url}?client_group=care-leavers" in html
        else:
            assert "?client_group=care-leavers&" not in html


@pytest.mark.parametrize(
    "path",
    ["/toolkit/no-such-section/", "/toolkit/joint-working/no-such-page/", "/toolkit/x/y/z/", "/toolkit/%00/"],
)
def test_unknown_addresses_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("view", ["page", "section", "home"])
def test_pages_make_as_many_queries_for_50_pages_as_for_5(client, no_page_cache, count_queries, view):
    section = SectionFactory()
    page = PageFactory(section=section, client_group=ClientGroup.objects.first())
    url = {
        "page": page.get_absolute_url(),
        "section": reverse("toolkit:section", args=[section.slug]),
        "home": reverse("toolkit:home"),
    }[view]

    def visit():
        assert client.get(url).status_code == 200

    PageFactory.create_batch(4, section=section)
    PageFactory.create_batch(5)
    few = count_queries(visit)
    PageFactory.create_batch(45, section=section)
    PageFactory.create_batch(45)
    assert count_queries(visit) <= few


def test_admin_preview_shows_rendered_sanitised_markdown(otp_client, admin_user):
    page = PageFactory(body="## Heading\n\n<script>alert(1)</script>Text")
    html = otp_client(admin_user).get(reverse("admin:toolkit_page_change", args=[page.pk])).content.decode()
    assert '<h2 class="govuk-heading-l">Heading</h2>' in html
    assert "<script>alert(1)" not in html
