"""Speech apart from beliefs, intentions and actions (issue 24)."""

from __future__ import annotations

import pytest

from quotegraph.extract import extract_statements
from quotegraph.extract.acts import act_in_context, act_of, says_nothing
from quotegraph.nlp import parse


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("Mara Lind said that the ferry would run on time.", "speech"),
        ("Mara Lind believes that the ferry will run on time.", "belief"),
        ("Mara Lind wants to cut the harbour budget.", "intention"),
        ("Mara Lind vowed to cut the harbour budget.", "speech"),
        ("“The ferry will run,” Mara Lind said.", "speech"),
    ],
)
def test_act_follows_the_cue(text: str, act: str) -> None:
    statements = extract_statements(parse(text), "a1")
    assert [s.act for s in statements] == [act]


def test_learned_content_that_is_no_claim_is_an_action() -> None:
    assert act_of("learned", "indirect", "back") == "action"
    assert act_of("learned_claim", "indirect", "call") == "speech"
    assert act_of("learned_claim", "indirect", "see") == "belief"
    # Quoted words are speech whatever rule found them, unless a deed holds them as its
    # object ("backed the 'Clean Port' bill": test below).
    assert act_of("clause", "direct", "back") == "speech"
    assert act_of("learned", "direct", "back") == "action"


def test_agreeing_to_do_something_is_an_intention_not_speech() -> None:
    assert act_of("intention", "indirect", "agree") == "intention"
    assert act_of("clause", "indirect", "agree") == "speech"  # "agreed that ..."


def test_a_name_given_with_called_is_no_speech() -> None:
    text = (
        "Tom Hale bought the old ferry in 2014. His nonprofit group, called the Harbour "
        "Heritage Fund, will own it until the loan is repaid."
    )
    assert all(
        s.act != "speech" for s in extract_statements(parse(text), "a1") if s.cue == "called"
    )


def test_a_hope_is_a_belief_even_where_the_lemma_is_cut_short() -> None:
    # The parser's lemmatiser gives "hop" for "hoping".
    text = "Mr. Kemble is hoping that the council will allow farmers to pass the costs to buyers."
    statements = extract_statements(parse(text), "a1")
    assert [s.act for s in statements] == ["belief"]
    assert act_of("learned_claim", "indirect", "hop") == "belief"


@pytest.mark.parametrize(
    "text",
    [
        "A video of the rally shows Ms. Lind clutching her phone among the shoving crowd.",
        "The clip was posted by the county on Friday. "
        "It shows an officer raising a gun at a man in a car.",
    ],
)
def test_what_a_picture_shows_is_no_speech(text: str) -> None:
    shows = [s for s in extract_statements(parse(text), "a1") if s.cue == "shows"]
    assert [s.act for s in shows] == ["action"]


def test_a_poll_that_shows_a_finding_stays_speech() -> None:
    text = "The poll showed Mr. Orr leading the field with 31 percent."
    assert [s.act for s in extract_statements(parse(text), "a1")] == ["speech"]


def test_quoted_words_as_the_object_of_a_deed_are_no_speech() -> None:
    assert act_of("learned", "direct", "enjoy") == "action"  # enjoys "Harbour Nights"
    assert act_of("learned", "mixed", "sign") == "action"  # signed the "Clean Port" bill
    # Words said about someone stay speech: called the count "rigged".
    assert act_of("learned", "mixed", "call") == "speech"
    assert act_of("learned", "mixed", "thank") == "speech"
    assert act_of("learned", "direct", "write") == "speech"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('Councillor Dana Orr likened the new levy to "plain theft" on Tuesday.', "likened"),
        (
            'The port union denounced what it calls "the biggest giveaway in the city\'s history."',
            "denounced",
        ),
    ],
)
def test_a_verbs_object_with_quoted_words_is_no_speech(text: str, cue: str) -> None:
    # The content is what "likened" or "denounced" acts on: read alone ("the new levy to
    # 'plain theft'") it says nothing, so it is no statement of speech.
    found = [s for s in extract_statements(parse(text), "a1") if s.cue == cue]
    assert [s.act for s in found] == ["action"]


@pytest.mark.parametrize(
    "text",
    [
        "Supporters of the mayor called him 'a genius' for the harbour deal.",
        'Councillor Dana Orr called the levy "plain theft" on Tuesday.',
    ],
)
def test_calling_something_a_name_is_a_characterisation_spoken(text: str) -> None:
    # "called the levy 'plain theft'" asserts the levy is theft: speech, as "called the count
    # 'rigged'" always was.
    found = [s for s in extract_statements(parse(text), "a1") if s.cue == "called"]
    assert [s.act for s in found] == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('Ms. Lind called for an "immediate inquiry" into the fire.', "called for"),
        ('Ms. Lind called on the council to "stop the giveaway".', "called on"),
        ("Mr. Orr made clear that he would run again.", "made"),
    ],
)
def test_a_demand_or_a_clause_after_a_learned_verb_stays_speech(text: str, cue: str) -> None:
    found = [s for s in extract_statements(parse(text), "a1") if s.cue == cue]
    assert [s.act for s in found] == ["speech"]


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Orr again found himself embroiled in a feud over the harbour.",
        "The council found itself playing host to the protesters night after night.",
    ],
)
def test_finding_oneself_somewhere_is_no_speech(text: str) -> None:
    assert [s.act for s in extract_statements(parse(text), "a1")] == ["action"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('Mayor Orr described himself as "a fighter for the docks".', "described"),
        ('Ms. Lind accused him of "selling the harbour".', "accused"),
    ],
)
def test_a_predicate_set_on_the_object_of_a_speech_verb_is_no_speech(text: str, cue: str) -> None:
    # "himself as 'a fighter for the docks'" cannot be read alone as what was said.
    found = [s for s in extract_statements(parse(text), "a1") if s.cue == cue]
    assert [s.act for s in found] == ["action"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('Mr. Vale is promising lower fares and "a new pier".', "is promising"),
        ('Ms. Lind pledged a "harbour revolution".', "pledged"),
    ],
)
def test_a_pledge_of_a_thing_is_an_intention(text: str, cue: str) -> None:
    found = [s for s in extract_statements(parse(text), "a1") if s.cue == cue]
    assert [s.act for s in found] == ["intention"]


def _acts(text: str, cue: str) -> list[str]:
    return [s.act for s in extract_statements(parse(text), "a1") if s.cue == cue]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            'Mayor Orr thinks the ferry levy should be "a test of loyalty" for the council.',
            "thinks",
        ),
        ('Ms. Lind worried that the pier was becoming "a monument to waste".', "worried"),
    ],
)
def test_a_belief_with_a_quoted_phrase_in_its_claim_is_a_belief(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["belief"]


def test_speech_turned_on_oneself_is_a_belief() -> None:
    text = "Having lost twice, I tell myself that the harbour vote will go our way this time."
    assert _acts(text, "tell") == ["belief"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Critics would call them reckless promises, but the pier was finished.", "would call"),
        ("One could say the ferry budget was never balanced.", "could say"),
    ],
)
def test_speech_under_a_modal_of_supposition_is_no_speech(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["belief"]


def test_a_modal_with_only_still_reports_words_said() -> None:
    text = "Asked about the pier, Ms. Lind would only say that the budget was tight."
    assert _acts(text, "would only say") == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Mayor Orr has proposed raising the harbour fee by ten percent.", "has proposed"),
        ("Ms. Lind proposes doing away with the ferry toll.", "proposes"),
        (
            'Mr. Vale has called for taxing "so-called cargo income" at a new rate.',
            "has called for",
        ),
    ],
)
def test_a_proposal_of_a_deed_is_an_intention(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["intention"]


def test_a_proposal_that_a_claim_holds_stays_speech() -> None:
    text = "Mayor Orr proposed that the harbour fee was too low to pay for the pier."
    assert _acts(text, "proposed") == ["speech"]


@pytest.mark.parametrize(
    "text",
    [
        "The new port rules promise to transform the town's economy.",
        "The storm season threatens to knock the ferry schedule off course.",
    ],
)
def test_a_thing_that_promises_or_threatens_makes_no_pledge(text: str) -> None:
    assert all(s.act != "speech" for s in extract_statements(parse(text), "a1"))


def test_a_person_who_threatens_still_speaks() -> None:
    text = "Mayor Orr threatened to close the harbour to cargo ships."
    assert _acts(text, "threatened") == ["speech"]


def test_a_person_who_finds_something_troubling_holds_a_view() -> None:
    text = "I find his plan for the harbour deeply troubling."
    assert _acts(text, "find") == ["belief"]


def test_a_study_that_finds_something_reports_a_finding() -> None:
    text = "The harbour study found that ferry use had doubled since 2019."
    assert _acts(text, "found") == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "A ferry union petition asks Ms. Lind to urge the board to drop the toll.",
            "to urge",
        ),
        (
            "The harbour rules require every skipper to pledge that the cargo is insured.",
            "to pledge",
        ),
        ("Mr. Vale wants voters to recall that he opposed the pier from the start.", "to recall"),
    ],
)
def test_speech_someone_asks_or_wants_for_is_not_given(text: str, cue: str) -> None:
    assert "speech" not in _acts(text, cue)


def test_speech_that_a_deed_serves_is_given() -> None:
    text = "Mayor Orr called a press conference to say that the pier would open in May."
    assert _acts(text, "to say") == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Harbour voters resent that the board has used the crisis to raise fares.", "resent"),
        (
            "People forget that Mayor Orr hired a former ferry lobbyist as his chief of staff.",
            "forget",
        ),
        (
            'Ms. Lind anticipated that the pier would be "a long, slow fight" with the board.',
            "anticipated",
        ),
    ],
)
def test_what_someone_felt_remembered_or_expected_is_a_belief(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["belief"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            'If the ferry sank tomorrow, a reader would now ask: "Who paid for the lifeboats?"',
            "would now ask",
        ),
        ('A skeptic might say, "The pier will never open."', "might say"),
    ],
)
def test_quoted_words_of_anyone_under_a_modal_are_a_supposition(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["belief"]


def test_quoted_words_of_someone_named_under_would_stay_speech() -> None:
    # "would" of a habit: Mr. Lind said it, evening after evening.
    text = 'Every evening Mr. Lind would tell the crew: "Check the ropes twice."'
    assert _acts(text, "would tell") == ["speech"]


@pytest.mark.parametrize(
    "text",
    [
        "Let's say you think a new ferry will cost the town $2 million over ten years.",
        "Let us say the harbour fee doubles next spring.",
    ],
)
def test_lets_say_is_the_writers_supposition(text: str) -> None:
    assert _acts(text, "say") == ["belief"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "The mayor will also find it difficult to defend the toll at the next meeting.",
            "will also find",
        ),
        ("Many skippers found it offensive that the toll doubled.", "found"),
    ],
)
def test_finding_something_hard_or_offensive_is_a_view(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["belief"]


@pytest.mark.parametrize(
    "text",
    [
        "A harbour survey found both candidates largely unknown among skippers.",
        "The inquiry found it likely that the crane had failed.",
    ],
)
def test_a_survey_or_inquiry_that_finds_something_likely_reports_a_finding(text: str) -> None:
    assert _acts(text, "found") == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue", "act"),
    [
        # A supposing "Say" opening the sentence, which the parser glues to the subject.
        (
            "The talks stalled in May.\n\nSay Kelland demanded that the port pay for the "
            "new wall. What then?",
            "demanded",
            "belief",
        ),
        # "Say what you will" supposes nothing about the statement after it.
        ("Say what you will, the mayor said the port is open.", "said", "speech"),
        # "without saying": nothing was said, by anyone.
        ("It goes without saying that the port will reopen in May.", "saying", "action"),
        ("The mayor left without saying that the port would reopen.", "saying", "action"),
        # "Not everyone finds ... compelling": a view, held by people.
        ("Not everyone finds that pitch about the ferries compelling.", "finds", "belief"),
    ],
)
def test_suppositions_and_unsaid_words_are_no_speech(text: str, cue: str, act: str) -> None:
    assert _acts(text, cue) == [act]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # An event or a state of things bears out a claim: the writer's reasoning.
        ("The popularity of Mr. Orr shows how badly the party misread its voters.", "shows"),
        ("Her father died of an illness, which confirmed what she always feared.", "confirmed"),
        ("Victories by outsiders in Kelland demonstrate that voters are restless.", "demonstrate"),
    ],
)
def test_what_an_event_shows_is_no_ones_words(text: str, cue: str) -> None:
    acts = _acts(text, cue)
    assert acts
    assert "speech" not in acts


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # Texts, records and findings report what they hold.
        ("Public records show that Mr. Orr sold the ferry in 2010.", "show"),
        ("The next series of emails shows that Ms. Lind asked for the files.", "shows"),
        ("The harbour board's figures suggest that freight fell by a third.", "suggest"),
    ],
)
def test_what_a_record_shows_stays_speech(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["speech"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # A headline that names what was said without giving it.
        (
            "Ferry Captain Olsen Reveals Who He Would Pick For Harbour Master.\n\n"
            "Captain Ivo Olsen spoke at the quay on Monday.",
            "Reveals",
        ),
        (
            "Mayor Orr explains why the harbour levy failed.\n\n"
            "The mayor of Kelland spoke to the council on Monday.",
            "explains",
        ),
    ],
)
def test_a_headline_that_holds_back_what_was_said_is_no_speech(text: str, cue: str) -> None:
    acts = _acts(text, cue)
    assert acts
    assert "speech" not in acts


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("At the pier, Ms. Lind explained why she had sold the ferry.", "explained"),
        ("In a letter, the port authority detailed what steps it would take.", "detailed"),
    ],
)
def test_a_wh_clause_that_names_what_was_told_is_no_speech(text: str, cue: str) -> None:
    acts = _acts(text, cue)
    assert acts
    assert "speech" not in acts


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # The answer follows the colon.
        ("At the pier, Ms. Lind explained why: the ferry had lost money for years.", "explained"),
        # A "how" clause says what it names: it was hard.
        ("At the pier, Ms. Lind explained how hard it was to keep the ferry running.", "explained"),
        # A question asked is words said.
        ("At the pier, Ms. Lind asked why the ferry had been sold.", "asked"),
    ],
)
def test_a_wh_clause_that_gives_words_stays_speech(text: str, cue: str) -> None:
    assert _acts(text, cue) == ["speech"]


def test_a_headline_that_gives_the_claim_and_a_question_in_the_text_stay_speech() -> None:
    text = (
        "Mayor Orr Says The Harbour Levy Failed.\n\nLater, Ms. Lind asked why the levy had failed."
    )
    assert _acts(text, "Says") == ["speech"]
    assert _acts(text, "asked") == ["speech"]


@pytest.mark.parametrize(
    "answer", ["“Yes,” Ms. Lind said.", "“No, no, no, no,” Mr. Orr said.", "“Really?” she asked."]
)
def test_a_bare_answer_as_a_whole_quotation_is_no_speech(answer: str) -> None:
    text = f"The council asked whether the ferry would run in winter. {answer}"
    statements = [s for s in extract_statements(parse(text), "a1") if s.kind == "direct"]
    assert statements
    assert all(s.act == "action" for s in statements)


def test_a_short_quoted_sentence_stays_speech() -> None:
    text = "The council asked whether the ferry would run in winter. “I hope so,” Ms. Lind said."
    statements = [s for s in extract_statements(parse(text), "a1") if s.kind == "direct"]
    assert [s.act for s in statements] == ["speech"]


@pytest.mark.parametrize(
    ("words", "nothing"),
    [
        ("Yes.", True),
        ("Absolutely not. Absolutely not", True),
        ("But why?", True),
        ("Of course", True),
        ("I hope so", False),
        ("You bet I would", False),
        ("Does the mayor agree?", False),
        ("And", False),
    ],
)
def test_says_nothing_reads_bare_answers_only(words: str, nothing: bool) -> None:
    assert says_nothing(words) is nothing


@pytest.mark.parametrize(
    ("text", "cue", "act"),
    [
        # No one spoke: the subject denies it.
        ("None of the councillors has said that they want the ferry sold.", "has said", "action"),
        ("Nobody claimed that the pier was safe.", "claimed", "action"),
        # The writer's inference from a state of things.
        ("The vote was close. That shows how deeply the town is split.", "shows", "action"),
        # A group's self-description, as a poll sorts people.
        ("Of the ferry riders, 32 percent call themselves regulars.", "call", "belief"),
        # The paper asking its readers.
        ("We asked our followers which candidate won the debate.", "asked", "action"),
    ],
)
def test_writers_text_and_no_ones_words_are_no_speech(text: str, cue: str, act: str) -> None:
    assert _acts(text, cue) == [act]


def test_the_writers_forecast_is_a_belief() -> None:
    text = "The harbour talks will collapse by spring, I predict."
    acts = [s.act for s in extract_statements(parse(text), "a1")]
    assert acts
    assert "speech" not in acts


def test_one_person_labelling_himself_and_someone_predicting_stay_speech() -> None:
    assert _acts("Mr. Orr calls himself a friend of the ferry riders.", "calls") == ["speech"]
    assert _acts("Ms. Lind predicted that the harbour talks would collapse.", "predicted") == [
        "speech"
    ]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("It remains unclear how fast the harbour office will act.", "remains"),
        ("It appears that the mayor has little chance of winning.", "appears"),
    ],
)
def test_it_of_a_verb_of_being_or_seeming_speaks_for_no_one(text: str, cue: str) -> None:
    # The learned rule can take such a sentence for a claim; the context rule undoes it.
    verb = next(t for t in parse(text) if t.text == cue)
    assert act_in_context("speech", verb, "indirect", "learned_claim") == "action"
