"""What an alert is about: a list's filters and keyword, read by the list's
own FilterSet, written back as one normalised query string, and described
in words ("Case studies for care leavers in the East Midlands about
‘tenancy’")."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.text import get_text_list

from casestudies.evidence import EvidenceLevel
from casestudies.filters import REFERENCE_PARAMS, CaseStudyFilter, choice_key, filters_read
from casestudies.models import CaseStudy


@dataclass(frozen=True)
class TopicChoice:
    query: str
    description: str


# Names that keep their capital letter inside a sentence.
PROPER_STARTS = ("NHS", "Jobcentre")


def _in_sentence(name: str) -> str:
    return name if name.startswith(PROPER_STARTS) else name[:1].lower() + name[1:]


def _any_of(names: list[str]) -> str:
    return get_text_list([_in_sentence(name) for name in names], "or")


def topic_read(params: QueryDict) -> TopicChoice:
    """The topic of a list's query string. Sorting and paging are not part
    of it, the same filters in any order are one topic, and a value that is
    not on a list is left out, as the list itself leaves it out."""
    form = CaseStudyFilter(params, queryset=CaseStudy.objects.none()).form
    cleaned = filters_read(form, params)
    keyword = cleaned.get("q") or ""
    chosen = {name: sorted(cleaned.get(name) or [], key=choice_key) for name in REFERENCE_PARAMS}
    level = cleaned.get("level") or ""
    figures = cleaned.get("figures") or []
    pairs = [("q", keyword)] if keyword else []
    pairs += [(name, choice_key(item)) for name in REFERENCE_PARAMS for item in chosen[name]]
    pairs += [("level", level)] if level else []
    pairs += [("figures", value) for value in figures]

    words = ["Case studies"]
    if chosen["client_group"]:
        words.append(f"for {_any_of([group.name for group in chosen['client_group']])}")
    if chosen["region"]:
        words.append(f"in {get_text_list([region.sentence_name for region in chosen['region']], 'or')}")
    if chosen["agency"]:
        words.append(f"involving {_any_of([agency.name for agency in chosen['agency']])}")
    if chosen["outcome"]:
        words.append(f"showing {_any_of([outcome.name for outcome in chosen['outcome']])}")
    evidence = []
    if level:
        meaning = EvidenceLevel(int(level)).label.partition(": ")[2]
        evidence.append(f"evidence at level {level} ({meaning}) or above")
    if chosen["indicator"]:
        codes = [f"{item.code} ({_in_sentence(item.title)})" for item in chosen["indicator"]]
        evidence.append(f"figures for {get_text_list(codes, 'or')}")
    elif figures:
        evidence.append("figures")
    if evidence:
        words.append(f"with {' and '.join(evidence)}")
    if keyword:
        words.append(f"about ‘{keyword}’")
    return TopicChoice(query=urlencode(pairs), description=" ".join(words))
