import pytest

from quotegraph.extract.figures import find_figures, parse_value
from quotegraph.nlp import parse


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["3,500"], 3500),
        (["€2.4", "billion"], 2.4e9),
        (["three"], 3),
        (["twenty", "five"], 25),
        (["1.2", "million"], 1.2e6),
        (["40", "%"], 40),
        (["a", "dozen"], 12),
        (["no", "number"], None),
    ],
)
def test_parse_value(words, value):
    assert parse_value(words) == value


def figures(text: str):
    return {f.text: f for f in find_figures(parse(text), "a1")}


def test_figure_with_qualifier_unit_and_offsets():
    text = "Some 3,500 peacekeepers remain in the region."
    found = figures(text)
    figure = found["Some 3,500 peacekeepers"]
    assert (figure.value, figure.qualifier, figure.unit) == (3500, "some", "peacekeepers")
    assert text[slice(*figure.span)] == figure.text


def test_money_and_percent_count_what_follows():
    text = (
        "The state pledged €2.4 billion in emergency funds, "
        "and nearly 40 percent of beds are empty."
    )
    found = figures(text)
    money = found["€2.4 billion in emergency funds"]
    assert (money.value, money.unit, money.counts) == (2.4e9, "euros", "emergency funds")
    percent = found["nearly 40 percent of beds"]
    assert (percent.value, percent.qualifier, percent.unit, percent.counts) == (
        40,
        "nearly",
        "percent",
        "beds",
    )


def test_counted_noun_keeps_its_modifiers():
    text = "The army will open three field hospitals near the border."
    figure = figures(text)["three field hospitals"]
    assert (figure.value, figure.unit, figure.counts) == (3, "hospitals", "field hospitals")


def test_more_than_is_a_qualifier():
    text = "More than 60 ships are waiting outside the harbour."
    (figure,) = figures(text).values()
    assert (figure.value, figure.qualifier, figure.unit) == (60, "more than", "ships")


def test_bare_numbers_without_a_counted_noun_are_not_figures():
    assert figures("The vote was 5 to 3.") == {}


def test_one_that_picks_a_member_out_counts_nothing():
    text = (
        "The Harbor Ledger obtained 72 emails from the port office. "
        "In one such email, the harbour master asked for one ship to wait."
    )
    found = figures(text)
    assert "72 emails" in found
    assert not any(key.lower().startswith("one such") for key in found)
