"""News feeds: RSS 2.0 and Atom items with full text become Articles, teasers are skipped
and counted, a broken feed is one Failure. Every feed here is invented."""

from __future__ import annotations

import json
import socket
from collections import Counter
from pathlib import Path

import pytest

from quotegraph.ingest.read_rss import MIN_SUMMARY_SENTENCES, NO_FULL_TEXT, NOT_A_FEED
from quotegraph.types import Article, Failure, Skipped

from .helpers import Writer, ingest, only_article, only_failure

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Harbour Gazette</title>
<link>https://gazette.example/</link>
<description>News from Portvale</description>
<item>
  <title>Council &amp; mayor clash over ferry fares</title>
  <link>https://gazette.example/news/ferry-fares</link>
  <guid isPermaLink="false">gazette-4411</guid>
  <pubDate>Fri, 14 Mar 2025 09:30:00 GMT</pubDate>
  <dc:creator>Ola Brandt</dc:creator>
  <category>Politics</category>
  <category>Transport</category>
  <description>The mayor and the council disagree.</description>
  <content:encoded><![CDATA[
    <p>PORTVALE (Harbour Gazette) &#8212; The mayor of Portvale on Friday called the
    council&#8217;s plan to raise ferry fares &ldquo;a tax on islanders&rdquo;.</p>
    <p>"We will not let the island be cut off," Mayor Edda Lindqvist said at a packed
    meeting in the town hall.</p>
    <p>Council leader Tore Almgren said the ferry had lost money for six years in a row.</p>
  ]]></content:encoded>
</item>
<item>
  <title>Lighthouse keeper retires</title>
  <link>https://gazette.example/news/lighthouse</link>
  <description>After forty years, a farewell.</description>
</item>
<item>
  <title>Fish market to move</title>
  <link>https://gazette.example/news/fish-market</link>
  <pubDate>Sat, 15 Mar 2025 07:00:00 +0100</pubDate>
  <description>&lt;p&gt;The fish market will move to the north quay in May. Traders said the
  new halls were colder. The harbour master said the old site would become a park.&lt;/p&gt;
  </description>
</item>
<item>
  <title>Empty item</title>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Northwind Ledger</title>
  <id>urn:uuid:6b1d2f0e-0000-4000-8000-000000000001</id>
  <updated>2025-03-16T10:00:00Z</updated>
  <entry>
    <title type="html">Wind farm &lt;em&gt;approved&lt;/em&gt; off Skarholm</title>
    <link rel="alternate" href="https://ledger.example/wind-farm"/>
    <id>urn:ledger:wind-farm</id>
    <published>2025-03-16T08:15:00Z</published>
    <updated>2025-03-16T09:00:00Z</updated>
    <author><name>Kai Moreno</name></author>
    <author><name>Lin Osei</name></author>
    <summary>Short teaser.</summary>
    <content type="html">&lt;p&gt;The regional board approved the Skarholm wind farm on
      Sunday.&lt;/p&gt;&lt;p&gt;"This is the biggest investment the island has seen," said
      board chair Ines Falk.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Bridge repairs finished</title>
    <link href="https://ledger.example/bridge"/>
    <id>urn:ledger:bridge</id>
    <updated>2025-03-17T12:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Repairs to the Skarholm bridge were finished two weeks early.</p>
      <p>Drivers said the detour had added an hour to their commute.</p>
    </div></content>
  </entry>
  <entry>
    <title>Plain notice</title>
    <id>urn:ledger:notice</id>
    <updated>2025-03-18T12:00:00Z</updated>
    <content type="text">The library closes early on Friday.

Staff said the heating would be repaired over the weekend.</content>
  </entry>
</feed>
"""

SUMMARY_ONLY = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Teaser Times</title>
<item><title>One</title><link>https://teaser.example/1</link>
<description>Read the full story on our website.</description></item>
<item><title>Two</title><link>https://teaser.example/2</link>
<description>A storm is coming. Stay inside.</description></item>
</channel></rss>
"""

ENTITIES = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Caf&#233; &amp; Co Weekly</title>
<item>
  <title>Bakers&#8217; strike ends &#8211; bread is back</title>
  <link>https://cafe.example/strike?a=1&amp;b=2</link>
  <content:encoded><![CDATA[<p>The bakers&#8217; union said on Monday that the strike was over
  &amp; that ovens would be lit again at 4&nbsp;a.m.</p><p>Prices rise by 5&nbsp;% &mdash;
  &lt;not a tag&gt; &mdash; from June.</p>]]></content:encoded>
</item>
</channel></rss>
"""

MALFORMED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken Bulletin<item><title>x</title>
</channel>
"""


@pytest.fixture
def rss_results(write: Writer) -> list[Article | Failure | Skipped]:
    return ingest(write("gazette.rss", RSS))


def _articles(results: list[Article | Failure | Skipped]) -> list[Article]:
    return [item for item in results if isinstance(item, Article)]


def test_rss_item_with_content_encoded_becomes_an_article(
    rss_results: list[Article | Failure | Skipped],
) -> None:
    article = _articles(rss_results)[0]
    assert article.input_format == "rss"
    assert article.source_file is not None
    assert article.source_file.endswith("gazette.rss#1")
    assert article.title == "Council & mayor clash over ferry fares"
    assert article.url == "https://gazette.example/news/ferry-fares"
    assert article.outlet == "Harbour Gazette"
    assert article.author == "Ola Brandt"
    assert article.published == "2025-03-14T09:30:00+00:00"
    assert article.metadata == {
        "feed_text": "content",
        "guid": "gazette-4411",
        "categories": json.dumps(["Politics", "Transport"]),
    }


def test_full_text_is_title_then_blank_line_separated_paragraphs(
    rss_results: list[Article | Failure | Skipped],
) -> None:
    article = _articles(rss_results)[0]
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == article.title
    assert paragraphs[1].startswith("PORTVALE (Harbour Gazette) — The mayor of Portvale")
    assert "council’s plan to raise ferry fares “a tax on islanders”." in paragraphs[1]
    assert paragraphs[2].startswith('"We will not let the island be cut off,"')
    assert paragraphs[3].startswith("Council leader Tore Almgren")
    assert len(paragraphs) == 4
    assert "The mayor and the council disagree" not in article.text  # the teaser is not text


def test_offsets_point_into_the_text(rss_results: list[Article | Failure | Skipped]) -> None:
    article = _articles(rss_results)[0]
    assert article.dateline is not None
    start, end = article.dateline.span
    assert article.text[start:end].startswith("PORTVALE (Harbour Gazette) —")
    assert article.dateline.place == "PORTVALE"


def test_teasers_are_skipped_and_a_long_summary_is_kept(
    rss_results: list[Article | Failure | Skipped],
) -> None:
    kinds = [type(item).__name__ for item in rss_results]
    assert kinds == ["Article", "Skipped", "Article", "Skipped"]
    skipped = [item for item in rss_results if isinstance(item, Skipped)]
    assert [item.source.rsplit("#", 1)[1] for item in skipped] == ["2", "4"]
    assert {item.reason for item in skipped} == {NO_FULL_TEXT}
    market = _articles(rss_results)[1]
    assert market.metadata["feed_text"] == "summary"
    assert market.text.startswith("Fish market to move\n\nThe fish market will move")
    assert "<p>" not in market.text
    assert market.published == "2025-03-15T07:00:00+01:00"


def test_a_summary_only_feed_yields_only_skips(write: Writer) -> None:
    results = ingest(write("teasers.rss", SUMMARY_ONLY))
    assert Counter(type(item).__name__ for item in results) == {"Skipped": 2}
    assert MIN_SUMMARY_SENTENCES == 3  # "A storm is coming. Stay inside." has two


def test_atom_entries_with_html_xhtml_and_text_content(write: Writer) -> None:
    wind, bridge, notice = _articles(ingest(write("ledger.atom", ATOM)))
    assert wind.title == "Wind farm approved off Skarholm"
    assert wind.text.split("\n\n") == [  # source line breaks inside <p> are spaces, as in HTML
        "Wind farm approved off Skarholm",
        "The regional board approved the Skarholm wind farm on Sunday.",
        '"This is the biggest investment the island has seen," said board chair Ines Falk.',
    ]
    assert wind.url == "https://ledger.example/wind-farm"
    assert wind.outlet == "Northwind Ledger"
    assert wind.author == "Kai Moreno; Lin Osei"
    assert wind.published == "2025-03-16T08:15:00Z"  # published wins over updated
    assert wind.metadata["guid"] == "urn:ledger:wind-farm"
    assert bridge.text.split("\n\n")[1:] == [
        "Repairs to the Skarholm bridge were finished two weeks early.",
        "Drivers said the detour had added an hour to their commute.",
    ]
    assert bridge.published == "2025-03-17T12:00:00Z"  # only updated
    assert notice.text == (
        "Plain notice\n\nThe library closes early on Friday.\n\n"
        "Staff said the heating would be repaired over the weekend."
    )
    assert notice.url is None


def test_entities_and_cdata_become_plain_characters(write: Writer) -> None:
    article = only_article(write("cafe.rss", ENTITIES))
    assert article.title == "Bakers’ strike ends – bread is back"
    assert article.outlet == "Café & Co Weekly"
    assert article.url == "https://cafe.example/strike?a=1&b=2"
    assert article.text.split("\n\n")[1:] == [
        "The bakers’ union said on Monday that the strike was over & that ovens would be lit"
        " again at 4 a.m.",  # trafilatura turns the no-break space into a space
        "Prices rise by 5 % — <not a tag> — from June.",
    ]
    assert "&" + "amp;" not in article.text


def test_a_malformed_feed_is_one_failure(write: Writer) -> None:
    failure = only_failure(write("broken.rss", MALFORMED))
    assert failure.code == "E046"
    assert failure.source.endswith("broken.rss")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "E002"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
            "E002",
        ),
        ("just some words, no markup", "E046"),
    ],
    ids=["empty", "no-items", "not-xml"],
)
def test_feeds_without_items_fail(write: Writer, content: str, code: str) -> None:
    assert only_failure(write("odd.rss", content)).code == code


def test_the_bytes_are_never_taken_for_a_path_or_url(
    write: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedparser opens a str that names a file or URL; the reader hands it a stream."""
    real = write("real.rss", RSS)
    pointer = write("pointer.rss", str(real))

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert only_failure(pointer).code == "E046"
    assert only_failure(write("link.rss", "https://feeds.invalid/rss")).code == "E046"


def test_xml_files_are_read_only_when_they_are_feeds(write: Writer, tmp_path: Path) -> None:
    write("feeds/ledger.xml", ATOM)
    write("feeds/gazette.xml.gz", RSS)
    write("feeds/sitemap.xml", '<?xml version="1.0"?>\n<urlset><url><loc>x</loc></url></urlset>')
    write("feeds/notes.xml", "<!-- a comment --><notes><note>Buy milk</note></notes>")
    results = ingest(tmp_path / "feeds")
    articles = _articles(results)
    assert sorted({a.outlet for a in articles}) == ["Harbour Gazette", "Northwind Ledger"]
    not_feeds = [
        item for item in results if isinstance(item, Skipped) and item.reason == NOT_A_FEED
    ]
    assert sorted(Path(item.source).name for item in not_feeds) == ["notes.xml", "sitemap.xml"]
    assert not any(isinstance(item, Failure) for item in results)


def test_rss_10_rdf_is_a_feed(write: Writer) -> None:
    rdf = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://old.example/"><title>Old Almanac</title></channel>
<item rdf:about="https://old.example/1"><title>Almanac returns</title>
<link>https://old.example/1</link>
<content:encoded>&lt;p&gt;The almanac is back in print, its editor said.&lt;/p&gt;</content:encoded>
</item>
</rdf:RDF>
"""
    article = only_article(write("almanac.xml", rdf))
    assert article.outlet == "Old Almanac"
    assert article.text == "Almanac returns\n\nThe almanac is back in print, its editor said."


def test_a_permalink_guid_stands_in_for_a_missing_link(write: Writer) -> None:
    feed = """<?xml version="1.0"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Quay Post</title>
<item><title>Crane collapses</title><guid isPermaLink="true">https://quay.example/crane</guid>
<content:encoded>&lt;p&gt;A crane fell onto the north quay, the port said.&lt;/p&gt;
</content:encoded>
</item></channel></rss>"""
    assert only_article(write("quay.rss", feed)).url == "https://quay.example/crane"
