from django import forms

from linkup.sorting import sort_box

CHOICES = [("relevance", "Relevance"), ("newest", "Newest"), ("title", "Title")]


class SortForm(forms.Form):
    sort = forms.ChoiceField(choices=CHOICES, required=False)


def draw(chosen, keyword):
    form = SortForm({"sort": chosen})
    order = sort_box(form, choices=CHOICES, chosen=chosen, keyword=keyword, default="newest")
    return order, form.fields["sort"].choices, form.data["sort"]


def test_the_usual_order_is_the_first_option_labelled_as_that_order():
    assert draw("", "") == (("newest", ""), [("", "Newest"), ("title", "Title")], "")
    assert draw("", "care") == (
        ("relevance", ""),
        [("", "Relevance"), ("newest", "Newest"), ("title", "Title")],
        "",
    )


def test_relevance_needs_a_keyword_and_another_order_sticks():
    assert draw("relevance", "")[0] == ("newest", "")
    assert draw("title", "")[0] == ("title", "title")
    assert draw("title", "care")[0] == ("title", "title")
    assert draw("newest", "care")[0] == ("newest", "newest")
    # Choosing the usual order is no choice: a keyword typed next sorts by relevance.
    assert draw("newest", "")[0] == ("newest", "")
