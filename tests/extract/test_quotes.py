from quotegraph.extract.quotes import find_quotations, paragraphs


def texts(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in q.inner] for q in find_quotations(text)]


def test_curly_and_straight_quotes_in_one_paragraph():
    text = 'He said “we stay” and she said "we go".'
    assert texts(text) == [["we stay"], ["we go"]]


def test_inner_span_drops_marks_and_trailing_comma():
    text = "“The first convoy leaves on Friday,” she said."
    (quotation,) = find_quotations(text)
    assert text[slice(*quotation.inner[0])] == "The first convoy leaves on Friday"
    assert text[slice(*quotation.outer[0])] == "“The first convoy leaves on Friday,”"


def test_multi_paragraph_quotation_is_one_quotation_with_a_piece_per_paragraph():
    text = "Okonkwo said: “We have seen this before.\n\n“And we will see it again.”\n\nEnd."
    assert texts(text) == [["We have seen this before.", "And we will see it again."]]
    (quotation,) = find_quotations(text)
    assert quotation.closed


def test_three_paragraph_quotation():
    text = "“One.\n\n“Two.\n\n“Three,” she said."
    assert texts(text) == [["One.", "Two.", "Three"]]


def test_unclosed_quotation_stops_at_its_paragraph():
    text = "A stray “mark here.\n\nNext paragraph has no quotes."
    (quotation,) = find_quotations(text)
    assert not quotation.closed
    assert text[slice(*quotation.inner[0])] == "mark here."


def test_closing_mark_after_space_is_read_as_opener():
    text = "Reader wrote: ”Mr. Doe is wrong.” ― Jane"
    assert texts(text) == [["Mr. Doe is wrong."]]


def test_no_quotations_and_empty_quotes():
    assert find_quotations("Plain text without marks.") == []
    assert find_quotations('Empty "" quotes.') == []


def test_paragraphs_are_non_empty_lines():
    text = "Title\n\nBody one.\n  \nBody two."
    assert [text[s:e] for s, e in paragraphs(text)] == ["Title", "Body one.", "Body two."]


def _inner_texts(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in q.inner] for q in find_quotations(text)]


def test_doubled_apostrophes_are_quote_marks():
    text = "''The bridge is safe,'' Ferreira said. ''The repairs were done well.''"
    assert _inner_texts(text) == [["The bridge is safe"], ["The repairs were done well."]]


def test_a_doubled_apostrophe_after_a_word_opens_nothing_and_marks_do_not_mix():
    text = "The Jones'' house was sold. \"Yes,\" she said. ''Gone,\" he said.''"
    assert _inner_texts(text) == [["Yes"], ['Gone," he said.']]


def test_doubled_apostrophes_run_over_paragraphs():
    text = "''The first part runs on\n''and ends here,'' he said."
    (quotation,) = find_quotations(text)
    assert quotation.closed
    assert [text[s:e] for s, e in quotation.inner] == ["The first part runs on", "and ends here"]


def test_three_apostrophes_close_a_nested_single_quote_and_the_doubled_one():
    text = "''He called it 'a disgrace,''' Varga said."
    (quotation,) = find_quotations(text)
    assert text[slice(*quotation.outer[0])] == "''He called it 'a disgrace,'''"
    assert quotation.closed


def test_three_apostrophes_before_a_word_open_the_doubled_quote():
    text = "'''Tis the season,'' he said."
    (quotation,) = find_quotations(text)
    assert text[slice(*quotation.inner[0])] == "'Tis the season"
