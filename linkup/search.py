"""Site-wide search: one mechanism every public content type plugs into.

A ``Provider`` says how to search one type of content. Its ``search``
function takes the cleaned query and a limit and returns a QuerySet of
public records, best first, annotated with ``rank`` and ``headline``;
``result`` turns one record into a ``Result`` (public fields only); and
``vocabulary`` gives a QuerySet of one public text column, the words that
"did you mean" may suggest. Each app registers its provider with
``register()`` in its AppConfig.ready() (see toolkit/search.py,
casestudies/search.py and directory/search.py).

Each provider costs two queries (the ranking with its total, by a window
function; then the headlines of the few records shown); a suggestion, only
when nothing is found, reads the vocabulary from the shared cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.db.models.signals import post_delete, post_save
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

# The query's matches in a headline are marked with these, then the text is
# escaped and only then are the marks turned into <mark> elements.
MARK_START = "\ue010"
MARK_STOP = "\ue011"
MAX_QUERY = 200
PER_GROUP = 5
PER_GROUP_ALONE = 50


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    snippet: SafeString
    meta: str = ""
    rank: float = 0.0


@dataclass(frozen=True)
class Provider:
    key: str
    label: str  # plural, lower case: "toolkit pages"
    search: Callable[[str], QuerySet]
    result: Callable[[object], Result]
    vocabulary: Callable[[], QuerySet] | None = None
    position: int = 0
    models: tuple = ()  # saving or deleting one of these refreshes the vocabulary


@dataclass
class Group:
    provider: Provider
    count: int
    results: list[Result] = field(default_factory=list)

    @property
    def key(self):
        return self.provider.key

    @property
    def label(self):
        return self.provider.label


@dataclass
class SearchResults:
    query: str
    groups: list[Group]
    suggestion: str | None = None

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _registry[provider.key] = provider
    for model in provider.models:
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_vocabulary, sender=model, dispatch_uid=f"search-vocabulary-{model._meta.label}"
            )
    return provider


def _forget_vocabulary(**kwargs):
    cache.delete(VOCABULARY_CACHE_KEY)


def providers() -> list[Provider]:
    return sorted(_registry.values(), key=lambda p: (p.position, p.key))


def clean_query(query) -> str:
    """No NUL characters (Postgres refuses them), no marks, spaces collapsed, capped."""
    query = str(query or "")
    for char in ("\x00", MARK_START, MARK_STOP):
        query = query.replace(char, " ")
    return " ".join(query.split())[:MAX_QUERY]


def highlight(text: str, start: str = MARK_START, stop: str = MARK_STOP) -> SafeString:
    """A headline as safe HTML: everything escaped except the marks."""
    html = escape(text or "").replace(escape(start), "<mark>").replace(escape(stop), "</mark>")
    return mark_safe(html)  # noqa: S308  (escaped above)


def _count_and_results(queryset: QuerySet, limit: int) -> tuple[int, list]:
    """The total and the best ``limit`` records. Ranking reads only the
    ranks and the total (by a window function); the costly headlines are
    then made for those few records alone. Two queries, whatever the size."""
    ranked = list(
        queryset.annotate(search_total=Window(Count("*"))).values_list("pk", "search_total")[:limit]
    )
    if not ranked:
        return 0, []
    order = {pk: position for position, (pk, _) in enumerate(ranked)}
    rows = sorted(queryset.filter(pk__in=order), key=lambda row: order[row.pk])
    return ranked[0][1], rows


def site_search(query: str, *, only: str | None = None) -> SearchResults:
    query = clean_query(query)
    groups = []
    if not query:
        return SearchResults(query=query, groups=groups)
    for provider in providers():
        if only and provider.key != only:
            continue
        limit = PER_GROUP_ALONE if only else PER_GROUP
        count, rows = _count_and_results(provider.search(query), limit)
        groups.append(Group(provider=provider, count=count, results=[provider.result(row) for row in rows]))
    results = SearchResults(query=query, groups=groups)
    if results.total == 0:
        results.suggestion = suggest(query)
    return results


WORD = re.compile(r"[^\W\d_]+")
VOCABULARY_CACHE_KEY = "search:vocabulary"
VOCABULARY_SECONDS = 600
SIMILAR_ENOUGH = 0.3


def vocabulary() -> list[str]:
    """The distinct words of the public titles and summaries, kept in the
    shared cache until content changes (or for ten minutes at most)."""

    def build():
        sources = [p.vocabulary().order_by() for p in providers() if p.vocabulary]
        if not sources:
            return []
        union = sources[0].union(*sources[1:], all=True) if len(sources) > 1 else sources[0]
        sql, params = union.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT DISTINCT lower(word)
                FROM ({sql}) AS texts(txt), regexp_split_to_table(texts.txt, '[^[:alpha:]]+') AS word
                WHERE length(word) > 2
                """,  # noqa: S608  (sql is Django's own, with its parameters)
                params,
            )
            return sorted(row[0] for row in cursor.fetchall())

    return cache.get_or_set(VOCABULARY_CACHE_KEY, build, VOCABULARY_SECONDS)


def trigrams(word: str) -> set[str]:
    """As pg_trgm makes them: two spaces before the word, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def suggest(query: str) -> str | None:
    """'Did you mean': each word of the query replaced by the most similar
    word (trigram similarity, as pg_trgm) in the public titles and summaries."""
    words = [w.lower() for w in WORD.findall(query)][:8]
    known = vocabulary() if words else []
    if not known:
        return None
    corrected = []
    for typed in words:
        typed_trigrams = trigrams(typed)
        candidates = [w for w in known if abs(len(w) - len(typed)) <= max(2, len(typed) // 3)]
        scored = [(similarity(typed_trigrams, trigrams(w)), w) for w in candidates]
        best = max(scored, key=lambda item: (item[0], -len(item[1])), default=(0.0, typed))
        corrected.append(best[1] if best[0] > SIMILAR_ENOUGH else typed)
    return " ".join(corrected) if corrected != words else None


# The results page.


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the portal", required=False, max_length=MAX_QUERY * 5)
    type = forms.CharField(required=False, max_length=40)

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean_type(self):
        value = self.cleaned_data["type"]
        return value if value in {p.key for p in providers()} else ""


@require_safe
def results_view(request):
    form = SearchForm(request.GET)
    query, only = "", ""
    if form.is_valid():
        query, only = form.cleaned_data["q"], form.cleaned_data["type"]
    results = site_search(query, only=only or None)
    context = {"form": form, "query": query, "only": only, "results": results}
    return render(request, "search/results.html", context)
