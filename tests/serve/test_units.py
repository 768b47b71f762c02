"""Pieces of the server without HTTP: cursors, highlighting, charts, aggregates, config, CLI."""

from __future__ import annotations

import importlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from typer.testing import CliRunner

import quotegraph
from quotegraph.cli import app as cli_app
from quotegraph.corpus.overview import (
    DayCount,
    corpus_overview,
    count_days,
    speaker_activity,
    story_voices,
)
from quotegraph.errors import QuotegraphError
from quotegraph.serve import ServeConfig, cursors, require_web_extra
from quotegraph.serve.highlight import context_window, highlight, mark_terms, search_terms
from quotegraph.serve.svg import bar_chart, small_chart, wide_chart
from quotegraph.serve.templating import query, safe_href
from quotegraph.serve.urls import urlpart
from quotegraph.types import Statement, StatementRecord

# --- cursors --------------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=60))
def test_statement_cursors_round_trip(statement_id: str):
    assert cursors.statement_after(cursors.encode(cursors.STATEMENT, statement_id)) == statement_id


@given(st.integers(min_value=0, max_value=cursors.MAX_OFFSET))
def test_offset_cursors_round_trip(offset: int):
    assert cursors.offset(cursors.encode(cursors.OFFSET, offset)) == offset


@given(st.text(max_size=80))
def test_any_string_either_decodes_or_is_e044(raw: str):
    codes = []
    for decode in (cursors.statement_after, cursors.offset):
        try:
            decode(raw)
        except QuotegraphError as exc:
            codes.append(exc.code)
    assert set(codes) <= {"E044"}


def test_a_cursor_of_one_kind_is_not_accepted_as_the_other():
    with pytest.raises(QuotegraphError, match="invalid cursor"):
        cursors.offset(cursors.encode(cursors.STATEMENT, "abc"))
    with pytest.raises(QuotegraphError, match="invalid cursor"):
        cursors.offset(cursors.encode(cursors.OFFSET, "-5"))


# --- highlighting ---------------------------------------------------------------------------


def record(
    text: str,
    content: list[tuple[int, int]],
    speaker: tuple[int, int] | None = None,
    cue: tuple[int, int] | None = None,
    *,
    statement_id: str = "s1",
    speaker_id: str | None = "sp_1",
) -> StatementRecord:
    statement = Statement(
        statement_id=statement_id,
        article_id="a1",
        kind="direct",
        content=" ".join(text[s:e] for s, e in content),
        content_spans=tuple(content),
        cue=text[cue[0] : cue[1]] if cue else None,
        cue_span=cue,
        speaker_mention=text[speaker[0] : speaker[1]] if speaker else None,
        speaker_span=speaker,
        speaker="Jane <Doe>",
    )
    return StatementRecord(statement, speaker_id, None, None, None, None)


class TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def test_highlight_marks_quote_speaker_and_cue():
    text = '"Tax is <b>theft</b>," said Jane & co.'
    said, jane = text.index("said"), text.index("Jane")
    spans = {"speaker": (jane, jane + 4), "cue": (said, said + 4)}
    html = highlight(text, [record(text, [(1, text.index(","))], **spans)])
    assert isinstance(html, Markup)
    assert '<mark class="quote kind-direct" data-statement="s1"' in html
    assert "&lt;b&gt;theft&lt;/b&gt;" in html
    assert '<a class="who" data-statement="s1" href="/speakers/sp_1">Jane</a>' in html
    assert '<span class="cue" data-statement="s1">said</span>' in html
    assert 'title="Jane &lt;Doe&gt; · direct"' in html
    assert visible_text(html) == text


def test_highlight_survives_overlaps_and_out_of_range_spans():
    text = "He said: we will win and we will pay."
    records = [
        record(text, [(9, 36)], speaker=(0, 2), cue=(3, 7), statement_id="a"),
        record(text, [(17, 36)], speaker=(0, 2), statement_id="b", speaker_id=None),
        record(text, [(30, 500), (-4, 2)], statement_id="c"),
    ]
    html = highlight(text, records)
    assert visible_text(html) == text
    assert html.count('id="st-') == 3


@given(
    st.text(alphabet="<>&\"' ab\n", max_size=40),
    st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45)), max_size=6),
)
def test_highlight_never_changes_the_text_and_never_lets_markup_through(text, spans):
    records = [
        record(text, [(min(s, e), max(s, e))], statement_id=f"s{i}")
        for i, (s, e) in enumerate(spans)
    ]
    html = highlight(text, records)
    assert visible_text(html) == text
    assert "<b" not in html.replace("<mark", "").replace("</mark", "")


def test_context_window_keeps_the_paragraphs_around_a_statement():
    text = "First para.\n\nSecond para.\n\nThird: quote here.\n\nFourth.\n\nFifth."
    start = text.index("quote")
    window = context_window(text, record(text, [(start, start + 5)]), margin=1)
    assert text[window[0] : window[1]] == "Second para.\n\nThird: quote here.\n\nFourth."
    whole = context_window(text, record(text, [(start, start + 5)]), margin=10)
    assert whole == (0, len(text))


# --- charts and template helpers ------------------------------------------------------------


def test_bar_chart_fills_gaps_and_escapes_labels():
    svg = bar_chart(
        [DayCount("2025-03-01", 2), DayCount("2025-03-04", 5), DayCount("junk<", 9)],
        label="<script>x</script>",
    )
    assert svg.count('class="bar"') == 4  # 1, 2, 3 and 4 March
    assert "&lt;script&gt;" in svg
    assert "<script>" not in svg
    assert "2025-03-04: 5 statements" in svg


def test_charts_say_the_size_they_are_drawn_for():
    days = [DayCount("2025-03-01", 2), DayCount("2025-03-04", 5)]
    assert '<svg class="chart" width="760" height="200" viewBox="0 0 760 200"' in bar_chart(
        days, label="x"
    )
    assert 'width="380" height="120" viewBox="0 0 380 120"' in small_chart(days, label="x")
    assert 'width="1080" height="220" viewBox="0 0 1080 220"' in wide_chart(days, label="x")


def test_search_terms_and_marks_escape_everything():
    assert search_terms('Hospitals <b>closing* "ward"') == ("hospital", "b", "clos", "ward")
    marked = mark_terms("<b>Hospital</b> wards & closings", search_terms("hospitals ward"))
    assert marked == (
        '&lt;b&gt;<mark class="hit">Hospital</mark>&lt;/b&gt; '
        '<mark class="hit">wards</mark> &amp; closings'
    )
    assert mark_terms("<i>x</i>", ()) == "&lt;i&gt;x&lt;/i&gt;"


def test_bar_chart_counts_months_over_a_long_span():
    svg = bar_chart([DayCount("2024-01-15", 1), DayCount("2025-01-15", 3)], label="x")
    assert svg.count('class="bar"') == 13


def test_bar_chart_of_nothing_says_so():
    assert "No dated statements" in bar_chart([], label="x")


def test_template_helpers():
    assert urlpart("a/b c?") == "a%2Fb%20c%3F"
    assert query({"q": "a&b", "speaker": None}, cursor="") == "?q=a%26b"
    assert query() == ""
    assert safe_href("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//x", ""):
        assert safe_href(bad) is None


# --- corpus overview ------------------------------------------------------------------------


def test_overview_aggregates_agree_with_the_store(sample_db: Path):
    with quotegraph.open(sample_db, readonly=True) as qg:
        overview = corpus_overview(qg.store)
        records = list(qg.statements())
        assert overview.counts == qg.counts()
        assert sum(d.count for d in overview.per_day) == len(records)
        assert overview.per_day == count_days(records)
        top = overview.top_speakers[0]
        in_matrix = sum(overview.matrix.count(o, top.speaker_id) for o in overview.matrix.outlets)
        assert in_matrix == top.statement_count
        activity = speaker_activity(qg.store, top.speaker_id)
        assert activity is not None
        assert sum(activity.by_kind.values()) == top.statement_count
        assert speaker_activity(qg.store, "sp_nobody") is None
        for summary in qg.stories():
            voices = story_voices(summary)
            assert sum(v.statements for o in voices for v in o.voices) == len(summary.statements)


# --- configuration, missing extra, CLI ------------------------------------------------------


def test_an_empty_token_disables_writes(tmp_path):
    assert ServeConfig(db=tmp_path / "x.db", token="").writes_enabled is False
    assert ServeConfig(db=tmp_path / "x.db", token="t").writes_enabled is True
    assert "s3cret" not in repr(ServeConfig(db=tmp_path / "x.db", token="s3cret"))
    with pytest.raises(ValueError, match="positive"):
        ServeConfig(db=tmp_path / "x.db", max_body_bytes=0)


def test_missing_web_extra_names_it(monkeypatch):
    real = importlib.import_module

    def fake(name: str, *args: Any) -> Any:
        if name == "fastapi":
            raise ImportError("No module named 'fastapi'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(QuotegraphError) as info:
        require_web_extra()
    assert info.value.code == "E042"
    assert "quotegraph[web]" in str(info.value)


def test_cli_serve_passes_options_and_the_token_from_the_environment(monkeypatch, tmp_path):
    calls: list[tuple[ServeConfig, str, int]] = []

    def fake_run(config: ServeConfig, *, host: str, port: int) -> None:
        calls.append((config, host, port))

    monkeypatch.setattr("quotegraph.serve.run_server", fake_run)
    db = tmp_path / "news.db"
    quotegraph.open(db).close()  # serve reads a store that exists (E034 otherwise)
    result = CliRunner().invoke(
        cli_app, ["serve", "--db", str(db), "--port", "8123"], env={"QUOTEGRAPH_TOKEN": "s3"}
    )
    assert result.exit_code == 0, result.output
    ((config, host, port),) = calls
    assert (config.db, config.token, host, port) == (db, "s3", "127.0.0.1", 8123)
    assert "s3" not in result.output


def _member(statement_id: str, speaker_id: str | None, speaker: str) -> StatementRecord:
    statement = Statement(statement_id, "art", "indirect", "words", ((0, 5),), speaker=speaker)
    return StatementRecord(statement, speaker_id, None, None, "Outlet", "2025-03-10")


def test_one_speaker_on_both_sides_is_not_a_dispute() -> None:
    from quotegraph.serve.listing import ClaimSides

    record = cast(Any, None)  # the property reads only the sides
    rask_then = _member("s1", "sp_rask", "Lena Rask")
    rask_later = _member("s2", "sp_rask", "Lena Rask")
    moreau = _member("s3", "sp_moreau", "Sanna Moreau")
    reversal = ClaimSides(record, [rask_then], [rask_later], [], ["Outlet"])
    assert not reversal.disputed
    assert ClaimSides(record, [rask_then], [rask_later, moreau], [], ["Outlet"]).disputed
