"""Search: the one module every public content type searches through.

- ``KeywordField``: the search box of every search form, and
  ``clean_query()``: what any search does first with what was typed, so
  that no query of any shape is an error; ``has_operators()`` and
  ``plain_words()`` read its websearch operators;
- ``search_headline()`` and ``highlight()``: the one pair of markers. The
  markers are taken out of the stored text before Postgres marks the
  matches, and ``highlight()`` escapes everything but them, so submitted
  text cannot forge a highlight;
- ``snippet()``: a headline or text as a result shows it, an ellipsis where
  it was cut;
- the vocabulary (``SearchWord``, kept by ``vocabulary_refresh()``) and
  ``correct()``: typo correction and "did you mean", for every content type;
- site-wide search: each app registers a ``Provider`` in its
  AppConfig.ready() (toolkit/search.py, casestudies/search.py,
  directory/search.py); ``results_view`` is the /search/ page.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.postgres.search import SearchHeadline, SearchVector, TrigramDistance
from django.db import connections, models, transaction
from django.db.models import Exists, F, Func, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat, Lower
from django.db.models.lookups import Exact
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from linkup.models import SearchWord
from linkup.pagecache import cached_page, content_changed
from linkup.ratelimit import too_many_requests

# Postgres marks the matches in a headline with these (private-use
# characters); ``highlight()`` turns them into <mark> elements.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
MARKS = MARK_START + MARK_STOP
MARKED_WORD = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)
MAX_QUERY = 200
MAX_QUERY_WORDS = 32
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# Query cleaning.


def clean_query(query) -> str:
    """What was typed, made safe to search with: control characters and
    markers are spaces, a word of symbols alone is left out (a long run of
    "-" is a nest of NOTs Postgres cannot parse), a word starts with at most
    one "-", and the whole is capped in words and characters. Quotes, OR and
    a leading minus keep their websearch meaning."""
    text = CONTROL_CHARACTERS.sub(" ", str(query or "")).translate({ord(c): " " for c in MARKS})
    words = []
    for word in text.split():
        if not any(character.isalnum() for character in word):
            if '"' in word:
                words.append('"')  # a quotation mark on its own still opens or closes a phrase
            continue
        words.append(re.sub(r"^[-!]+", "-", word) if word[0] in "-!" else word)
    cleaned = " ".join(words[:MAX_QUERY_WORDS])
    if len(cleaned) > MAX_QUERY:
        cleaned = cleaned[:MAX_QUERY].rsplit(" ", 1)[0]
    return cleaned


def _websearch_words(query: str) -> list[str]:
    return query.replace('"', " ").split()


def _is_operator(word: str) -> bool:
    return word.startswith("-") or word.lower() == "or"


def has_operators(query: str) -> bool:
    """Whether a websearch query asks for exact matching (quotes, OR, a
    leading minus), which a typo fallback on its plain words would ignore."""
    return '"' in query or any(_is_operator(word) for word in _websearch_words(query))


def plain_words(query: str) -> str:
    """The words of a websearch query without its operators: what typo
    correction reads."""
    return " ".join(word for word in _websearch_words(query) if not _is_operator(word))


def has_search_terms(query: str, *, config: str = "english", using: str = "default") -> bool:
    """Whether ``query`` has any word to search for: one made only of words
    too common to index ("the", "or") has none."""
    query = clean_query(query)
    if not query:
        return False
    # A SELECT with no table, which the ORM cannot say.
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [config, query])
        return cursor.fetchone()[0]


# Highlighting.


def without_marks(expression) -> Func:
    """A text expression with any marker characters taken out (in SQL)."""
    if isinstance(expression, str):
        expression = F(expression)
    return Func(expression, Value(MARKS), Value(""), function="translate", output_field=models.TextField())


def search_headline(expression, search_query, *, config: str, **options) -> SearchHeadline:
    """ts_headline of ``expression`` (a field name or text expression), the
    matches between the markers, which are first taken out of the text."""
    return SearchHeadline(
        without_marks(expression),
        search_query,
        config=config,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        **options,
    )


def highlight(text: str | None) -> SafeString:
    """Marked text as safe HTML: everything escaped, then the marks made <mark>."""
    html = escape(text or "")
    html = html.replace(MARK_START, '<mark class="app-highlight">').replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308  (escaped above)


def marked_words(text: str | None) -> frozenset[str]:
    """The words a headline marked."""
    return frozenset(MARKED_WORD.findall(text or ""))


def mark_words(text: str | None, words: frozenset[str]) -> str:
    """``text`` with every whole-word occurrence of ``words`` (as written in
    it) between the markers, ready for ``highlight()``. Markers already in
    the text are dropped first."""
    text = (text or "").translate({ord(c): None for c in MARKS})
    if not words:
        return text
    return _words_pattern(words).sub(rf"{MARK_START}\g<0>{MARK_STOP}", text)


@functools.lru_cache(maxsize=256)
def _words_pattern(words: frozenset[str]) -> re.Pattern:
    """Any of ``words`` as a whole word, longest first so that no word is
    marked in part; a word is bounded by anything but a letter or digit, as
    the text search parser splits words."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


# Snippets.

ELLIPSIS = "…"
SNIPPET_CHARACTERS = 300
FINAL_STOPS = ".!?"
# Blocks of a text (a heading, a paragraph, a list item) are separated by a
# blank line; in a snippet a block that ends without a stop is followed by
# BLOCK_JOIN, so a heading never runs into the words after it.
BLOCK_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
BLOCK_JOIN = " – "


def one_line(text: str) -> str:
    """``text`` on one line: its blocks kept apart (``BLOCK_BREAK``), the
    spaces and line breaks within each made single spaces."""
    line = ""
    for block in BLOCK_BREAK.split(text.strip()):
        block = " ".join(block.split())
        if not block:
            continue
        if line:
            ends = line.rstrip(MARKS)[-1:]
            line += " " if ends in f"{FINAL_STOPS}:;,{ELLIPSIS}" else BLOCK_JOIN
        line += block
    return line


def snippet(text: str | None, *, whole: str | None = None, max_chars: int = SNIPPET_CHARACTERS) -> str:
    """``text`` (plain or marked) as a result shows it: at most ``max_chars``
    long, cut at a word boundary, with an ellipsis wherever it was cut. When
    ``text`` is a headline of ``whole``, an ellipsis also stands for the
    parts of ``whole`` the headline left out."""
    text = one_line(text or "").replace(" ... ", f" {ELLIPSIS} ")
    if not text:
        return ""
    plain = text.translate({ord(c): None for c in MARKS})
    starts_cut = ends_cut = False
    if whole is not None:
        whole = one_line(whole)
        starts_cut = not whole.startswith(plain[:20])
        ends_cut = not whole.rstrip(FINAL_STOPS).endswith(plain.rstrip(FINAL_STOPS)[-20:])
        if not ends_cut:
            # A headline leaves off the stop the text ends with: it is put back.
            text = text.rstrip(FINAL_STOPS) + whole[len(whole.rstrip(FINAL_STOPS)) :]
    if len(plain) > max_chars:
        text = _cut(text, max_chars)
        ends_cut = True
    if ends_cut:
        text = text.rstrip(" ,;:.-")
        if text.count(MARK_START) > text.count(MARK_STOP):
            text += MARK_STOP  # cut inside a mark
        text += ELLIPSIS
    return f"{ELLIPSIS}{text}" if starts_cut else text


def _cut(text: str, max_chars: int) -> str:
    """The marked ``text`` cut at the last space before ``max_chars`` visible characters."""
    visible = 0
    for position, character in enumerate(text):
        if character in MARKS:
            continue
        visible += 1
        if visible > max_chars:
            head = text[:position]
            return head.rsplit(" ", 1)[0] if " " in head else head
    return text


# The vocabulary: typo correction and "did you mean".

WORD = re.compile(r"[^\W\d_]+")
SHORTEST_WORD, LONGEST_WORD = 3, 40
# A typed word is corrected to a known word at least this similar (trigram
# similarity); words of up to five letters share fewer trigrams.
TYPO_SIMILARITY = 0.4
TYPO_SIMILARITY_SHORT = 0.25
TYPO_CANDIDATES = 20


@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """A word as the vocabulary compares it: unaccented, lower case."""
    word = word.lower()
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# Each word with what ends the sentence before it, if anything does: a
# capitalised word there (or first) may only be capitalised for its place.
WORD_IN_SENTENCE = re.compile(r"([.!?:#\n|]?)[ \t]*([^\W\d_]+)")


def words_of(text: str | None) -> dict[str, tuple[int, str]]:
    """The words of ``text`` worth correcting to, by key, each with how it
    is written and how sure that is: written in lower case (3), capitalised
    within a sentence, as a name is (2), or capitalised at the start of a
    sentence or heading (1), which says nothing about the word."""
    found: dict[str, tuple[int, str]] = {}
    for sentence_end, written in set(WORD_IN_SENTENCE.findall(f"\n{text or ''}")):
        if not SHORTEST_WORD <= len(written) <= LONGEST_WORD:
            continue
        certainty = 3
        if not written.islower():
            certainty = 1 if sentence_end and written[1:].islower() else 2
        key = word_key(written)
        if key not in found or certainty > found[key][0]:
            found[key] = (certainty, written)
    return found


def vocabulary_refresh(*, source: str | None = None) -> None:
    """Rebuild the vocabulary of one provider (or of all), with exact
    counts, from its public text: after an import, daily, and after
    migrating."""
    for provider in providers():
        if not provider.fields or source not in (None, provider.key):
            continue
        counts: Counter[str] = Counter()
        spellings: dict[str, tuple[int, str]] = {}
        rows = (
            provider.public()
            .annotate(vocabulary_text=provider.text())
            .values_list("vocabulary_text", flat=True)
        )
        for text in rows.iterator(chunk_size=2000):
            found = words_of(text)
            counts.update(found.keys())
            for key, spelling in found.items():
                if key not in spellings or spelling[0] > spellings[key][0]:
                    spellings[key] = spelling
        with transaction.atomic():
            SearchWord.objects.filter(source=provider.key).delete()
            SearchWord.objects.bulk_create(
                (
                    SearchWord(source=provider.key, word=key, spelling=_spelling(*spellings[key]), ndoc=ndoc)
                    for key, ndoc in counts.items()
                ),
                batch_size=5000,
            )
            _mark_stop_words(SearchWord.objects.filter(source=provider.key))
            content_changed()  # "did you mean" may offer other words now


def _spelling(certainty: int, written: str) -> str:
    """How to show a word: as written, unless capitalised only for its place."""
    return written.lower() if certainty == 1 else written


def _is_stop_word(word) -> Exact:
    """True for a word the English configuration does not index ("and")."""
    return Exact(Cast(SearchVector(word, config="english"), models.TextField()), Value(""))


def _mark_stop_words(words: QuerySet) -> None:
    words.update(stop=_is_stop_word(F("word")))


def _record_saved(sender, instance, created=False, raw=False, **kwargs):
    """Keep the vocabulary in step as records are written one by one: a
    public record adds its new words; a record that may have been public
    takes out the words no public record uses now. Bulk writes call
    ``vocabulary_refresh()``."""
    if raw:
        return  # loading a fixture: the vocabulary comes with it
    for provider in providers():
        if sender not in provider.models or not provider.fields:
            continue
        if sender is not provider.models[0]:
            vocabulary_refresh(source=provider.key)  # a parent (a toolkit section): a small source
            continue
        public_text = None
        if kwargs.get("signal") is post_save:
            public = provider.public().filter(pk=instance.pk).annotate(vocabulary_text=provider.text())
            public_text = public.values_list("vocabulary_text", flat=True).first()
        if public_text is not None:
            found = words_of(public_text)
            SearchWord.objects.bulk_create(
                [SearchWord(source=provider.key, word=k, spelling=_spelling(*w)) for k, w in found.items()],
                ignore_conflicts=True,
            )
            _mark_stop_words(SearchWord.objects.filter(source=provider.key, word__in=found, ndoc=1))
        elif not created and getattr(instance, "published_at", True):
            found = words_of("\n".join(str(getattr(instance, name, "") or "") for name in provider.fields))
            _unused_words(provider, found).delete()


def _unused_words(provider: Provider, words: Iterable[str]) -> QuerySet:
    """Those of ``words`` (keys) that no public record of ``provider`` uses
    now: a word a withdrawn record shared with a public one stays."""
    public_keys = provider.public().annotate(
        vocabulary_keys=Func(Lower(provider.text()), function="unaccent", output_field=models.TextField())
    )
    # As a whole word: no letter either side, as words_of() reads words.
    used = public_keys.filter(
        vocabulary_keys__regex=Concat(
            Value("(?<![[:alpha:]])"),
            OuterRef("word"),
            Value("(?![[:alpha:]])"),
            output_field=models.TextField(),
        )
    )
    return SearchWord.objects.filter(source=provider.key, word__in=list(words)).exclude(Exists(used))


def correct(query: str, *, sources: Iterable[str] | None = None) -> str | None:
    """``query`` with each word the vocabulary does not know replaced by the
    nearest word it does (as that content writes it), or None when no word
    was corrected. Stop words are never corrected, nor corrections."""
    vocabulary = SearchWord.objects.all()
    if sources is not None:
        vocabulary = vocabulary.filter(source__in=sources)
    typed = {word_key(m.group()): m.group() for m in WORD.finditer(query or "")}
    typed = {k: w for k, w in list(typed.items())[:MAX_QUERY_WORDS] if len(k) >= SHORTEST_WORD}
    corrections = {}
    for key, written in typed.items():
        if nearest := _nearest(vocabulary, key):
            corrections[written] = _recase(nearest, written)
    if not corrections:
        return None
    return WORD.sub(lambda m: corrections.get(m.group(), m.group()), query)


def _nearest(vocabulary: QuerySet, key: str) -> str | None:
    """The known word most like ``key``, or None if ``key`` is itself known
    (or a stop word): the trigram index gives the nearest few, one query;
    the most similar wins, then the most used, then the fewest edits."""
    candidates = (
        vocabulary.filter(stop=False)
        .exclude(_is_stop_word(Value(key)))
        .annotate(distance=TrigramDistance("word", key))
        .order_by("distance")
        .values_list("word", "spelling", "ndoc", "distance")[:TYPO_CANDIDATES]
    )
    least = TYPO_SIMILARITY_SHORT if len(key) <= 5 else TYPO_SIMILARITY
    most_edits = 1 if len(key) < 8 else 2
    scored = []
    for word, spelling, ndoc, distance in candidates:
        if word == key:
            return None
        changes = edits(key, word)
        # Trigrams miss a swap in a long word ("buisness"); counting edits does not.
        if 1 - distance >= least or (len(key) > 3 and changes <= most_edits):
            scored.append((-round(1 - distance, 3), -ndoc, changes, spelling))
    return min(scored)[3] if scored else None


def edits(a: str, b: str) -> int:
    """Letters missing, added, changed or swapped to make ``b`` from ``a``."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _recase(spelling: str, typed: str) -> str:
    if len(typed) > 1 and typed.isupper():
        return spelling.upper()
    if typed[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling


def _refresh_after_migrate(sender, plan=None, **kwargs):
    # Once per migrate that applied something (content may come in data
    # migrations); not after a flush, whose data is gone or restored whole.
    if sender.name == "linkup" and plan:
        vocabulary_refresh()


post_migrate.connect(_refresh_after_migrate, dispatch_uid="search-vocabulary-after-migrate")


# Site-wide search.

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
    """How to search one type of content. ``search`` takes the cleaned query
    and returns public records, best first, each with its ``rank`` and
    ``headline`` (a queryset, or any sliceable object with ``count()``);
    ``result`` makes one a ``Result`` (public fields only).
    ``public`` and ``text`` (an expression of its searchable text, made of
    ``fields``) feed the vocabulary; saving one of ``models`` keeps it in
    step. ``allowed``, when given, counts a request against a limit and says
    whether it may see these results; ``retry_after``, given with it, is how many seconds
    to wait when it may not (the limit's window)."""

    key: str
    label: str  # plural, lower case: "toolkit pages"
    label_one: str  # "toolkit page"
    search: Callable[[str], object]
    result: Callable[[object], Result]
    public: Callable[[], QuerySet] | None = None
    fields: tuple[str, ...] = ()
    position: int = 0
    models: tuple = ()
    allowed: Callable[[object], bool] | None = None
    retry_after: int | None = None

    def text(self):
        return Func(
            *(F(name) for name in self.fields),
            template="concat_ws(chr(10), %(expressions)s)",  # a line each, so each starts a sentence
            output_field=models.TextField(),
        )


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

    @property
    def noun(self) -> str:
        """ "toolkit page" for one, "toolkit pages" for any other count."""
        return self.provider.label_one if self.count == 1 else self.provider.label

    @property
    def counted(self) -> str:
        """ "1 toolkit page", "1,207 toolkit pages"."""
        return f"{intcomma(self.count)} {self.noun}"


@dataclass
class SearchResults:
    query: str
    groups: list[Group]
    suggestion: str | None = None
    # Providers left out because the visitor reached their limit.
    left_out: list[Provider] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _registry[provider.key] = provider
    for model in provider.models:
        for signal in (post_save, post_delete):
            signal.connect(_record_saved, sender=model, dispatch_uid=f"search-vocabulary-{model._meta.label}")
    for relation in provider.models[0]._meta.many_to_many if provider.models else ():
        # Copied text (a listing's place names) changes with its relations.
        through = relation.remote_field.through
        m2m_changed.connect(_relations_changed, sender=through, dispatch_uid=f"search-vocabulary-{through}")
    return provider


def _relations_changed(sender, instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        _record_saved(type(instance), instance, signal=post_save)


def providers() -> list[Provider]:
    return sorted(_registry.values(), key=lambda p: (p.position, p.key))


def _count_and_results(results, limit: int) -> tuple[int, list]:
    """The total and the best ``limit`` records of a provider's results (a
    queryset, or any sliceable object with ``count()``)."""
    rows = list(results[:limit])
    return (results.count() if len(rows) == limit else len(rows)), rows


def site_search(query: str, *, only: str | None = None, left_out: Iterable[str] = ()) -> SearchResults:
    query = clean_query(query)
    left_out = set(left_out)
    results = SearchResults(query=query, groups=[], left_out=[p for p in providers() if p.key in left_out])
    if not query:
        return results
    for provider in providers():
        if (only and provider.key != only) or provider.key in left_out:
            continue
        count, rows = _count_and_results(provider.search(query), PER_GROUP_ALONE if only else PER_GROUP)
        results.groups.append(Group(provider, count, [provider.result(row) for row in rows]))
    # Offered even beside results: those of a mistyped word are only near matches.
    results.suggestion = correct(query)
    return results


# The search box of every search form.

PASTED_WHITESPACE = re.compile(r"[\t\n\r\f\v]+")


class KeywordField(forms.CharField):
    """The words to search for, in every search form. A tab or line break
    (from a paste) is a space; another control character, or more than
    ``MAX_QUERY`` characters, is an error by the field. ``noun`` names the
    answer in the messages; ``instead``, a sentence, says what the page
    shows instead of results."""

    def __init__(self, *, noun: str = "Search words", instead: str = "", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_QUERY)
        kwargs.setdefault("widget", forms.SearchInput())
        super().__init__(**kwargs)
        after = f". {instead}" if instead else ""
        self.error_messages["max_length"] = f"{noun} must be {self.max_length} characters or fewer{after}"
        self.error_messages["control_characters"] = (
            f"{noun} must only include letters, numbers, spaces and punctuation{after}"
        )

    def to_python(self, value):
        value = PASTED_WHITESPACE.sub(" ", value or "")
        if CONTROL_CHARACTERS.search(value):
            raise forms.ValidationError(self.error_messages["control_characters"], code="control_characters")
        return " ".join(super().to_python(value).split())


class KeywordFilter(django_filters.CharFilter):
    """A FilterSet's ``KeywordField``."""

    field_class = KeywordField


# The results page.


class SearchForm(forms.Form):
    q = KeywordField(label="Search the toolkit, case studies and directory")
    type = forms.CharField(required=False, max_length=40)

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean_type(self):
        value = self.cleaned_data["type"]
        return value if value in {p.key for p in providers()} else ""


def _read(request) -> tuple[SearchForm, str, str]:
    """The form and its valid answers (one it cannot use is left out and reported)."""
    form = SearchForm(request.GET)
    form.is_valid()
    return form, form.cleaned_data.get("q", ""), form.cleaned_data.get("type", "")


def _results_page(request, *, left_out: Iterable[str] = ()):
    form, query, only = _read(request)
    results = site_search(query, only=only or None, left_out=left_out)
    context = {"form": form, "query": query, "only": only, "results": results}
    return render(request, "search/results.html", context)


_cached_results_page = cached_page(_results_page)


@require_safe
def results_view(request):
    """Every request that would show a limited provider's records counts
    against its limit before the page cache is asked: over the limit, a
    search of that type alone is refused and a search of everything leaves
    it out (uncached)."""
    _, query, only = _read(request)
    over_limit = [
        p.key
        for p in providers()
        if query and p.allowed is not None and only in ("", p.key) and not p.allowed(request)
    ]
    if only and only in over_limit:
        return too_many_requests(request, retry_after=_registry[only].retry_after)
    if over_limit:
        return _results_page(request, left_out=over_limit)
    return _cached_results_page(request)
