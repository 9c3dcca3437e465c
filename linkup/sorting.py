"""The sort box of a list that can be searched, shared by every FilterSet
that has one.

The box's first option, "", stands for the list's usual order (relevance
for a keyword search, otherwise the list's own order) and is labelled as
that order. Only another option is a choice, so a list sorted the usual way
is sorted by relevance as soon as a keyword is typed, and by its own order
again when the keyword is removed, while an order the user picked sticks.
"""

from __future__ import annotations

from typing import NamedTuple

import django_filters

SORT_RELEVANCE = "relevance"


class SortOrder(NamedTuple):
    used: str  # the order the results are in
    chosen: str  # the order the user picked, "" for the usual one (what links carry)


def sort_filter(choices: list[tuple[str, str]]) -> django_filters.ChoiceFilter:
    """The sort box; applied by ``sort_box()`` after filtering, as relevance
    needs the keyword."""
    return django_filters.ChoiceFilter(
        label="Sort by",
        choices=choices,
        empty_label=None,
        method=lambda queryset, name, value: queryset,
        error_messages={"invalid_choice": "Select how to sort the results from the list"},
    )


def sort_box(
    form, *, choices: list[tuple[str, str]], chosen: str, keyword: str, default: str, name: str = "sort"
) -> SortOrder:
    """The order to use for ``chosen`` (a valid value of the box, or ""), and
    the form's box redrawn to show it: the usual order first, as "", then the
    other ``choices`` (relevance only for a keyword)."""
    usual = SORT_RELEVANCE if keyword else default
    others = [
        (value, label) for value, label in choices if value != usual and (keyword or value != SORT_RELEVANCE)
    ]
    used = chosen if chosen in dict(others) else usual
    form.fields[name].choices = [("", dict(choices)[usual]), *others]
    form.data = form.data.copy()
    form.data[name] = "" if used == usual else used
    return SortOrder(used=used, chosen=form.data[name])
