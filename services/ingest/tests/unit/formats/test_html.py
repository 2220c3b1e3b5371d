"""HTML pages: the article without cookie banners, menus, headers, footers and scripts."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import NoDocumentContent, read_document

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>42nd Session of the Baltic Assembly | Seimas</title>
<script>var calls = "on the parliaments";</script><style>.x{color:red}</style></head>
<body>
<div id="cookie-consent" class="cookie-banner"><p>Necessary cookies</p><p>Statistics cookies</p>
<button>Accept all</button></div>
<header class="site-header"><a href="/">Seimas</a>
<nav class="main-menu"><ul><li><a href="/a">Public and media</a></li><li><a href="/b">For disabled</a></li></ul></nav>
<form class="search"><input name="q"><button>Search</button></form></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
<main id="content"><article>
<h1>The 42nd Session of the Baltic Assembly: Lithuania takes over the Presidency</h1>
<p class="date">Press release, 24 November 2023</p>
<p>At the 42nd Session of the Baltic Assembly and the 29th Baltic Council held in Tallinn on
23&ndash;24 November 2023, parliamentarians of the Baltic States discussed the Estonian Presidency.</p>
<figure><img src="x.jpg"><figcaption>Photo by Ilona Šilenkova</figcaption></figure>
<p>&lsquo;We will seek to enhance resilience,&rsquo; said the Head of the Delegation.</p>
<div class="share-buttons"><a>Facebook</a><a>X</a></div>
</article></main>
<aside class="sidebar"><h3>Related news</h3><ul><li>Other item</li></ul></aside>
<footer class="site-footer"><p>Last updated on 11/27/2023 16:35</p><p>© Office of the Seimas</p></footer>
</body></html>
"""

RESOLUTION_PAGE = """<html><body><div class="page">
<div class="menu"><a>Home</a><a>About</a></div>
<div class="text">
<p><strong>RESOLUTION</strong><br>of the 45th Session of the Baltic Assembly</p>
<p>The Baltic Assembly,</p>
<p>having convened for its 45th Session on 12&ndash;13 November 2026 in Vilnius,</p>
<p><strong>calls on</strong> the parliaments and governments of the Republic of Estonia, the Republic of Latvia,
and the Republic of Lithuania, as well as the Baltic Council of Ministers:</p>
<p>regarding energy:</p>
<ul><li>to present a hydrogen strategy at the 33rd Baltic Council;</li><li>to hold <em>annual</em> energy drills;</li></ul>
<ol type="a"><li>to act first;</li><li>to act second.</li></ol>
</div></div></body></html>
"""


def test_debris_removed_and_paragraphs_kept() -> None:
    document = read_document(PAGE.encode(), filename="page")
    assert document.format == "html"
    assert document.title == "42nd Session of the Baltic Assembly | Seimas"
    text = document.text
    for debris in (
        "cookies",
        "Accept all",
        "Public and media",
        "Search",
        "Home",
        "Facebook",
        "Related news",
        "Last updated",
        "Photo by",
        "var calls",
        "color:red",
    ):
        assert debris not in text, debris
    assert text.split("\n\n")[:2] == [
        "The 42nd Session of the Baltic Assembly: Lithuania takes over the Presidency",
        "Press release, 24 November 2023",
    ]
    assert "23\u201324 November 2023" in text


def test_html_press_release_extracts_facts() -> None:
    document = read_document(PAGE.encode())
    (doc,) = extract_documents(document.text, source="page.html", title_hint=document.title)
    assert doc.kind == "press_release" and doc.commitments == []
    assert {(f.series, f.ordinal) for f in doc.calendar_facts} == {
        ("baltic-assembly-session", 42),
        ("baltic-council", 29),
    }
    assert doc.issuing_body == "Seimas of the Republic of Lithuania"


def test_lists_become_bullets_and_labels() -> None:
    document = read_document(RESOLUTION_PAGE.encode())
    assert "- to present a hydrogen strategy at the 33rd Baltic Council;" in document.text
    assert "a. to act first;" in document.text and "b. to act second." in document.text
    assert "Home" not in document.text
    (doc,) = extract_documents(document.text, source="res.html")
    assert doc.title == "Resolution of the 45th Session of the Baltic Assembly"
    assert [c.text for c in doc.commitments] == [
        "to present a hydrogen strategy at the 33rd Baltic Council",
        "to hold annual energy drills",
        "to act first",
        "to act second",
    ]
    assert doc.commitments[0].deadline is not None and doc.commitments[0].deadline.ordinal == 33


def test_page_without_content() -> None:
    page = (
        "<html><head><script>x()</script></head><body><nav><a>Home</a></nav><div class='cookie'>ok</div></body></html>"
    )
    with pytest.raises(NoDocumentContent):
        read_document(page.encode())


def test_html_detected_without_doctype_or_name() -> None:
    body = "<div><p>First paragraph here.</p><p>Second one.</p><p>Third.</p><ul><li>a</li></ul></div>"
    assert read_document(body.encode()).format == "html"


SITE_PAGE = """<!DOCTYPE html><html><head><title>Advanced Search</title>
<meta property="og:site_name" content="Baltic Assembly"></head><body>
<header><a class="logo" href="/"><img src="logo.png" alt="Baltic Assembly Logo"></a>
<form class="search"><input name="q"><a href="/s">Advanced Search</a></form></header>
<main><article>
<h1>Declaration of the Baltic Council</h1>
<p>The Baltic Council, meeting in Vilnius, adopted the following. <img src="chart.png" alt="Chart of defence spending"></p>
<h2>Energy</h2>
<ol type="i" start="2"><li>to synchronise the grids;</li><li>to build storage;</li></ol>
<h2>Transport</h2>
<ol reversed><li>to finish Rail Baltica;</li><li>to open the line.</li></ol>
<ol style="list-style-type: lower-alpha"><li>to plan;</li><li value="5">to fund;</li></ol>
<ul><li>first<ul><li>nested<br>with a hard break</li></ul></li></ul>
<table><tr><th>Country</th><th>Ministry</th></tr><tr><td>EE</td><td>Climate</td></tr></table>
<div class="footnotes"><p>1 Adopted in Vilnius on 29 November 2024.</p></div>
</article></main></body></html>"""


def test_structure_is_kept_as_blocks_and_images_give_no_text() -> None:
    document = read_document(SITE_PAGE.encode())
    blocks = [(b.kind, b.level, document.text[b.start : b.end]) for b in document.blocks]
    assert blocks == [
        ("heading", 1, "Declaration of the Baltic Council"),
        ("paragraph", 0, "The Baltic Council, meeting in Vilnius, adopted the following."),
        ("heading", 2, "Energy"),
        ("item", 0, "ii. to synchronise the grids;"),
        ("item", 0, "iii. to build storage;"),
        ("heading", 2, "Transport"),
        ("item", 0, "2. to finish Rail Baltica;"),
        ("item", 0, "1. to open the line."),
        ("item", 0, "a. to plan;"),
        ("item", 0, "e. to fund;"),
        ("item", 0, "- first"),
        ("item", 1, "- nested\nwith a hard break"),
        ("table", 0, "| Country | Ministry |"),
        ("table", 0, "| EE | Climate |"),
        ("footnote", 0, "1 Adopted in Vilnius on 29 November 2024."),
    ]
    assert "Logo" not in document.text and "Chart" not in document.text


def test_the_title_never_comes_from_debris_or_the_site_name() -> None:
    assert read_document(SITE_PAGE.encode()).title == "Declaration of the Baltic Council"
    page = SITE_PAGE.replace("<title>Advanced Search</title>", "<title>Baltic Assembly</title>")
    assert read_document(page.encode()).title == "Declaration of the Baltic Council"
    page = SITE_PAGE.replace("<title>Advanced Search</title>", "<title>Declaration 2024 | Baltic Assembly</title>")
    assert read_document(page.encode()).title == "Declaration 2024"


@pytest.mark.parametrize("tag", ["div", "ul", "span", "section"])
def test_deeply_nested_pages_are_refused_not_crashed_on(tag: str) -> None:
    from resolute.ingest.formats import DocumentTooDeep
    from resolute.ingest.testing.hostile import deeply_nested_html

    with pytest.raises(DocumentTooDeep, match="nested more than 256 levels"):
        read_document(deeply_nested_html(3000, tag))
    assert "act" in read_document(deeply_nested_html(100, tag)).text
