from django.contrib import admin
from django.utils.html import format_html

from toolkit.markdown import render_markdown
from toolkit.models import AgencySuggestion, Need, Page, Section


class PageInline(admin.TabularInline):
    model = Page
    fields = ["title", "slug", "position", "published"]
    show_change_link = True
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "published"]
    list_editable = ["position", "published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PageInline]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "position", "published", "updated_at"]
    list_filter = ["section", "published", "client_group"]
    list_editable = ["position", "published"]
    list_select_related = ["section"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at", "preview"]
    fields = [
        "section",
        "title",
        "slug",
        "summary",
        "body",
        "preview",
        "client_group",
        "position",
        "published",
        "updated_at",
    ]

    @admin.display(description="Preview (as saved)")
    def preview(self, obj):
        if not obj.pk:
            return "Save the page to see a preview."
        return format_html('<div class="toolkit-preview">{}</div>', render_markdown(obj.body))


class AgencySuggestionInline(admin.TabularInline):
    model = AgencySuggestion
    fields = ["client_group", "agency", "reason", "position"]
    extra = 1


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgencySuggestionInline]


@admin.register(AgencySuggestion)
class AgencySuggestionAdmin(admin.ModelAdmin):
    list_display = ["need", "agency", "client_group", "position"]
    list_filter = ["need", "client_group", "agency"]
    list_select_related = ["need", "agency", "client_group"]
