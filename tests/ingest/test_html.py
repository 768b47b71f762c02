"""HTML pages through trafilatura: main text, metadata, comments and boilerplate dropped."""

from __future__ import annotations

import json

import pytest

from quotegraph.types import Article

from .helpers import Writer, only_article, only_failure

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Minister defends budget cuts | Meridian Post</title>
<meta property="og:title" content="Minister defends budget cuts">
<meta property="og:site_name" content="Meridian Post">
<link rel="canonical" href="https://meridian.example/news/budget-cuts">
<meta name="description" content="The finance minister defended the cuts.">
<meta name="author" content="Jane Kowalski">
<meta property="article:published_time" content="2025-03-14T09:30:00Z">
<meta property="article:section" content="Politics">
<meta property="article:tag" content="budget">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a>
<a href="/sport">Sport</a></nav></header>
<article>
<h1>Minister defends budget cuts</h1>
<p>GENEVA — The finance minister on Friday defended the government's plan to cut spending
on public transport, saying the country could not afford to keep borrowing.</p>
<p>"We have no choice," Minister Anna Berg told reporters at a press conference.<br>
"The numbers simply do not add up any more, and we must act now."</p>
<p>Opposition leaders said the cuts would hurt commuters in rural areas, where buses are
often the only link to jobs and schools, and vowed to fight the plan in parliament.</p>
</article>
<section id="comments" class="comments">
<h3>Comments</h3>
<div class="comment"><p>Commenter42: This is outrageous, the minister should resign at
once and take the whole cabinet along!</p></div>
<div class="comment"><p>ReaderX: Totally agree with the cuts, finally some courage.</p></div>
</section>
<footer><p>Copyright 2021 Meridian Post. All rights reserved.</p></footer>
</body></html>
"""


@pytest.fixture
def page_article(write: Writer) -> Article:
    return only_article(write("page.html", PAGE))


def test_text_is_title_then_blank_line_separated_paragraphs(page_article: Article) -> None:
    paragraphs = page_article.text.split("\n\n")
    assert paragraphs[0] == "Minister defends budget cuts"
    assert paragraphs[1].startswith("GENEVA — The finance minister")
    assert paragraphs[2].startswith('"We have no choice,"')
    assert '\n"The numbers simply' in paragraphs[2]  # <br> stays a single newline
    assert paragraphs[3].startswith("Opposition leaders")
    assert len(paragraphs) == 4  # the <h1> is not repeated after the title


def test_comments_and_boilerplate_are_not_in_the_text(page_article: Article) -> None:
    for unwanted in ("Commenter42", "outrageous", "ReaderX", "Copyright", "Home", "Sport"):
        assert unwanted not in page_article.text


def test_metadata_comes_from_the_page(page_article: Article) -> None:
    assert page_article.title == "Minister defends budget cuts"
    assert page_article.outlet == "Meridian Post"
    assert page_article.url == "https://meridian.example/news/budget-cuts"
    assert page_article.author == "Jane Kowalski"
    assert page_article.published == "2025-03-14T09:30:00Z"  # the page's own time, kept
    assert page_article.input_format == "html"
    assert page_article.metadata["description"] == "The finance minister defended the cuts."
    assert json.loads(page_article.metadata["categories"]) == ["Politics"]
    assert json.loads(page_article.metadata["tags"]) == ["budget"]


def test_dateline_span_points_into_the_final_text(page_article: Article) -> None:
    dateline = page_article.dateline
    assert dateline is not None
    assert page_article.text[dateline.span[0] : dateline.span[1]] == "GENEVA —"


def test_copyright_year_is_not_guessed_as_the_date(write: Writer) -> None:
    page = PAGE.replace("2025-03-14T09:30:00Z", "")
    assert only_article(write("page.html", page)).published is None


def test_fragment_and_declared_charset(write: Writer) -> None:
    fragment = (
        '<meta charset="windows-1252"><h1>Café news</h1>'
        "<p>The café reopened on Monday after a long renovation, its owner said.</p>"
        "<p>Customers queued outside well before the doors opened.</p>"
    ).encode("cp1252")
    article = only_article(write("fragment.htm", fragment))
    assert "The café reopened" in article.text
    assert "\n\nCustomers queued" in article.text


def test_xml_declaration_does_not_garble_the_text(write: Writer) -> None:
    page = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + PAGE.replace("Berg", "Bérg")
    article = only_article(write("page.html", page.encode("iso-8859-1", "replace")))
    assert "Anna Bérg" in article.text


def test_gzipped_html(write: Writer, page_article: Article) -> None:
    article = only_article(write("page.html.gz", PAGE))
    assert article.text == page_article.text
    assert article.article_id == page_article.article_id


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Nothing here</title></head><body></body></html>",
        "<html><body><script>var x = 1;</script><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_page_without_text_is_e010(write: Writer, page: str) -> None:
    assert only_failure(write("empty.html", page)).code == "E010"


def test_empty_html_file_is_e002(write: Writer) -> None:
    assert only_failure(write("empty.html", " \n")).code == "E002"


@pytest.mark.parametrize(
    "markup",
    [
        '<meta content="2025-03-14T09:30:00+01:00" itemprop=datePublished>',
        '<script type="application/ld+json">{"datePublished": "2025-03-14T09:30:00+01:00"}'
        "</script>",
    ],
)
def test_published_time_from_other_markup(write: Writer, markup: str) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2025-03-14T09:30:00Z">',
                        markup)  # fmt: skip
    assert only_article(write("page.html", page)).published == "2025-03-14T09:30:00+01:00"
