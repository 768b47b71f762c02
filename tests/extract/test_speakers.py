"""In-article speaker resolution: pronouns, descriptions, surnames and vague sources."""

import pytest
from spacy.tokens import Doc, Span

from quotegraph.extract import extract_statements
from quotegraph.extract.speakers import (
    ArticleEntities,
    _Entity,
    _names_a_building,
    _opening_before_pronoun,
    _possessor_and_person,
    _short_organization_name,
    _speaking_surname,
    _titled_name_closing,
    _topic_start,
    collect_entities,
    resolve,
    settle_name_types,
)
from quotegraph.nlp import load_pipeline, parse


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


def test_a_surname_running_on_over_paragraphs_keeps_its_person():
    # A live blog names the candidate early, then the minister; the minister's surname runs
    # on from paragraph to paragraph, his full name two paragraphs back.
    text = (
        "Governor Lena Rask will visit the port on Friday.\n\n"
        + "The ferry timetable for the winter was published on Monday. " * 30
        + "\n\nHarbour Minister Piet Rask says the ferries will run all winter.\n\n"
        "Rask tells the Kelland Herald that the fleet is ready. Rask did not name a date.\n\n"
        "Rask said the crews had been hired."
    )
    assert speakers(text)[-1][:2] == ("Rask", "Piet Rask")


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
    # The learned model also reads "called a strike" as an attribution (a known false
    # positive); the statement of interest is the second one.
    (_, speaker, kind) = next(s for s in speakers(text) if s[0] == "The union")
    assert kind == "organization"
    assert speaker is not None
    assert "Union" in speaker


def test_a_generic_organisation_head_finds_a_name_that_stands_for_it():
    text = (
        "Road tolls brought in 4 billion crowns last year, according to the Korsvik Budget "
        "Office. The agency said the figure would fall."
    )
    assert speakers(text)[-1] == ("The agency", "Korsvik Budget Office", "organization")


def test_the_group_is_the_foundation_named_before():
    text = (
        "The Saltmere Sailing Foundation counts the town's boats every spring. "
        "Almost 600 boats have left the harbour since 2010, the group says."
    )
    assert speakers(text)[-1] == ("the group", "Saltmere Sailing Foundation", "organization")


def test_the_group_takes_up_an_unnamed_group_spoken_of_lately():
    text = (
        "The Saltmere Sailing Foundation counts the town's boats every spring. "
        "Owners of small boats form the biggest group of members. "
        "The group said the fees were too high."
    )
    assert speakers(text)[-1][1] != "Saltmere Sailing Foundation"


def test_an_independent_group_is_no_foundation_named_before():
    text = (
        "The Saltmere Sailing Foundation counts the town's boats every spring. "
        "An independent group said the count was too low."
    )
    assert speakers(text)[-1][1] != "Saltmere Sailing Foundation"


def test_an_employers_association_is_not_the_union():
    text = (
        "Talks between dockworkers and the Saltmere Terminal Operators' Association broke "
        "down. The union said the strike would go on."
    )
    (mention, speaker, _) = speakers(text)[-1]
    assert mention == "The union"
    assert speaker is None


def test_the_judge_is_the_justice_named_before():
    text = (
        "Justice Ilse Marten heard the case on Monday. The judge said the files would stay sealed."
    )
    assert speakers(text)[-1][:2] == ("The judge", "Ilse Marten")


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


def test_doubled_apostrophes_quote_and_the_next_quotation_continues_the_speaker():
    text = (
        # Doubled apostrophes for double quotes, as some news archives write them.
        "Governor Tomas Ferreira spoke in Vila Nova on Tuesday. "
        "''The bridge is safe,'' Ferreira said. ''I think the repairs were done well.''"
    )
    (statement,) = extract_statements(parse(text), "a1")
    assert (statement.speaker, statement.kind) == ("Tomas Ferreira", "direct")
    pieces = [text[start:end] for start, end in statement.content_spans]
    assert pieces == ["The bridge is safe", "I think the repairs were done well."]


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


# --- rules added for the PolNeAR speaker gold (fictional people, hand-written sentences) ---


def test_common_given_names_give_a_gender():
    text = (
        "Bill Orrin met Loretta Pask in the capital on Monday. "
        "She said that the talks had gone well."
    )
    assert speakers(text) == [("She", "Loretta Pask", "person")]


def test_honorific_of_the_other_gender_does_not_take_the_only_full_name():
    text = (
        "Anna Vogel opened the new library on Monday. "
        "Mr. Vogel said that the town had waited too long for it."
    )
    assert speakers(text) == [("Mr. Vogel", "Vogel", "person")]


def test_surname_before_any_full_name_in_the_body_is_someone_else():
    text = (
        "Harbour reopens after storm\n\n"
        "The harbour of Saltmere reopened on Monday after a week of storms.\n\n"
        "President Brandt said that the repairs had cost less than feared.\n\n"
        "Elena Brandt, a ferry captain, said the piers were safe."
    )
    assert ("President Brandt", "Brandt", "person") in speakers(text)


def test_given_name_the_tagger_does_not_know_joins_a_known_surname():
    text = (
        "Marta Lindqvist and her son Orvar Lindqvist visited the mill. "
        "Orvar Lindqvist said the mill would reopen."
    )
    assert speakers(text) == [("Orvar Lindqvist", "Orvar Lindqvist", "person")]


def test_owner_of_a_sentence_opening_subject_is_an_antecedent():
    text = (
        '"We will win the vote," said Tomas Ferreira on Monday. '
        "Piet Kane's tone at the hearing was defiant. "
        'He said, "I will not resign."'
    )
    assert ("He", "Piet Kane", "person") in speakers(text)


def test_subject_reported_by_a_common_noun_is_an_antecedent():
    text = (
        '"Wages must rise," said Carla Duvet, a union leader. '
        "Aides say Lena Rask also advises the prime minister on housing. "
        '"Nobody should pay half their income in rent," she said.'
    )
    assert speakers(text)[-1] == ("she", "Lena Rask", "person")


def test_the_younger_one_of_a_surname_is_the_junior():
    text = (
        "Ivo Brandt Sr. and his son, Ivo Brandt Jr., opened the mill. "
        "Mr. Brandt said that the mill would reopen. "
        '"We will hire forty people," said the younger Mr. Brandt.'
    )
    assert ("the younger Mr. Brandt", "Ivo Brandt Jr.", "person") in speakers(text)


def test_given_name_with_suffix_is_the_junior():
    text = (
        "Robert Hale Jr. runs the family mill with his father. "
        "Robert Jr. said that the mill would reopen."
    )
    assert speakers(text) == [("Robert Jr.", "Robert Hale Jr.", "person")]


def test_headline_label_is_the_first_person_of_the_headline():
    text = (
        "Hale: I Still Believe Tolls Are Too High\n\nRobert Hale said on Monday that he would stay."
    )
    assert speakers(text)[0] == ("I", "Robert Hale", "person")


# Hand-built parses: these rules mend what the statistical tagger and parser get wrong, which
# real parses of short made-up sentences do not reliably reproduce.


def built(tokens: str, heads: list[int], deps: str, pos: str, ents: str) -> Doc:
    """A parsed ``Doc`` from space-separated tokens, head indices, labels and BIO entities."""
    words = tokens.split()
    return Doc(
        load_pipeline().vocab,
        words=words,
        spaces=[True] * len(words),
        heads=heads,
        deps=deps.split(),
        pos=pos.split(),
        ents=ents.split(),
    )


def test_surname_the_tagger_labelled_a_place_is_still_a_mention():
    doc = built(
        "Ann Kovic met Bo Lund . Kovic spoke .",
        [1, 2, 2, 4, 2, 2, 7, 7, 7],
        "compound nsubj ROOT compound dobj punct nsubj ROOT punct",
        "PROPN PROPN VERB PROPN PROPN PUNCT PROPN VERB PUNCT",
        "B-PERSON I-PERSON O B-PERSON I-PERSON O B-LOC O O",
    )
    mentions = collect_entities(doc).mentions
    assert (doc[6].idx, "Ann Kovic", 2) in mentions


def test_a_name_that_opens_its_sentence_is_its_subject():
    # "Rep. Jo Dale (D) objected": a parenthesis made the parser take the name for the root.
    doc = built(
        "Rep. Jo Dale ( D ) objected .",
        [2, 2, 2, 2, 2, 2, 2, 2],
        "compound compound ROOT punct appos punct dep punct",
        "PROPN PROPN PROPN PUNCT PROPN PUNCT VERB PUNCT",
        "O B-PERSON I-PERSON O O O O O",
    )
    assert (doc[1].idx, "Jo Dale", 2) in collect_entities(doc).mentions


def test_title_case_headline_surname_is_the_person():
    # "Hale Says ...": headline capitals make the surname a noun, tagged as an organisation.
    doc = built(
        "Hale Says . Rob Hale spoke .",
        [1, 1, 1, 4, 5, 5, 5],
        "nsubj ROOT punct compound nsubj ROOT punct",
        "NOUN VERB PUNCT PROPN PROPN VERB PUNCT",
        "B-ORG O O B-PERSON I-PERSON O O",
    )
    assert resolve(doc, (0, 1), collect_entities(doc)).name == "Rob Hale"


def test_pronoun_in_a_clause_goes_to_the_subject_that_holds_it():
    # "Lund spoke. The governor spoke after Ferreira held a rally at which he spoke."
    doc = built(
        "Lund spoke . The governor spoke after Ferreira held a rally at which he spoke .",
        [1, 1, 1, 4, 5, 5, 5, 8, 6, 10, 8, 14, 11, 14, 10, 5],
        "nsubj ROOT punct det nsubj ROOT prep nsubj pcomp det dobj prep pobj nsubj relcl punct",
        "PROPN VERB PUNCT DET NOUN VERB ADP PROPN VERB DET NOUN ADP PRON PRON VERB PUNCT",
        "B-PERSON O O O O O O B-PERSON O O O O O O O O",
    )
    assert resolve(doc, (13, 14), collect_entities(doc)).name == "Ferreira"


def test_clause_subject_yields_to_a_nearer_person_set_off_by_commas():
    # "Kane, Vogel, was asked why he spoke": the parser made Kane the subject; Vogel is nearer.
    doc = built(
        "Kane , Vogel , was asked why he spoke .",
        [5, 0, 0, 0, 5, 5, 8, 8, 5, 5],
        "nsubjpass punct appos punct auxpass ROOT advmod nsubj ccomp punct",
        "PROPN PUNCT PROPN PUNCT AUX VERB SCONJ PRON VERB PUNCT",
        "B-PERSON O B-PERSON O O O O O O O",
    )
    assert resolve(doc, (7, 8), collect_entities(doc)).name == "Vogel"


def test_sentence_opening_pronoun_takes_the_only_person_of_the_sentence_before():
    text = (
        '"The vote was rushed," Paul Ostrander said on Monday. '
        "That may surprise anyone who listened to Robert Lindahl's statement on Tuesday "
        'morning. He said the budget was "a careful plan."'
    )
    assert speakers(text)[-1] == ("He", "Robert Lindahl", "person")


def test_indefinite_person_named_by_the_next_paragraph_is_that_person():
    text = (
        "Mill closure draws protest\n\n"
        "A woman who worked at the mill for thirty years said on Monday that it should stay "
        "open.\n\n"
        "Ann Vogel, who trained most of its workers, spoke at the gate."
    )
    assert speakers(text)[0][1] == "Ann Vogel"


def test_an_unnamed_spokesman_is_not_the_person_the_next_paragraph_names():
    text = (
        "Cranes idle\n\n"
        "A spokesman for the port authority said the cranes would stay idle until spring.\n\n"
        "Ann Vogel, the harbour master, said the repairs would take a month."
    )
    assert speakers(text)[0][1] != "Ann Vogel"


def test_coordinated_names_speak_as_a_group_not_as_the_first_name():
    text = "Tom Hale and Ruth Ames said that the levy was unlawful."
    assert speakers(text) == [("Tom Hale and Ruth Ames", "Tom Hale and Ruth Ames", "group")]


def test_a_relative_pronoun_after_coordinated_names_is_the_group():
    text = "Eva Miller and Gloria Major, who run the harbour shelter, said the grant was cut."
    assert speakers(text)[0][1:] == ("Eva Miller and Gloria Major", "group")


def test_they_refers_to_coordinated_subjects_named_before():
    text = (
        "Senator Tom Hale and Senator Ruth Ames wrote to the port board on Monday. "
        "They said that the levy was unlawful."
    )
    assert speakers(text) == [("They", "Tom Hale and Ruth Ames", "group")]


def test_a_name_coordinated_with_a_description_keeps_the_name():
    # Only a coordination of names is a named group; "his aides" has no name to list.
    text = "Tom Hale and his aides said that the levy was unlawful."
    assert speakers(text)[0][1:] == ("Tom Hale", "person")


def test_a_weekday_tagged_as_a_person_is_not_one():
    doc = built(
        "Ann Kovic tweeted Friday .",
        [1, 2, 2, 2, 2],
        "compound nsubj ROOT npadvmod punct",
        "PROPN PROPN VERB PROPN PUNCT",
        "B-PERSON I-PERSON O B-PERSON O",
    )
    assert "Friday" not in collect_entities(doc).entities


def test_the_party_word_as_an_epithet_is_the_politician_named_before():
    text = (
        "Tomas Brek is asking about the broken microphone. "
        "The Republican is also urging his supporters to ask why. "
        "He says: “I wonder why it was bad.”"
    )
    assert ("The Republican", "Tomas Brek", "person") in speakers(text)


def test_a_share_of_respondents_is_an_unnamed_group_never_a_person():
    text = (
        "The Harbor Institute poll found Mayor Ilse Brandt ahead of Tomas Brek. "
        "Another 19 percent said they would not vote."
    )
    assert speakers(text)[-1][1:] == (None, "group")


def test_a_document_speaks_for_the_owner_its_phrase_names():
    text = (
        "Ruth Ames leads the Coastal Alliance. "
        "A new Coastal Alliance report says that the harbour levy doubled in a year."
    )
    assert speakers(text)[-1][1] == "Coastal Alliance"


def test_a_document_by_someone_speaks_for_them():
    text = "An analysis by Ruth Ames, a former budget aide, found that the levy had doubled."
    assert speakers(text)[-1][1:] == ("Ruth Ames", "person")


def test_the_narrator_of_a_party_ad_speaks_for_the_party():
    text = (
        "The Harbor Party has a new ad attacking Mayor Ilse Brandt. "
        "A web video by the Harbor Party shows the closed docks. "
        "The clip says that Brandt broke her promise."
    )
    assert speakers(text)[-1][1] == "Harbor Party"


def test_a_definite_document_without_an_owner_stays_unnamed():
    text = "The port is quiet. The leaflet says that the ferries will stop in May."
    assert speakers(text)[-1][1] is None


def test_a_coordinated_epithet_is_the_person_named_before():
    text = (
        "Ilse Brandt, the former mayor, spoke at the harbour on Monday. "
        "The former first lady and senator said that the levy was a mistake."
    )
    assert speakers(text)[-1][1:] == ("Ilse Brandt", "person")


def test_a_relative_pronoun_after_a_description_set_beside_names_is_the_names():
    text = (
        "Much of the push came from the Harbor Party and the Coastal Alliance, the two "
        "largest blocs, which together said that the levy would fall."
    )
    assert speakers(text)[-1][1:] == ("Harbor Party and Coastal Alliance", "group")


def test_an_epithet_coordinated_with_a_non_person_is_no_person_named_before():
    text = (
        "Tomas Brek toured the mill on Monday. "
        "The company and the secretary said that the mill would close."
    )
    assert speakers(text)[-1][1] != "Tomas Brek"


def test_a_video_on_a_platform_is_not_the_platform_speaking():
    text = "A 2010 YouTube video says that the harbour levy doubled in a year."
    assert speakers(text)[-1][1] != "YouTube"


def test_a_kin_noun_beside_a_name_gives_the_gender():
    # Neither given name is in the name lists: only "daughter" says Tamsin Varga is a woman,
    # so the "he" after her goes back to the man named before.
    text = (
        "Bram Oakes opened the meeting on Monday. Tamsin Varga, the mayor's daughter, "
        'arrived at noon. "The plan is sound," he said.'
    )
    assert speakers(text)[-1][1] != "Tamsin Varga"
    text = (
        "Dagny Pruitt opened the meeting on Monday. Teodor Moss, the mayor's son, arrived at "
        'noon. "The plan is sound," she said.'
    )
    assert speakers(text)[-1][1] == "Dagny Pruitt"


def test_a_role_ending_in_son_gives_no_gender():
    text = (
        "Tamsin Varga, the council chairperson, opened the meeting on Monday. "
        '"The plan is sound," she said.'
    )
    assert speakers(text)[-1][1] == "Tamsin Varga"


def test_a_description_subject_is_the_antecedent_of_the_next_pronoun():
    # "the governor" is Edda Lorne, and the sentence is about her: the "she" after it is not
    # the senator named last.
    text = (
        "Governor Edda Lorne opened the session on Monday. Senator Mira Hallam answered with "
        "a plan of her own.\n\n"
        "In the end, the governor held firm. Speaking to reporters, she said the vote would "
        "go ahead."
    )
    assert speakers(text)[-1][1] == "Edda Lorne"


def test_the_owner_of_a_description_subject_is_an_antecedent():
    text = (
        "Governor Edda Lorne opened the session on Monday. Senator Mira Hallam answered with "
        "a plan of her own.\n\n"
        "The governor's answer came quickly. Speaking to reporters, she said the vote would "
        "go ahead."
    )
    assert speakers(text)[-1][1] == "Edda Lorne"


def test_a_plural_description_is_never_the_person_whose_role_shares_its_noun():
    text = (
        "Dagny Pruitt, a senior adviser to the mayor, spoke on Monday. "
        "Later, advisers said that the plan would pass."
    )
    assert speakers(text)[-1][1:] == (None, "group")


def test_no_one_is_no_speaker():
    text = (
        "Teodor Moss, one of the mill's founders, spoke on Monday. "
        "No one said that the mill would reopen."
    )
    assert speakers(text)[-1][1] is None


def test_a_plural_organisation_noun_is_not_the_company_named_before():
    text = (
        "Harwick Freight, a shipping company, cut its routes in May. "
        "Companies say that the new tariff is too high."
    )
    assert speakers(text)[-1][1] is None


def test_they_after_an_unnamed_plural_subject_is_that_group():
    text = (
        "The Dunmore Harbour Board moved its offices in May. Dock workers say the move came "
        "without warning. They said that the board had broken its word."
    )
    assert speakers(text)[-1][1:] == (None, "group")


def test_they_passes_over_an_organisation_that_is_no_subject():
    text = (
        "Opponents of the levy wrote to the Dunmore Harbour Board on Friday. "
        "They said that the levy was unlawful."
    )
    assert speakers(text)[-1][1:] == (None, "group")


def test_they_still_takes_an_organisation_that_is_the_subject():
    text = (
        "The Dunmore Harbour Board raised the levy on Friday. "
        "They said that the harbour needed the money."
    )
    assert speakers(text)[-1][1] == "Dunmore Harbour Board"


def test_the_campaign_is_the_campaign_of_the_person_the_text_is_about():
    text = (
        "Kerensa Dale opened her bid in March, and the Dale campaign rented offices in "
        "Dunmore. Bram Oakes, her rival, said the Oakes campaign would answer in April.\n\n"
        "Kerensa Dale plans to visit the port on Friday. The campaign says that she will "
        "announce a plan for the docks there."
    )
    assert speakers(text)[-1][1] == "Dale campaign"


def test_a_description_subject_registers_only_a_person_it_surely_names():
    text = (
        "Bram Oakes, the senator from Norland, spoke on Monday. In the end, the senator held "
        "firm. Kip Lorne said the Ostland senator could not make deals."
    )
    mentions = {(position, name) for position, name, _ in collect_entities(parse(text)).mentions}
    assert (text.index("the senator held"), "Bram Oakes") in mentions
    # "Ostland" is not in Oakes's role: the description may be someone else.
    assert (text.index("the Ostland senator"), "Bram Oakes") not in mentions


def test_a_description_naming_another_party_is_not_the_nominee_of_this_one():
    text = (
        "Dagny Pruitt, the Republican nominee for governor, held a rally on Monday. "
        "Kerensa Dale held her own rally in Dunmore.\n\n"
        "The Democratic nominee said that the port would stay open."
    )
    assert speakers(text)[-1][1] == "Kerensa Dale"


def test_a_document_from_a_named_body_speaks_for_it():
    text = "A statement from the Dunmore Harbour Board said that the levy would rise in May."
    assert speakers(text)[-1][1] == "Dunmore Harbour Board"


def test_who_after_a_predicate_noun_is_the_named_subject():
    text = (
        "Bram Oakes runs the harbour and is a veteran councillor who said on Monday that the "
        "levy was unfair."
    )
    assert speakers(text)[-1][1] == "Bram Oakes"


def test_the_state_speaks_for_the_place_just_named():
    text = "Critics cite the 2019 flood in Estmark, when the state said that the dams were safe."
    assert speakers(text) == [("the state", "Estmark", "organization")]


def test_the_state_without_a_place_in_its_sentence_or_the_one_before_stays_unnamed():
    text = (
        "Critics cite the 2019 flood in Estmark. The dams broke in May. Nobody was ready. "
        "Later, the state said that the dams had been safe."
    )
    assert speakers(text)[-1][1] is None


def test_who_after_a_place_in_a_phrase_is_the_people_of_the_phrase():
    text = "Many lawmakers in Harbour City, who have argued that the levy is unfair, stayed home."
    assert speakers(text) == [("who", None, "group")]


def test_who_after_a_hometown_is_the_named_person_it_describes():
    text = (
        "“The port will close,” said Alan Reed, a farmer from Dunmore, Vermont, who said he "
        "is friendly with the mayor."
    )
    assert [s for _, s, _ in speakers(text)] == ["Alan Reed", "Alan Reed"]


def test_a_name_set_after_a_role_as_second_subject_is_the_speaker():
    text = "Harbour spokesman the Rev. Tomas Ekdal told reporters that the ferry would sail."
    assert speakers(text) == [("Harbour spokesman the Rev. Tomas Ekdal", "Tomas Ekdal", "person")]


def test_a_bare_surname_means_the_person_first_named_with_it_not_the_last():
    text = (
        "Rask defends the hospital budget\n\n"
        "Health Minister Lena Rask defended the hospital budget on Monday before a crowd "
        "of nurses in Saltmere.\n\n"
        "Piet Rask, her husband and a retired ferry captain, watched from the back of the "
        "hall.\n\n"
        "Rask said the wards would stay open through the winter.\n\n"
        "Later that day, Rask said the nurses would get their raise in March."
    )
    said = [
        (s.content.split()[1], s.speaker)
        for s in extract_statements(parse(text), "a1")
        if s.speaker_mention == "Rask" and s.cue.endswith("said")
    ]
    assert said == [("wards", "Lena Rask"), ("nurses", "Lena Rask")]


def test_a_bare_surname_right_after_a_full_name_in_its_paragraph_is_that_person():
    text = (
        "Health Minister Lena Rask defended the hospital budget on Monday.\n\n"
        "Her husband, Piet Rask, a retired ferry captain, spoke to dock workers on the "
        "pier. Rask said the ferries would keep running.\n\n"
        "Rask said the wards would stay open through the winter."
    )
    said = [
        (s.content.split()[1], s.speaker)
        for s in extract_statements(parse(text), "a1")
        if s.speaker_mention == "Rask"
    ]
    assert said == [("ferries", "Piet Rask"), ("wards", "Lena Rask")]


def test_a_word_glued_to_a_surname_makes_no_person_for_the_bare_surname():
    # NER took "Though Rask" for a name: it is no one a later "Rask" could mean.
    doc = built(
        "Piet Rask spoke . Though Rask waited . Rask said .",
        [1, 2, 2, 2, 5, 6, 6, 6, 9, 9, 9],
        "compound nsubj ROOT punct compound nsubj ROOT punct nsubj ROOT punct",
        "PROPN PROPN VERB PUNCT SCONJ PROPN VERB PUNCT PROPN VERB PUNCT",
        "B-PERSON I-PERSON O O B-PERSON I-PERSON O O B-PERSON O O",
    )
    registry = collect_entities(doc)
    assert registry.glued == {"Though Rask"}
    assert resolve(doc, (8, 9), registry).name == "Piet Rask"


def test_bare_police_is_the_force_the_article_names_by_its_place():
    text = (
        "Kerr Vane, the Dunmore police chief, visited the square on Monday. "
        "Protesters stayed until midnight. "
        "Police said that the square would reopen on Tuesday."
    )
    assert speakers(text)[-1] == ("Police", "Dunmore police", "organization")


def test_campaign_aides_speak_for_the_campaign_of_the_person_the_text_is_about():
    text = (
        "Lena Rask toured the harbour towns of Estmark this week, and the Rask campaign "
        "booked three more rallies. Campaign aides said that the tour would go on."
    )
    assert speakers(text)[-1] == ("Campaign aides", "Rask campaign", "organization")


def test_administration_officials_speak_for_the_administration_named_before():
    text = (
        "The Hale administration set new limits on harbour dredging last year. "
        "Administration officials said that the limits would stay."
    )
    assert speakers(text)[-1] == ("Administration officials", "Hale administration", "organization")


def test_a_description_giving_an_age_is_the_person_just_talked_about():
    text = (
        "Mara Lind, the harbour board's new chair, met dock workers in Estmark on Monday. "
        "She said the port would stay open, and when asked about wages, "
        'the 41-year-old mother of two replied, "Nobody will be paid less."'
    )
    assert speakers(text)[-1] == ("the 41-year-old mother of two", "Mara Lind", "person")


def test_who_after_an_apposition_of_the_predicate_is_the_named_subject():
    # Parsed by hand as the small model parses "X is a serial liar, rampant smuggler, bully
    # and braggart who has pledged ...": the relative clause hangs on the last conjunct of
    # an apposition of the predicate noun.
    words = [
        "Tomas",
        "Ferreira",
        "is",
        "a",
        "liar",
        ",",
        "smuggler",
        ",",
        "bully",
        "and",
        "braggart",
        "who",
        "said",
        "so",
        ".",
    ]
    heads = [1, 2, 2, 4, 2, 4, 4, 6, 6, 8, 8, 12, 10, 12, 2]
    deps = "compound nsubj ROOT det attr punct appos punct conj cc conj nsubj relcl advmod punct"
    pos = "PROPN PROPN AUX DET NOUN PUNCT NOUN PUNCT NOUN CCONJ NOUN PRON VERB ADV PUNCT"
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps.split(), pos=pos.split())
    doc.ents = [doc.char_span(0, 14, label="PERSON")]
    assert resolve(doc, (11, 12), collect_entities(doc)).name == "Tomas Ferreira"


def test_a_campaign_official_speaks_for_the_campaign_the_phrase_names():
    text = (
        "Lena Rask attacked her rival in Estmark on Monday. "
        "A Hale campaign official said that the attack was false."
    )
    assert speakers(text)[-1] == ("A Hale campaign official", "Hale campaign", "organization")


def test_a_given_name_alone_is_the_one_person_named_in_full_with_it():
    text = (
        "Lena Rask opened the harbour talks in Estmark on Monday. "
        "Lena said that the port would stay open."
    )
    assert speakers(text) == [("Lena", "Lena Rask", "person")]


def test_a_mention_cut_inside_a_name_is_the_whole_name():
    doc = parse("Tomas Ferreira said on Monday that the port would stay open.")
    doc.ents = [doc.char_span(0, 14, label="PERSON")]
    # A source span that stops after the given name, as the attribution tagger's may.
    assert resolve(doc, (0, 1), collect_entities(doc)).name == "Tomas Ferreira"


def test_an_organisation_name_keeps_the_for_the_phrase_ner_leaves_off():
    doc = parse(
        "The Harbour Court of Appeals for the Second Circuit heard the case. "
        "The appeals court ruled that the levy was unlawful."
    )
    doc.ents = [Span(doc, 1, 5, label="ORG")]  # "Harbour Court of Appeals", as NER cuts it
    registry = collect_entities(doc)
    start = next(t.i for t in doc if t.text == "appeals") - 1
    resolved = resolve(doc, (start, start + 3), registry)
    assert resolved.name == "Harbour Court of Appeals for the Second Circuit"


def test_a_day_before_police_is_no_force() -> None:
    text = (
        "On Tuesday police arrested two men near the harbour.\n\n"
        "According to police, the men had stolen a ferry."
    )
    speakers = [s.speaker for s in extract_statements(parse(text), "a1")]
    assert not any(name and "Tuesday" in name for name in speakers)


# --------------------------------------------------------------------------- 2026-12-07 pass


def test_they_after_according_to_a_plural_the_parser_misread_is_that_crowd():
    # The parser reads "show" as a verb and "insiders" as its object; the newspaper named
    # before is no subject of "said".
    text = (
        "The Lurat Herald interviewed the crew last week. Tomas Ferreira demeaned "
        "contestants on the set, according to show insiders. They said he ranked them by "
        "their looks."
    )
    assert speakers(text)[-1] == ("They", None, "group")


def test_the_bank_is_the_business_the_article_is_about():
    text = (
        "Lindqvist Savings fined 400 clerks last year. Lindqvist Savings faces a hearing. "
        "Regulators questioned Lindqvist Savings on Monday. Bank executives were absent. "
        "The bank said that it had dismissed the clerks in 2019."
    )
    assert speakers(text)[-1] == ("The bank", "Lindqvist Savings", "organization")


def test_the_bank_stays_unnamed_when_two_businesses_are_named_alike():
    text = (
        "Lindqvist Savings and Oduya Trust merged. Lindqvist Savings and Oduya Trust agreed. "
        "Lindqvist Savings and Oduya Trust signed. The bank said that staff would stay."
    )
    assert speakers(text)[-1][1] is None


def test_names_listed_after_a_plural_are_who_the_relative_pronoun_means():
    text = (
        "The mood was set by two voters, Tara Moss and Ben Oduya, who said that the rally "
        "had been too short."
    )
    assert speakers(text) == [("who", "Tara Moss and Ben Oduya", "group")]


def test_an_indefinite_spokesman_past_the_lede_is_not_the_spokesman_named_before():
    text = (
        "The Estmark coalition met in Lurat on Monday.\n\n"
        "Tomas Ferreira, a spokesman for the coalition, said the talks would go on.\n\n"
        "Aid convoys crossed the border on Tuesday.\n\n"
        "A spokesman for the port authority said the convoys had been searched."
    )
    assert speakers(text)[-1] == ("A spokesman for the port authority", None, "unknown")


def test_an_indefinite_description_named_just_after_is_that_person():
    text = (
        "The Estmark coalition met in Lurat on Monday.\n\n"
        "A regional minister said the talks would go on. "
        "Regional minister Lena Rask has led the talks since May."
    )
    assert speakers(text)[-1] == ("A regional minister", "Lena Rask", "person")


def test_he_after_an_unnamed_speaker_stays_with_that_speaker():
    text = (
        "Tomas Ferreira owns the Lurat steel works.\n\n"
        "A representative for Mr. Ferreira said the inquiry had nothing to do with the "
        "ministry. He added that other guests had attended the dinner."
    )
    found = speakers(text)
    assert found[-1] == ("He", None, "unknown")


def test_he_after_an_unnamed_speaker_who_asked_someone_is_the_one_asked():
    text = (
        "Tomas Ferreira toured the port on Monday.\n\n"
        "A reporter asked Ferreira whether he was tired. He replied that he felt fine."
    )
    assert speakers(text)[-1] == ("He", "Tomas Ferreira", "person")


def test_an_unnamed_official_of_a_named_body_stays_a_vague_source():
    text = (
        "Aid convoys crossed the border on Tuesday.\n\n"
        "An Estmark Port Authority official said the convoys had been searched."
    )
    assert speakers(text)[-1][1:] == (None, "anonymous")


def test_capitals_spelling_a_named_body_are_that_body():
    text = (
        "The Estmark Shipping Board published its figures on Monday. "
        "ESB said that the harbour had handled a record tonnage."
    )
    assert speakers(text)[-1] == ("ESB", "Estmark Shipping Board", "organization")


def test_a_name_ending_like_a_news_service_is_no_person():
    # A given name first made it a person's name ("Marta ... Service").
    text = "Marta News Service reported that the convoys had left."
    assert speakers(text) == [("Marta News Service", "Marta News Service", "organization")]


def test_a_surname_is_the_one_named_in_full_just_before_when_the_first_is_out_of_view():
    filler = "The ferry timetable changed again. " * 45
    text = (
        "Harbour minister Ruth Ames opened the new pier on Monday.\n\n"
        f"{filler}\n\n"
        "Customs chief Tom Ames says smugglers are using the night ferries.\n\n"
        "Ames tells the Lurat Herald that the checks will double."
    )
    assert speakers(text)[-1] == ("Ames", "Tom Ames", "person")


def test_a_surname_stays_with_the_first_named_while_she_is_in_view():
    text = (
        "Harbour minister Ruth Ames opened the new pier on Monday.\n\n"
        "Her brother, customs chief Tom Ames, attended.\n\n"
        "Ames said that the pier would open to ferries in May."
    )
    assert speakers(text)[-1] == ("Ames", "Ruth Ames", "person")


def test_her_campaign_is_the_campaign_of_the_woman_named_in_the_sentence():
    text = (
        "The debate was tense.\n\n"
        "Footage showed an exhausted Lena Rask leaving the hall (her campaign later said "
        "that she had the flu)."
    )
    assert ("her campaign", "Rask campaign", "organization") in speakers(text)


def test_a_fact_checker_the_tagger_missed_is_an_organisation():
    text = "Politifact said that the minister was right."
    assert speakers(text) == [("Politifact", "Politifact", "organization")]


def test_a_former_chairman_is_not_the_interim_one():
    text = (
        "A former party chairman says the budget vote was rushed. Interim party chairwoman "
        "Ruth Ames said that it was not."
    )
    assert speakers(text)[0] == ("A former party chairman", None, "unknown")


def test_a_role_the_parser_hangs_on_the_client_still_names_the_lawyer():
    # The parser sets "Ruth Ames" beside "Tomas Berg", not beside "attorney".
    text = (
        "The harbour board met on Monday.\n\n"
        "An attorney for Tomas Berg, Ruth Ames, said that her client would testify.\n\n"
        "The board voted to delay the hearing.\n\n"
        "Berg's lawyer has said he will answer every question."
    )
    assert speakers(text)[-1] == ("Berg's lawyer", "Ruth Ames", "person")


def test_the_city_of_a_place_speaks_as_that_place():
    text = (
        "The rally drew a large crowd in Dunmore on Friday.\n\n"
        "The city of Dunmore is demanding that the campaign stop using its police badge."
    )
    assert ("The city of Dunmore", "Dunmore", "organization") in speakers(text)


def test_a_name_ending_in_a_business_word_is_no_person():
    # The small NER model tags some business names PERSON ("Peabody Energy"): set it so.
    doc = parse("Tallis Energy said that the deal would close in May.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    statement = extract_statements(doc, "a1")[0]
    assert (statement.speaker, statement.speaker_type) == ("Tallis Energy", "organization")


def test_a_profile_calls_its_subject_by_her_trade_the_second_time():
    text = (
        "Mara Vell, the star of three harbour films, spoke at the rally on Sunday.\n\n"
        "The actress said that she was tired of the ferry strikes."
    )
    assert speakers(text)[-1] == ("The actress", "Mara Vell", "person")


def test_an_unnamed_party_member_is_an_anonymous_source_not_the_party():
    text = '"The ferry plan is dead," said a Dunmore Democrat.'
    assert speakers(text) == [("a Dunmore Democrat", None, "anonymous")]


def test_the_state_and_party_of_a_politician_named_before_stand_for_him():
    text = (
        "Senator Tomas Brandt met the harbour workers on Monday.\n\n"
        "The Kelland Republican said that the ferry plan would pass."
    )
    assert speakers(text)[-1] == ("The Kelland Republican", "Tomas Brandt", "person")


def test_a_party_member_set_beside_a_name_is_that_person():
    text = "Ann Vogel, a Kelland Republican who said she would back the plan, left the hall early."
    assert ("who", "Ann Vogel", "person") in speakers(text)


def test_it_speaks_for_a_body_that_was_a_subject_just_before():
    text = "Harbour Ferries Ltd cut three routes on Monday. It said that fuel costs had doubled."
    assert speakers(text)[-1] == ("It", "Harbour Ferries Ltd", "organization")


def test_it_is_no_body_mentioned_only_in_passing_or_long_before():
    text = (
        "The mayor posted a long message on Twitter about the ferry routes.\n\n"
        "It said that the routes would reopen in May."
    )
    assert speakers(text)[-1][1:] == (None, "unknown")


def test_an_account_or_memoir_speaks_for_its_author():
    text = (
        "Patricia Vell chaired the harbour women's club for a decade.\n\n"
        '"I want to run the port," Ann Brook replied, according to Vell\'s account.'
    )
    assert ("Vell's account", "Patricia Vell", "person") in speakers(text)


def test_a_newsletter_kicker_in_a_headline_is_no_speaker():
    text = "Monday's Morning Email: The Ferry Strike Ends.\n\nThe ferries ran again on Monday."
    assert speakers(text) == []


def test_the_answers_of_an_interview_are_the_interviewees():
    text = (
        "Harbour mayor Ann Vogel spoke with the Ledger about the ferry strike. Vogel has "
        "led the city since 2019.\n\n"
        "Q: Will the ferries run on Monday?\n\n"
        "A: They will. I said so to the union, and I said that the routes would reopen."
    )
    answers = [speaker for mention, speaker, _ in speakers(text) if mention in {"A", "I"}]
    assert set(answers) == {"Ann Vogel"}


def test_a_headline_verb_between_two_names_splits_them():
    text = (
        "Anna Vell Slams Tomas Brandt Over Ferry Cuts\n\n"
        '"The cuts will stay," Brandt said at the harbour on Monday.'
    )
    doc = parse(text)
    # The small model tags the whole run as one person, as it did in a real headline.
    doc.ents = [Span(doc, 0, 5, label="PERSON")]
    statement = extract_statements(doc, "a1")[0]
    assert statement.speaker == "Tomas Brandt"


def test_a_poll_is_named_by_its_owners_not_its_description():
    text = (
        "A Harbour Ledger/Kelland News poll released last week found that Vell leads.\n\n"
        "The poll also found that most skippers back the new toll."
    )
    found = speakers(text)
    assert [speaker for _, speaker, _ in found] == ["Harbour Ledger/Kelland News poll"] * 2


def test_a_person_after_a_possessive_is_split_from_a_mislabelled_entity():
    doc = parse("“The field barely moves,” Harbourline's Adam Vell said.")
    start = next(t.i for t in doc if t.text.startswith("Harbourline"))
    whole = Span(doc, start, start + 4, label="WORK_OF_ART")
    assert [(p.text, p.label_) for p in _possessor_and_person(whole)] == [
        ("Harbourline", "ORG"),
        ("Adam Vell", "PERSON"),
    ]
    # An apostrophe alone after a plural.
    plural = parse("Harbour News’ Adam Vell noticed the ferry was late.")
    assert [p.text for p in _possessor_and_person(Span(plural, 0, 5, label="ORG"))] == [
        "Harbour News",
        "Adam Vell",
    ]
    # No given name after the possessive: left as it is.
    title = parse("Harbourline's Lost Harbour was shown.")
    assert _possessor_and_person(Span(title, 0, 4, label="WORK_OF_ART")) == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The name closing a body's title and a role word is the speaker.
        (
            "The Council on Harbour Affairs National Executive Director Nihad Vell says in a "
            "statement that the ferry plan is reckless.",
            "Nihad Vell",
        ),
        # A role for someone else is not that someone.
        (
            "A spokesman for Governor Lena Rask said the ferry plan was reckless.",
            None,
        ),
    ],
)
def test_a_name_after_a_role_word_closing_the_source(text, speaker):
    assert speakers(text)[-1][1] == speaker


def test_the_titled_name_closing_a_source_is_read_from_the_words():
    doc = parse(
        "The Council on Harbour Affairs National Executive Director Nihad Vell says the plan "
        "is reckless."
    )
    source = doc[0 : next(t.i for t in doc if t.text == "says")]
    found = _titled_name_closing(source)
    assert found is not None
    assert found.text == "Nihad Vell"
    other = parse("A spokesman for Governor Lena Rask said the plan was reckless.")
    assert _titled_name_closing(other[0 : next(t.i for t in other if t.text == "said")]) is None


def test_a_phrase_of_time_is_no_part_of_a_description():
    text = (
        "Ferry crews skipped safety drills, according to a harbour report on Wednesday. "
        "The report said the drills had been cut to save money."
    )
    names = [name for _, name, _ in speakers(text)]
    assert names
    assert all(name is None or "Wednesday" not in name for name in names)
    assert "harbour report" in names


_ONE_SUPPORTER = (
    "Talbot Supporters Cry Foul Over Delegate Count\n\n"
    "The fight over Sen. Ed Talbot's delegates in Carrow County went on for a third day on "
    "Tuesday, as the party's rules committee met behind closed doors in the old courthouse.\n\n"
    "Members of the committee said they would publish the full count by Friday.\n\n"
    '"If you lose a game squarely, you shake hands and walk off," said Rep. Dana Ruiz, a '
    'Maine legislator and Talbot supporter. "That is not what happened here."\n\n'
    "Some of Talbot's backers saw a culprit in the county clerk, who had declared the count "
    "closed before the last precincts reported.\n\n"
    '"Nobody even counts anymore," wrote one Talbot supporter, tweeting a link to a story '
    "about the count.\n\n"
    "The clerk did not answer calls on Tuesday.\n\n"
    '"I want people to see a fair count," said Ruiz, the Talbot supporter from Maine.\n'
)


def test_one_supporter_is_someone_new_not_the_supporter_named_before():
    found = [s for s in extract_statements(parse(_ONE_SUPPORTER), "a1") if s.cue == "wrote"]
    assert [(s.speaker_mention, s.speaker) for s in found] == [("one Talbot supporter", None)]


def test_a_source_asking_not_to_be_named_is_anonymous_even_as_a_party_member():
    text = (
        "Sen. Ed Talbot met donors in Carrow on Monday. Talbot said the party would hold.\n\n"
        '"The donors are nervous," said one Republican involved in the talks, who spoke on '
        "the condition of anonymity to speak candidly.\n\n"
        "One former executive who declined to be identified said the firm had lost money."
    )
    found = speakers(text)
    assert found[1] == (
        "one Republican involved in the talks, who spoke on the condition of anonymity to "
        "speak candidly",
        None,
        "anonymous",
    )
    assert found[-1][1:] == (None, "anonymous")


def test_she_after_a_woman_who_would_not_be_named_is_that_woman():
    text = (
        "Mayor Ines Corlett opened the new clinic in Fort Alder on Tuesday.\n\n"
        '"This is our town," said Nora Vell, a waitress at the diner across the road.\n\n'
        'At the pharmacy, a cashier was shaken. "People are angry," said the woman, who did '
        'not want to be quoted by name. "Too much anger," she said, looking at the door.'
    )
    found = speakers(text)
    assert found[-2][1:] == (None, "anonymous")
    assert found[-1] == ("she", None, "anonymous")


def test_a_pronoun_before_the_anonymous_source_keeps_the_one_it_names():
    text = (
        "Mayor Tom Corlett toured Fort Alder on Tuesday.\n\n"
        "In the harbour he listened as a fisherman who declined to be named said the storm "
        "had cost the town its boats. Later, he told reporters the town would rebuild."
    )
    assert speakers(text)[-1] == ("he", "Tom Corlett", "person")


def _speaker_of(text: str, cue: str) -> str | None:
    return next(s.speaker for s in extract_statements(parse(text), "a1") if s.cue == cue)


def test_a_poll_without_an_owner_is_the_one_the_article_gave_an_owner():
    text = (
        "Five things to watch in the Carrow race.\n\n"
        "The Daily Meridian conducted a statewide poll of 4,000 voters this month, the first "
        "since 2004.\n\n"
        "Dana Ruiz leads Ed Talbot by six points in the east, according to the statewide poll."
    )
    assert _speaker_of(text, "according to") == "Daily Meridian"


def test_the_survey_after_an_unowned_poll_is_left_unnamed():
    text = (
        "Dana Ruiz leads Ed Talbot by six points, according to a Daily Meridian poll released "
        "on Monday.\n\n"
        "Turnout was high on Saturday in Carrow.\n\n"
        "An exit poll of voters in Carrow showed Ruiz ahead among the young. The survey also "
        "showed Talbot ahead among retirees."
    )
    assert _speaker_of(text, "also showed") is None


def test_a_headline_label_poll_is_no_role_of_the_person_after_it():
    text = (
        "Poll: Dana Ruiz Burns Ed Talbot With First-Ever Lead\n\n"
        "Dana Ruiz and Ed Talbot are tied in Carrow, according to a new poll.\n\n"
        "The survey, conducted by the Carrow Institute, finds Ruiz with 47 percent."
    )
    assert _speaker_of(text, "according to") == "Carrow Institute"


def test_the_justice_is_the_judge_the_story_is_about():
    text = (
        "Dana Ruiz regrets her remarks about Ed Talbot.\n\n"
        '"My remarks were ill-advised," Ruiz said in a statement.\n\n'
        "In three interviews, the justice sounded off on Talbot, saying she did not want to "
        "think about a Talbot win."
    )
    assert _speaker_of(text, "saying") == "Dana Ruiz"


def test_a_possessed_epithet_is_not_the_person_just_spoken_of():
    text = (
        "Owen Marsh walked off the set of a Radio Tallis program on Monday.\n\n"
        "Mr. Marsh argued the attack was a hate crime, while the program's commentator said "
        "it was terrorism alone."
    )
    assert _speaker_of(text, "said") != "Owen Marsh"


def test_a_website_speaks_for_the_body_named_in_it_with_its_article():
    text = (
        "The movement began in a farmhouse, as the Carrow Foundation website notes: "
        '"In the fall of 1961, some forty young farmers met in Ona Vell\'s kitchen."'
    )
    assert _speaker_of(text, "notes") == "Carrow Foundation"


def test_a_bare_surname_beside_said_is_the_person_named_in_full():
    text = (
        # The parser reads "Early" after "said" as an adverb, and NER tags nothing.
        "But Bill Early, a longtime party data operative, vouched for both of them.\n\n"
        '"Having two people who understand the file is valuable," said Early, explaining '
        "that the file took years to build."
    )
    assert _speaker_of(text, "said") == "Bill Early"


def test_she_after_an_unnamed_woman_is_that_woman_not_a_name_further_back():
    text = (
        "Tam Rowe spoke in Carrow on Monday, and Governor Ed Talbot spoke after.\n\n"
        "Talbot began the morning by begging a woman who claimed to be undecided to vote for "
        "him. After he gave her a long answer about pensions, she said the answer had won her "
        "vote."
    )
    assert _speaker_of(text, "said") is None


@pytest.mark.parametrize(
    "text",
    [
        # The woman is a speaker's word, inside the quotation.
        'Tam Rowe spoke in Carrow. "How about a careful woman? I am one," she said.',
        # "She" was the topic before the woman was brought in.
        "Ms. Tam Rowe toured Carrow on Monday. She met a woman who had lost a son to the "
        "floods. And she said the town would be rebuilt by spring.",
    ],
)
def test_she_stays_with_the_named_woman_the_text_is_about(text):
    found = [s for s in extract_statements(parse(text), "a1") if s.speaker_mention == "she"]
    assert found
    assert all(s.speaker == "Tam Rowe" for s in found)


@pytest.mark.parametrize(
    ("text", "cue", "owner"),
    [
        (
            "The Carrow Supper Club is closing. An email was sent on Friday from the club's "
            "director, Ona Vellik, to its members. The email said the club could no longer pay "
            "its rent.",
            "said",
            "Ona Vellik",
        ),
        (
            "In the March 9 cable, Ambassador Ed Talbot reported that the port was unsafe. The "
            "cable indicated that twelve guards would be the minimum.",
            "indicated",
            "Ed Talbot",
        ),
        # Writings sent out, delivered or carried by someone speak for them.
        (
            "Dana Ruiz lost the east. A fundraising email sent out by Ruiz on Tuesday night "
            "said that the race was far from over.",
            "said",
            "Dana Ruiz",
        ),
        (
            "The port has lost money for years, according to a speech Dana Ruiz delivered at "
            "Carrow University in July.",
            "according to",
            "Dana Ruiz",
        ),
        (
            "Coin flips decided six precincts, according to a report in the Korsvik Herald.",
            "according to",
            "Korsvik Herald",
        ),
    ],
)
def test_a_document_or_writing_speaks_for_the_maker_its_clause_names(text, cue, owner):
    assert _speaker_of(text, cue) == owner


def test_an_analysis_by_a_name_ner_split_speaks_for_that_name():
    text = (
        "Donations to Carrow's party funds hit $3 million by August, a CARROW LEDGER analysis "
        "of campaign reports shows."
    )
    assert _speaker_of(text, "shows") == "CARROW LEDGER"


def test_a_speaking_surname_read_as_a_modal_is_the_person_named_in_full_before():
    text = (
        "Columnist Hollis Will wrote a scathing op-ed about the mayor this week. "
        "“The port is not a toy,” Will wrote. Will urged voters to abandon the outsider candidates."
    )
    assert ("Will", "Hollis Will", "person") in speakers(text)


def test_a_speaking_surname_ner_missed_everywhere_names_the_earlier_full_name():
    words = ["Author", "Omkar", "D’Lima", "spoke", ".", "D’Lima", "argued", "."]
    pos = ["NOUN", "PROPN", "NOUN", "VERB", "PUNCT", "NOUN", "VERB", "PUNCT"]
    doc = Doc(load_pipeline().vocab, words=words, pos=pos)
    where: dict[str, list[int]] = {}
    for token in doc:
        where.setdefault(token.text, []).append(token.i)
    names = _speaking_surname(doc, doc[5], where)
    assert [(name.text, name.label_) for name in names] == [
        ("Omkar D’Lima", "PERSON"),
        ("D’Lima", "PERSON"),
    ]
    # A capitalised word no earlier name ends with is left alone.
    assert _speaking_surname(doc, doc[6], where) == []


def test_a_middle_surname_after_an_honorific_is_the_person_named_in_full():
    # Spanish names carry the father's surname in the middle: "Ms. Marin" is Lucia Marin
    # Oyarzo, not an organisation called Marin.
    text = (
        "Harbour Bank Faces Its Debts.\n\n''Guarantees are good when the venture is good,'' said "
        "Lucia Marin Oyarzo, the president of the bank. A lawyer and accountant, Ms. Marin is "
        "also serving as a kind of financial magician.\n\nMs. Marin said the bank was tied to "
        "its history."
    )
    assert ("Ms. Marin", "Lucia Marin Oyarzo", "person") in speakers(text)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # "Both men" takes up the two people just named together.
        (
            "Harbour Partners is not publicly traded, so it is not clear what the stakes held by "
            "Mr. Oduya and Mr. Brandt are worth. Both men said there were no plans for a public "
            "offering.",
            "Oduya and Brandt",
        ),
        # Two descriptions paired, or "both" on another noun than the speaker's, name no one.
        (
            "The port talks drew in the harbour master and the ferry union. Both sides said a "
            "deal was close.",
            None,
        ),
        (
            "Voters in Alda and Brennick are restless. Voters in both towns said the port "
            "mattered most.",
            None,
        ),
    ],
)
def test_both_takes_up_the_people_last_named_together(text, speaker):
    assert speakers(text)[-1][1] == speaker


def test_a_second_who_clause_joined_to_the_first_names_the_same_person():
    text = (
        "The mayor campaigned for Tomas Brandt, who is running for the council and who told "
        "the crowd that the port would reopen."
    )
    assert speakers(text) == [("who", "Tomas Brandt", "person")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The judge ruled over objections by the port authority, according to a press "
            "release from Harbour Watch.",
            "Harbour Watch",
        ),
        (
            "Officials searched three inboxes, according to a declaration filed in federal court "
            "by Ada Vell, director of the records office.",
            "Ada Vell",
        ),
    ],
)
def test_court_papers_and_releases_speak_for_whoever_filed_or_issued_them(text, speaker):
    assert speakers(text)[0][1] == speaker


def test_the_results_take_up_the_poll_named_before():
    text = (
        "A Harbour Institute poll found that the mayor leads in the port wards. "
        "The mayor received 41 percent and Ms. Vell had 36 percent, according to the results."
    )
    assert speakers(text)[-1][1] == "Harbour Institute"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A given name no list knows, alone, is the one person the body names in full with it.
        (
            "Harbour Vendors Count Losses.\n\nOne vendor, Amadou Keita, sold water near the "
            "ferry. Amadou said he sold 40 bottles.",
            "Amadou Keita",
        ),
        # A family name written first: "Mr. Wen" is Wen Lixin.
        (
            "Port Talks Stall.\n\nFinance Minister Wen Lixin met the envoys on Monday. Mr. Wen "
            "said the port levy would stay.",
            "Wen Lixin",
        ),
        # A caption's noun glued to a name ends no name: "Ada" is not "Ada Speech".
        (
            "Ada Says Port Will Reopen.\n\n[Video: Mayor Ada Speech at the harbour]\n\nMs. Ada "
            "said in her speech that the port would reopen.",
            "Ada",
        ),
    ],
)
def test_a_first_word_alone_is_the_one_person_the_body_names_in_full_with_it(text, speaker):
    assert speakers(text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("text", "cue", "owner"),
    [
        (
            "The Carrow mayor flew 333 hours last year, according to Federal Aviation "
            "Administration records.",
            "according to",
            "Federal Aviation Administration",
        ),
        (
            "Ms. Ruiz leads Mr. Talbot by 3 points, according to the average of recent polls "
            "compiled by the Meridian Polling Institute.",
            "according to",
            "Meridian Polling Institute",
        ),
        (
            "A review by the Korsvik Herald shows that most of the port's cranes sat idle.",
            "shows",
            "Korsvik Herald",
        ),
        (
            "Ms. Ruiz trails by 4 points in the north, according to the Meridian Polling "
            "Institute's polling average.",
            "according to",
            "Meridian Polling Institute",
        ),
    ],
)
def test_records_data_and_readings_of_documents_speak_for_their_owner(text, cue, owner):
    # Plural heads ("records") and readings of other documents ("the average of polls
    # compiled by ...") speak for the body their phrase names, without its "'s".
    assert _speaker_of(text, cue) == owner


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        (
            "A spokesman for the Korsvik Port Authority said that no crane had been sold.",
            "Korsvik Port Authority",
        ),
        ("A Korsvik Telecom spokeswoman said that the account had been closed.", "Korsvik Telecom"),
    ],
)
def test_a_spokesperson_speaks_for_the_organisation_named(text, owner):
    assert _speaker_of(text, "said") == owner


def test_a_spokesperson_for_a_person_stays_unnamed():
    text = "Dana Ruiz toured the port on Monday. A spokeswoman for Ms. Ruiz said she would return."
    assert _speaker_of(text, "said") is None


def test_the_release_is_the_text_of_the_announcement_just_before():
    text = (
        "Former Gov. Dana Ruiz had been due to speak in Korsvik, but on Thursday the "
        "Republican Party of Wyoming announced she was not coming.\n\n"
        '"The campaign has informed the party that Ruiz will not be attending," the release '
        "said."
    )
    assert _speaker_of(text, "said") == "Republican Party of Wyoming"


def test_the_release_after_an_announcement_of_no_named_maker_stays_unnamed():
    text = (
        "On Thursday it was announced that Dana Ruiz was not coming.\n\n"
        '"Ruiz will not be attending," the release said.'
    )
    assert _speaker_of(text, "said") is None


def test_jan_is_no_mans_name_so_she_can_be_jan_brewer():
    text = (
        'Kellyanne Ross joined the campaign in May. "Women will decide this race," Ross said.'
        "\n\nFormer Arizona governor Jan Brewer, an early supporter of the senator, calls the "
        'issue of security "a priority" for women. "That is something I think will resonate '
        'with all women," she said in an interview.'
    )
    assert speakers(text)[-1] == ("she", "Jan Brewer", "person")


def test_he_after_the_writers_unnamed_father_is_the_father_not_a_name_further_back():
    text = (
        "My father spent our savings on canned food from Tomas Ferreira, who ran the store in "
        'town. He also bought land in the hills.\n\n"We live in the last days," my father '
        "often said. He also told his friends that the crash was near."
    )
    assert speakers(text) == [("my father", None, "unknown"), ("He", None, "unknown")]


def test_whose_husband_is_his_role_not_hers():
    text = (
        "Dorothy Vance, whose husband, Navy SEAL Ty Vance, was killed in the attack, discussed "
        "the controversy with radio host Hugh Hewitt on Thursday.\n\nThough sad for the family, "
        "Vance said she does not believe Anna Brandt should be immune from criticism.\n\n"
        '"First and foremost," she told Hewitt, "I would never wish this on anyone."'
    )
    assert speakers(text)[-1] == ("she", "Dorothy Vance", "person")


def test_a_surname_tagged_as_a_plural_noun_is_still_a_mention_of_the_person():
    text = (
        "Dorothy Woods discussed the controversy with radio host Hugh Hewitt on Thursday. "
        "Ghazala Khan spoke at the convention.\n\nWoods continued by responding to those who "
        'believe he should not have accepted the medal. "I was disturbed that he was '
        'criticized," she said.'
    )
    assert speakers(text)[-1] == ("she", "Dorothy Woods", "person")


def test_a_document_speaking_makes_its_author_no_antecedent_of_the_next_he():
    text = (
        "Mitchell Zuckoff wrote a book about the siege. Bob said he arrived in Benghazi as base "
        "chief in December 2011.\n\nThe book accuses Bob of treating the guards like servants. "
        "He said that is a distortion."
    )
    assert speakers(text)[-2:] == [
        ("The book", "Mitchell Zuckoff", "person"),
        ("He", "Bob", "person"),
    ]


def test_he_in_a_clause_of_a_subject_that_is_someones_thing_is_its_owner():
    text = (
        "Donald Trump attacked the judge again on Friday.\n\nCharles Geyh, a professor of law, "
        "said he has no problem with candidates criticizing judges.\n\nOne of Trump's earlier "
        "attacks came in February, when he told Fox News that the judge was biased against him."
    )
    assert speakers(text)[-1] == ("he", "Donald Trump", "person")


def test_a_named_subject_described_as_a_man_is_not_an_unnamed_man():
    text = (
        "Georgia businessman Bruce LeVell believes that people do not know the man.\n\nLeVell "
        "is a black man on a mission to change what he thinks is an unfair perception. He said "
        "that Trump is no racist."
    )
    assert speakers(text)[-1] == ("He", "Bruce LeVell", "person")


def test_a_family_by_its_surname_is_a_group_and_they_only_as_a_subject():
    assert speakers(
        "Hillary Clinton flew home on Sunday. The Clintons said they would spend the holiday "
        "in the Dominican Republic."
    ) == [("The Clintons", "Clintons", "group")]
    text = (
        "Hillary Clinton prepared for the debate at home.\n\nSeveral senior Democrats with "
        "longtime ties to both Clintons cited another debate. They compared her dilemma to that "
        "of Al Gore in 2000."
    )
    assert speakers(text)[-1] == ("They", "Democrats", "group")


def test_a_foreign_titled_outlet_a_shoe_maker_and_a_plural_people_are_no_persons():
    doc = parse(
        "One of Germany's largest media outlets, Der Spiegel, disabled its comment function. "
        "A politician mocked the breeding habits of Africans, and a comment followed. "
        "(Marc Fisher Footwear produces her shoe line.)"
    )
    settle_name_types(doc)
    labels = {ent.text: ent.label_ for ent in doc.ents}
    assert [labels[n] for n in ("Der Spiegel", "Africans", "Marc Fisher Footwear")] == [
        "ORG",
        "NORP",
        "ORG",
    ]


def test_a_reflexive_beside_a_name_is_no_role():
    doc = parse(
        "Karl Osman spoke in Vila Nova. Weeks later Osman himself said that the port would close."
    )
    statement = extract_statements(doc, "a1")[0]
    assert (statement.speaker, statement.speaker_role) == ("Karl Osman", None)


def test_the_statement_is_the_text_of_a_confirmation_just_before():
    text = (
        "Anchor Mara Lind was seen entering the tower on Wednesday.\n\n"
        "Fox News confirmed that Lind met with the candidate.\n\n"
        "According to the statement, Lind met with him to discuss plans for a special."
    )
    assert _speaker_of(text, "According to") == "Fox News"


def test_the_lawsuit_is_the_suit_of_those_who_sued_and_later_mentions_take_it_up():
    text = (
        "The Harbour Party and the campaign of Mara Lind will sue the county over the ferry "
        "closures.\n\nThe lawsuit, which will be filed on Friday, focuses on the north pier.\n\n"
        '"Closing the pier left thousands stranded," the lawsuit says.\n\n'
        'The closures were "particularly burdensome" on the islands, the lawsuit alleges.'
    )
    said = [
        s.speaker for s in extract_statements(parse(text), "a1") if s.cue in {"says", "alleges"}
    ]
    assert said == ["Harbour Party", "Harbour Party"]


def test_the_suit_takes_up_a_lawsuit_filed_by_someone():
    text = (
        "Tomas Berg was fired in June. A lawsuit has been filed by Tomas Berg against the "
        "council.\n\nAlong with a raft of allegations, the suit claims that the mayor damaged "
        "his reputation."
    )
    assert _speaker_of(text, "claims") == "Tomas Berg"


def test_a_confirmation_by_no_named_maker_does_not_hide_the_announcement_before_it():
    text = (
        "The Harbour Board announced the closure of the pier on Monday.\n\n"
        "Two days later, the damage was confirmed by inspectors.\n\n"
        '"We regret the disruption," the statement said.'
    )
    assert _speaker_of(text, "said") == "Harbour Board"


def test_taking_up_a_chain_of_documents_follows_each_mention_back_once(monkeypatch):
    # Following every earlier mention back, not just the nearest, searched a chain of
    # "the statement" from each of its links: exponential in the chain's length.
    from quotegraph.extract import speakers

    calls = []
    follow = speakers._owner_named_before

    def counted(head, depth=0):
        calls.append(depth)
        return follow(head, depth)

    monkeypatch.setattr(speakers, "_owner_named_before", counted)
    repeated = '"We regret it," the statement said. The statement added that the pier was shut. '
    text = "The Harbour Board announced the closure on Monday. " + repeated * 40
    statements = extract_statements(parse(text), "a1")
    searches = sum(1 for depth in calls if depth == 0)
    assert statements[0].speaker == "Harbour Board"
    assert len(calls) <= (speakers._TAKE_UP_STEPS + 1) * searches


# --- epithets and relative clauses (eighth session; fictional people, hand-written sentences) ---


@pytest.mark.parametrize(
    ("epithet", "speaker"),
    [
        # a hyphenated head is one word: "front-runner" is three tokens
        ("The Harbor Party front-runner", "Tomas Ferreira"),
        # a lowercase head the tagger reads as a proper noun is still a common noun
        ("The billionaire shipping mogul", "Tomas Ferreira"),
        ("The retired neurosurgeon", "Tomas Ferreira"),
        ("The self-described democratic socialist", "Tomas Ferreira"),
    ],
)
def test_a_campaign_epithet_is_the_person_the_text_is_about(epithet, speaker):
    text = (
        "Tomas Ferreira toured three farms near Vila Nova on Monday. "
        f"{epithet} said that the harvest would be strong."
    )
    assert speakers(text)[-1][1:] == (speaker, "person")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Lena Rask spoke at the harbour on Monday. Tomas Ferreira listened. "
            "The former first lady said that the levy was a mistake.",
            ("Lena Rask", "person"),
            id="the former first lady is a woman named before",
        ),
        # The writer uses the epithet to point away from the subject, which "he" would take.
        pytest.param(
            "Karl Osman spoke in Vila Nova on Monday. Osman leads Tomas Ferreira by 40 "
            "delegates, but the retired neurosurgeon has vowed that he will fight on.",
            ("Tomas Ferreira", "person"),
            id="after its sentence's subject, the other person named",
        ),
        # "which drew criticism ... that Osman was careless" is the writer's, not the speaker's.
        pytest.param(
            "Karl Osman told reporters that the port should close. "
            "The front-runner later said he was joking, a remark which drew criticism that "
            "Osman was careless.",
            ("Karl Osman", "person"),
            id="a name in the writer's aside does not rule the person out",
        ),
        # The parser hangs the clause on "decision"; the board named before the comma rules.
        pytest.param(
            "Karl Osman got a favorable decision from the Vila Nova Board of Elections, which "
            "ruled that he could appear on the ballot.",
            ("Vila Nova Board of Elections", "organization"),
            id="which after a body named before the comma is that body",
        ),
    ],
)
def test_epithets_and_relatives_name_the_speaker(text, speaker):
    assert speakers(text)[-1][1:] == speaker


def test_an_epithet_is_not_the_person_named_in_what_it_says():
    text = (
        "Karl Osman toured the docks on Monday. Tomas Ferreira spoke later that day. "
        "The front-runner predicted that if Ferreira ran again, he would lose."
    )
    assert speakers(text)[-1][1] != "Tomas Ferreira"


def test_that_opening_a_clause_is_no_relative_pronoun_with_an_antecedent():
    text = (
        "Karl Osman dismissed a report in the Harbor Ledger that Tomas Ferreira has been "
        "considering announcing that he will not endorse him."
    )
    assert "Harbor Ledger" not in {speaker for _, speaker, _ in speakers(text)}


def test_a_restrictive_relative_pronoun_stands_for_the_noun_before_it():
    # The noun's phrase ends where its relative clause starts, at the pronoun, not its verb.
    doc = parse("The council passed a resolution which said that the port would close.")
    which = next(t for t in doc if t.lower_ == "which")
    resolved = resolve(doc, (which.i, which.i + 1), collect_entities(doc))
    assert resolved.role == "resolution"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Harbor Ledger said Karl Osman provided a written statement in reply. "
            '"The levy was a mistake," the statement said.',
            "Karl Osman",
        ),
        (
            "The Vila Nova Port Authority responded that the pier would reopen. "
            '"Repairs are under way," the statement said.',
            "Vila Nova Port Authority",
        ),
        (
            "Karl Osman worked for Brekker Shipping Company in Vila Nova. The company "
            "confirmed that he was aboard. He was a respected colleague, the statement added.",
            "Brekker Shipping Company",
        ),
    ],
)
def test_the_statement_speaks_for_who_provided_it_or_responded(text, speaker):
    assert speakers(text)[-1][1] == speaker


def test_a_magazine_named_with_its_kind_speaks_as_a_body():
    text = "Harbor Monthly magazine wrote that the pier would reopen in May."
    assert speakers(text)[-1][1:] == ("Harbor Monthly magazine", "organization")


def test_a_day_names_no_poll():
    text = (
        "The Vila Nova Times released a poll of 900 voters on Monday. "
        "Monday's poll showed that Karl Osman leads by four points."
    )
    assert speakers(text)[-1][1] != "Monday's poll"


def test_a_speaking_it_is_the_document_just_the_subject():
    text = (
        "The email, released by the Vila Nova Watch group, was sent at noon by Karl Osman. "
        '"We have found the ships," it said.'
    )
    assert speakers(text)[-1][1] == "Karl Osman"


def test_a_speaking_it_after_a_body_as_subject_is_the_body():
    # The nearest main-clause subject decides: the authority's statement is the authority's.
    text = (
        "The memo was sent by Karl Osman on Friday. "
        "The Vila Nova Port Authority put out a statement on Monday. "
        '"The levy is a mistake," it said.'
    )
    assert speakers(text)[-1][1] == "Vila Nova Port Authority"


def test_which_after_a_word_cut_from_a_title_is_not_that_word():
    text = (
        "Pollster Karl Osman, author of 2016 and Beyond, which urged the party to court new "
        "voters, said that the levy was a mistake."
    )
    assert "Beyond" not in {speaker for _, speaker, _ in speakers(text)}


def test_a_which_he_said_aside_is_the_speaker_of_the_claim_around_it():
    text = (
        "Okafor was shot on Friday. In a statement, the family's lawyer, Daniel Brandt, said "
        "the tapes show Okafor leaving his car calmly. Brandt also said the tapes do not show "
        "whether Okafor has anything in his hands, which he said were at his side when he "
        "was shot."
    )
    assert speakers(text)[-1] == ("he", "Daniel Brandt", "person")


def test_a_pronoun_joined_to_a_clause_about_a_relative_is_that_relative():
    text = (
        "Governor Moreau spoke last week. My mother has mellowed with age, but even now she "
        "still says things such as, \u201cNobody owes you anything.\u201d"
    )
    ((mention, name, _),) = speakers(text)
    assert (mention, name) == ("she", None)


def test_the_petition_speaks_for_whoever_filed_it():
    text = (
        "Tomas Ortiz filed a petition on Tuesday in the district court to stop the ministry's "
        "claim. The petition accuses the ministry of \u201ctrying to silence Mr. Ortiz.\u201d"
    )
    assert speakers(text)[-1] == ("The petition", "Tomas Ortiz", "person")


def test_a_version_of_a_website_speaks_for_the_websites_owner():
    text = (
        "According to an archived version of the Harbor Trust website from 2012, "
        "\u201cGold Sponsor\u201d was the top level of support."
    )
    ((_, name, kind),) = speakers(text)
    assert (name, kind) == ("Harbor Trust", "organization")


def test_a_name_given_to_a_room_is_no_mention_of_the_person():
    words = ["at", "the", "Tomas", "Varga", "briefing", "room", ",", "Lena", "Rask", "spoke"]
    doc = Doc(
        load_pipeline().vocab,
        words=words,
        heads=[9, 5, 3, 5, 5, 0, 9, 8, 9, 9],
        deps=[
            *("prep", "det", "compound", "compound", "compound", "pobj"),
            *("punct", "compound", "nsubj", "ROOT"),
        ],
        lemmas=[w.lower() for w in words],
        ents=["O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "B-PERSON", "I-PERSON", "O"],
    )
    assert _names_a_building(doc.ents[0])
    assert not _names_a_building(doc.ents[1])


def test_a_post_speaks_for_the_author_it_names_who_is_then_the_next_she():
    text = (
        "Mayor Kasimir Tolland opened the new harbor on Monday. Harbor News will cover the "
        "strike as news, according to a post from Senator Ilse Varga. \u201cWe will be there "
        "every day,\u201d she wrote."
    )
    assert speakers(text) == [
        ("a post from Senator Ilse Varga", "Ilse Varga", "person"),
        ("she", "Ilse Varga", "person"),
    ]


def test_a_pronoun_after_only_a_quotation_opens_its_sentence_for_the_previous_one():
    doc = parse('Vik seems to agree. "We do not yet know what will work," he said.')
    registry = collect_entities(doc)
    he = next(t for t in doc if t.text == "he")
    opening = _opening_before_pronoun(doc[he.i : he.i + 1], registry)
    assert opening is not None
    assert doc[opening].text == '"'


def test_a_pronoun_inside_a_sentence_does_not_open_it():
    doc = parse('Vik said on Monday that "nothing will change" before he left.')
    registry = collect_entities(doc)
    he = next(t for t in doc if t.text == "he")
    assert _opening_before_pronoun(doc[he.i : he.i + 1], registry) is None


def test_a_sentence_opens_on_its_topic_after_a_leading_and():
    doc = parse("And Vik, for all the money he raised, seems to agree.")
    assert _topic_start(doc[:]) == doc[1].idx


def test_a_pronoun_is_never_the_person_its_own_verb_names_as_object():
    # The asker is the last main subject, but "he told Hale" cannot be Hale; the next "he"
    # stays with the one who answered.
    text = (
        "Piet Hale asked Tomas Brandt how long the tunnel would take. "
        "\u201cTwo years at most,\u201d he told Hale. "
        "\u201cThe money is there,\u201d he said."
    )
    assert [(mention, name) for mention, name, _ in speakers(text)][-2:] == [
        ("he", "Tomas Brandt"),
        ("he", "Tomas Brandt"),
    ]


def test_an_untagged_word_opening_one_organisation_name_is_that_organisation():
    # NER tagged "Peabody Energy" once and missed the bare "Peabody" later (a PolNeAR case).
    words = ["In", "a", "statement", ",", "Peabody", "said", "."]
    doc = Doc(
        load_pipeline().vocab,
        words=words,
        pos=["ADP", "DET", "NOUN", "PUNCT", "PROPN", "VERB", "PUNCT"],
    )
    registry = ArticleEntities()
    registry.entities["Peabody Energy"] = _Entity("Peabody Energy", "organization")
    found = _short_organization_name(doc[4:5], registry)
    assert found is not None
    assert (found.name, found.speaker_type) == ("Peabody Energy", "organization")
    # Two bodies open with the word: it names neither.
    registry.entities["Peabody Holdings"] = _Entity("Peabody Holdings", "organization")
    assert _short_organization_name(doc[4:5], registry) is None
    # A person's name is no organisation's short name.
    people = ArticleEntities()
    people.entities["Peabody Hale"] = _Entity("Peabody Hale", "person")
    assert _short_organization_name(doc[4:5], people) is None
    # A country opens its bodies' names; where the text uses the word as a place, it stays
    # the place (the sample corpus's "Estmark Pharmacists' Association").
    words = ["Rain", "fell", "in", "Estmark", ".", "Estmark", "said", "so", "."]
    place = Doc(
        load_pipeline().vocab,
        words=words,
        pos=["NOUN", "VERB", "ADP", "PROPN", "PUNCT", "PROPN", "VERB", "ADV", "PUNCT"],
    )
    bodies = ArticleEntities()
    name = "Estmark Pharmacists' Association"
    bodies.entities[name] = _Entity(name, "organization")
    assert _short_organization_name(place[5:6], bodies) is None


def test_a_document_the_parser_coordinated_with_its_date_keeps_the_one_reporting_in_it():
    text = (
        "In the July 9, 2012, cable, Lindqvist reported, \u201cOverall conditions in the port "
        "continue to be unpredictable.\u201d The cable indicated that 13 guards would be the "
        "minimum."
    )
    doc = parse(text)
    cable = next(t for t in doc if t.text == "cable")
    assert (cable.dep_, cable.head.text) == ("conj", "July")  # the misparse this is about
    assert [(s.speaker_mention, s.speaker) for s in extract_statements(doc, "a1")] == [
        ("Lindqvist", "Lindqvist"),
        ("The cable", "Lindqvist"),
    ]


def test_the_ruling_speaks_for_the_court_that_just_ruled():
    text = (
        "The Marlow District Court ruled on Monday that the harbour levy was unlawful.\n\n"
        "\u201cThe city cannot tax what the state exempts,\u201d said the ruling."
    )
    assert speakers(text)[-1] == ("the ruling", "Marlow District Court", "organization")
