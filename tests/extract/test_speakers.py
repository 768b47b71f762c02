"""In-article speaker resolution: pronouns, descriptions, surnames and vague sources."""

from quotegraph.extract import extract_statements
from quotegraph.nlp import parse


def speakers(text: str) -> list[tuple[str | None, str | None, str]]:
    return [
        (s.speaker_mention, s.speaker, s.speaker_type)
        for s in extract_statements(parse(text), "a1")
    ]


def test_pronoun_resolves_to_the_gender_compatible_person():
    text = (
        "Health Minister Lena Rask met Tomas Ferreira on Monday. "
        "He said that the talks had gone well. She said that the budget was final."
    )
    assert speakers(text) == [
        ("He", "Tomas Ferreira", "person"),
        ("She", "Lena Rask", "person"),
    ]


def test_surname_resolves_to_full_name():
    text = "Angela Vogel arrived in Berlin. Vogel said the coalition would hold."
    assert speakers(text) == [("Vogel", "Angela Vogel", "person")]


def test_description_resolves_through_a_title_before_the_name():
    text = (
        "Health Minister Lena Rask opened the session. "
        "The minister warned that three field hospitals would close."
    )
    assert speakers(text) == [("The minister", "Lena Rask", "person")]


def test_description_resolves_through_an_apposition():
    text = (
        "Tomas Ferreira, a spokesman for the interior ministry, arrived. "
        "The ministry spokesman said the convoys would leave on time."
    )
    assert speakers(text) == [("The ministry spokesman", "Tomas Ferreira", "person")]


def test_role_named_before_the_name():
    text = (
        "The German chancellor, Anna Vogel, landed in Rome. "
        "The chancellor said that the deal was close."
    )
    assert speakers(text) == [("The chancellor", "Anna Vogel", "person")]


def test_people_sharing_a_surname_are_told_apart_by_recency():
    text = (
        "Lena Rask leads the health ministry. Piet Rask leads the union. "
        "Rask said the strike would go on."
    )
    assert speakers(text) == [("Rask", "Piet Rask", "person")]


def test_vague_sources_are_anonymous():
    text = (
        "Unnamed officials said the talks had collapsed. "
        "Two people familiar with the talks said a vote was unlikely."
    )
    assert speakers(text) == [
        ("Unnamed officials", None, "anonymous"),
        ("Two people familiar with the talks", None, "anonymous"),
    ]


def test_organisation_description_resolves_to_the_named_organisation():
    text = (
        "The Dockworkers' Union called a strike at the Port of Saltmere. "
        "The union said the stoppage would last a week."
    )
    (mention, speaker, kind) = speakers(text)[0]
    assert mention == "The union"
    assert kind == "organization"
    assert speaker is not None
    assert "Union" in speaker


def test_unresolvable_pronoun_gives_no_name():
    assert speakers("He said the plan had failed.") == [("He", None, "person")]


def test_honorific_picks_the_person_of_that_gender_among_a_shared_surname():
    text = (
        "Mara Holloway and her husband, Peter Holloway, toured the harbour on Friday. "
        "Mr. Holloway said the new pier would open in May. "
        "Mrs. Holloway said the ferry fares would fall."
    )
    assert speakers(text) == [
        ("Mr. Holloway", "Peter Holloway", "person"),
        ("Mrs. Holloway", "Mara Holloway", "person"),
    ]


def test_quoted_first_person_takes_the_speaker_of_its_quotation():
    text = (
        # Doubled apostrophes for double quotes, as some news archives write them.
        "Governor Tomas Ferreira spoke in Vila Nova on Tuesday. "
        "''The bridge is safe,'' Ferreira said. ''I think the repairs were done well.''"
    )
    found = speakers(text)
    assert ("I", "Tomas Ferreira", "person") in found


def test_first_person_outside_quotation_marks_stays_unnamed():
    text = "Letters to the editor. I think the new library opened too late."
    assert all(name is None for mention, name, _ in speakers(text) if mention == "I")


def test_pronoun_prefers_the_main_clause_subject_over_an_embedded_one():
    text = (
        "Ilse Marten, who said Carla Duvet had misled the council, spoke on Monday. "
        "She said that the minutes had been changed."
    )
    assert ("She", "Ilse Marten", "person") in speakers(text)


def test_epithet_without_a_matching_role_goes_to_the_latest_main_subject():
    text = (
        "Tomas Ferreira toured three farms near Vila Nova on Monday. "
        'The Lusitan senator told reporters that "the harvest looks strong."'
    )
    assert ("The Lusitan senator", "Tomas Ferreira", "person") in speakers(text)


def test_generic_people_nouns_are_not_epithets():
    text = (
        "Tomas Ferreira toured three farms near Vila Nova on Monday. "
        "The woman said that the harvest looked strong."
    )
    assert ("The woman", "Tomas Ferreira", "person") not in speakers(text)
