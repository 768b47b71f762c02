"""The cross-article speaker pass: the pure merge plan on hand-built profiles, and the store.

Every name here is fictional. "Anna Vogel" plays the part of a chancellor known as "Vogel",
"Chancellor Anna Vogel" and "the German chancellor"; the two Rasks of the sample corpus share
a surname and must stay apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotegraph.corpus.speaker_names import abbreviation_pairs, organization_key, person_name
from quotegraph.corpus.speakers import PASS_NAME, link_speakers, plan_speaker_links
from quotegraph.store import Store, speaker_id_for
from quotegraph.types import (
    Article,
    Extraction,
    SpeakerDescription,
    SpeakerLinkPlan,
    SpeakerProfile,
    Statement,
)

EXPECTATIONS = Path(__file__).resolve().parents[1] / "golden" / "sample_expectations.json"


def profile(
    name: str,
    *,
    kind: str = "person",
    roles: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    articles: tuple[str, ...] = ("a1",),
    published: str | None = "2025-03-10",
    count: int = 1,
    new: bool = True,
) -> SpeakerProfile:
    return SpeakerProfile(
        speaker_id=sid(name, kind),
        name=name,
        speaker_type=kind,  # type: ignore[arg-type]
        aliases=aliases or (name,),
        roles=roles,
        article_ids=articles,
        first_published=published,
        last_published=published,
        statement_count=count,
        is_new=new,
    )


def sid(name: str, kind: str = "person") -> str:
    return speaker_id_for(name, kind)


def merged(plan: SpeakerLinkPlan) -> dict[str, str]:
    return {m.source_id: m.target_id for m in plan.merges}


def described(description: str, published: str = "2025-03-11") -> SpeakerDescription:
    return SpeakerDescription(
        statement_id=f"st-{description}",
        article_id="a9",
        description=description,
        mention=f"the {description}",
        published=published,
    )


# --------------------------------------------------------------------------- names


def test_person_names_come_apart_into_given_name_middle_and_surname() -> None:
    vogel = person_name("Chancellor Anna D. Vogel's")
    assert vogel is not None
    assert (vogel.first, vogel.middle, vogel.surname, vogel.titles) == (
        "anna",
        ("d",),
        "vogel",
        ("chancellor",),
    )
    junior = person_name("Karl Moll Jr.")
    assert junior is not None
    assert junior.surname == "moll jr"
    alone = person_name("Sen. Ruiz")
    assert alone is not None
    assert alone.first is None
    assert alone.titles == ("senator",)
    assert person_name("José Núñez") == person_name("JOSE NUNEZ")


def test_organisation_keys_ignore_case_apostrophes_and_a_persons_given_name() -> None:
    assert organization_key("Kembara’s interior ministry") == "kembara interior ministry"
    assert organization_key("The Kembara's Interior Ministry") == "kembara interior ministry"
    assert organization_key("Mrs. Vogel's campaign") == organization_key("Anna Vogel's campaign")


def test_abbreviations_are_read_only_when_the_article_pairs_them() -> None:
    text = (
        "Rates were held by the Federal Reserve (Fed) on Monday, while the Estmark Bureau "
        "of Statistics (EBS) disagreed. Sen. Ruiz (R-Est.) said nothing (ABC)."
    )
    assert abbreviation_pairs(text) == [
        ("Federal Reserve", "Fed"),
        ("Estmark Bureau of Statistics", "EBS"),
    ]


# --------------------------------------------------------------------------- the merge plan


def test_surname_title_variant_and_description_become_one_speaker() -> None:
    profiles = [
        profile("Anna Vogel", roles=("German chancellor",), count=9, articles=("a1",)),
        profile("Vogel", roles=("Chancellor",), articles=("a2",)),
        profile("Chancellor Anna Vogel", articles=("a3",)),
    ]
    plan = plan_speaker_links(profiles, [described("German chancellor")])
    target = sid("Anna Vogel")
    assert merged(plan) == {sid("Vogel"): target, sid("Chancellor Anna Vogel"): target}
    assert [(d.statement_id, d.speaker_id) for d in plan.descriptions] == [
        ("st-German chancellor", target)
    ]


def test_people_sharing_a_surname_stay_apart_and_roles_decide_a_bare_surname() -> None:
    lena = profile("Lena Rask", roles=("health minister",), articles=("h1",), count=5)
    piet = profile("Piet Rask", roles=("chairman of the dockworkers' union",), articles=("p1",))
    union_rask = profile("Rask", roles=("union leader",), articles=("p2",))
    plan = plan_speaker_links([lena, piet, union_rask])
    assert merged(plan) == {sid("Rask"): sid("Piet Rask")}


def test_a_bare_surname_without_evidence_is_left_alone() -> None:
    lena = profile("Lena Rask", articles=("h1",))
    piet = profile("Piet Rask", articles=("p1",))
    plan = plan_speaker_links([lena, piet, profile("Rask", articles=("x1",))])
    assert plan.merges == ()


def test_a_unique_full_name_takes_the_surname_unless_roles_disagree() -> None:
    full = profile("Tomas Ferreira", roles=("interior ministry spokesman",))
    agreeing = profile("Ferreira", roles=("spokesperson",), articles=("a2",))
    assert merged(plan_speaker_links([full, agreeing])) == {sid("Ferreira"): sid("Tomas Ferreira")}
    clashing = profile("Ferreira", roles=("goalkeeper",), articles=("a2",))
    assert plan_speaker_links([full, clashing]).merges == ()


def test_surname_outside_the_time_window_of_the_only_near_candidate() -> None:
    old = profile("Lena Rask", published="2019-01-01", articles=("h1",))
    recent = profile("Piet Rask", published="2025-03-01", articles=("p1",))
    bare = profile("Rask", published="2025-03-12", articles=("x1",))
    assert merged(plan_speaker_links([old, recent, bare])) == {sid("Rask"): sid("Piet Rask")}


def test_an_honorific_excludes_the_other_gender() -> None:
    daniel = profile("Daniel Okafor", articles=("d1",))
    grace = profile("Grace Okafor", articles=("g1",))
    mister = profile("Okafor", roles=("Mr.",), articles=("x1",))
    assert merged(plan_speaker_links([daniel, grace, mister])) == {
        sid("Okafor"): sid("Daniel Okafor")
    }


def test_name_variants_merge_unless_a_third_name_makes_them_ambiguous() -> None:
    plan = plan_speaker_links([profile("Maria Lund Berg", count=2), profile("Maria Berg", count=7)])
    assert merged(plan) == {sid("Maria Lund Berg"): sid("Maria Berg")}
    father_and_son = [
        profile("Henrik J. Moll"),
        profile("Henrik A. J. Moll"),
        profile("Henrik Moll"),
    ]
    assert plan_speaker_links(father_and_son).merges == ()
    junior = [profile("Karl Moll"), profile("Karl Moll Jr.")]
    assert plan_speaker_links(junior).merges == ()


def test_a_short_given_name_and_its_formal_name_are_one_person() -> None:
    formal = profile("Joseph P. Halloran", articles=("a1",), count=3)
    short = profile("Joe Halloran", articles=("a2",))
    assert merged(plan_speaker_links([formal, short])) == {
        sid("Joe Halloran"): sid("Joseph P. Halloran")
    }
    # A form that stands for two names ("Pat": Patrick or Patricia) joins neither.
    assert plan_speaker_links([profile("Patricia Oyelaran"), profile("Pat Oyelaran")]).merges == ()
    # A short form of two names joins neither; "Steve" is Stephen or Steven, one name in two
    # spellings.
    shared = [profile("Christopher Varga"), profile("Chris Varga"), profile("Bill Varga")]
    assert plan_speaker_links(shared).merges == ()  # Chris: Christopher or Christine
    spellings = [profile("Stephen Varga", count=4), profile("Steve Varga")]
    assert merged(plan_speaker_links(spellings)) == {sid("Steve Varga"): sid("Stephen Varga")}


def test_a_given_name_alone_joins_the_full_name_quoted_in_the_same_article() -> None:
    full = profile("Ingrid Falk", articles=("a1", "a2"))
    same_article = profile("Ingrid", articles=("a2",))
    assert merged(plan_speaker_links([full, same_article])) == {sid("Ingrid"): sid("Ingrid Falk")}
    elsewhere = profile("Ingrid", articles=("a7",))
    assert plan_speaker_links([full, elsewhere]).merges == ()


def test_organisations_merge_by_normalised_name_and_paired_abbreviation() -> None:
    straight = profile("Kembara's interior ministry", kind="organization", count=3)
    curly = profile("Kembara’s interior ministry", kind="organization")
    plan = plan_speaker_links([straight, curly])
    assert merged(plan) == {
        sid("Kembara’s interior ministry", "organization"): sid(
            "Kembara's interior ministry", "organization"
        )
    }
    reserve = profile("Federal Reserve", kind="organization", articles=("r1",))
    fed = profile("Fed", kind="organization", articles=("r2",))
    assert plan_speaker_links([reserve, fed]).merges == ()
    paired = plan_speaker_links([reserve, fed], abbreviations=[("Federal Reserve", "Fed")])
    assert merged(paired) == {sid("Fed", "organization"): sid("Federal Reserve", "organization")}


def test_an_abbreviation_seen_before_its_speaker_is_kept_as_an_alias() -> None:
    reserve = profile("Federal Reserve", kind="organization")
    plan = plan_speaker_links([reserve], abbreviations=[("Federal Reserve", "Fed")])
    assert plan.aliases == ((sid("Federal Reserve", "organization"), "Fed"),)
    later = profile("Federal Reserve", kind="organization", aliases=("Federal Reserve", "Fed"))
    fed = profile("Fed", kind="organization", articles=("r9",))
    assert merged(plan_speaker_links([later, fed])) == {
        sid("Fed", "organization"): sid("Federal Reserve", "organization")
    }


def test_initials_merge_only_within_one_article() -> None:
    fund = profile("International Lending Fund", kind="organization", articles=("f1",))
    same = profile("ILF", kind="organization", articles=("f1",))
    other = profile("ILF", kind="organization", articles=("f2",))
    assert len(plan_speaker_links([fund, same]).merges) == 1
    assert plan_speaker_links([fund, other]).merges == ()


def test_person_and_organisation_are_never_merged() -> None:
    person = profile("Vogel", articles=("a1",))
    company = profile("Vogel", kind="organization", articles=("a1",))
    full = profile("Anna Vogel", articles=("a1",))
    plan = plan_speaker_links([person, company, full])
    assert merged(plan) == {sid("Vogel"): sid("Anna Vogel")}


def test_descriptions_link_only_to_exactly_one_matching_person_of_the_right_gender() -> None:
    ruiz = profile("Lena Ruiz", roles=("Estmark senator",))
    diaz = profile("Pedro Diaz", roles=("Estmark senator",))
    assert plan_speaker_links([ruiz, diaz], [described("Estmark senator")]).descriptions == ()
    alone = plan_speaker_links([ruiz], [described("Estmark senator")])
    assert [d.speaker_id for d in alone.descriptions] == [sid("Lena Ruiz")]
    # "spokesman" is not Lena Ruiz (a woman's given name), though her role words match.
    spokes = profile("Lena Ruiz", roles=("spokeswoman for the Estmark senate",))
    assert plan_speaker_links([spokes], [described("Estmark spokesman")]).descriptions == ()
    # Too vague to single anyone out, and outside the time window.
    assert plan_speaker_links([ruiz], [described("senator")]).descriptions == ()
    late = described("Estmark senator", published="2027-01-01")
    assert plan_speaker_links([ruiz], [late]).descriptions == ()


def test_incremental_second_batch_links_to_the_first_and_old_ids_are_not_reopened() -> None:
    first = [profile("Anna Vogel", roles=("chancellor",), count=4, new=False)]
    second = [*first, profile("Vogel", roles=("Chancellor",), articles=("a5",))]
    assert merged(plan_speaker_links(second)) == {sid("Vogel"): sid("Anna Vogel")}
    # Nothing new: no rule starts, even for a pair the rules would merge.
    stale = [profile("Anna Vogel", new=False), profile("Vogel", new=False, articles=("a5",))]
    assert plan_speaker_links(stale) == SpeakerLinkPlan()


# --------------------------------------------------------------------------- the store


TEXT = (
    "Chancellor Anna Vogel said the budget would pass. Vogel said so again. "
    "The German chancellor said it a third time. Fed officials said rates would hold."
)
RESERVE_TEXT = "The Federal Reserve (Fed) said rates would hold."


def _statement(
    article_id: str, seq: int, mention: str, speaker: str | None, text: str = TEXT, **kw: object
) -> Statement:
    start = text.index(mention)
    values: dict[str, object] = {
        "speaker_type": "person" if speaker else "unknown",
        "speaker_role": None,
    }
    values.update(kw)
    return Statement(
        statement_id=f"{article_id}#{seq}",
        article_id=article_id,
        kind="indirect",
        content=text[start : start + 5],
        content_spans=((start, start + 5),),
        speaker_mention=mention,
        speaker_span=(start, start + len(mention)),
        speaker=speaker,
        **values,  # type: ignore[arg-type]
    )


def _extraction(
    article_id: str, published: str, *statements: Statement, text: str = TEXT
) -> Extraction:
    return Extraction(Article(article_id=article_id, text=text, published=published), statements)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened


def _speaker_ids(store: Store, article_id: str) -> dict[str, str | None]:
    return {r.statement.statement_id: r.speaker_id for r in store.statements(article_id=article_id)}


def test_store_pass_merges_links_descriptions_and_follows_later_ingests(store: Store) -> None:
    run = store.begin_run("test")
    store.write_extractions(
        run,
        [
            _extraction(
                "a1",
                "2025-03-10",
                _statement(
                    "a1",
                    0,
                    "Chancellor Anna Vogel",
                    "Anna Vogel",
                    speaker_role="German chancellor",
                ),
            ),
            _extraction("a2", "2025-03-11", _statement("a2", 0, "Vogel", "Vogel")),
        ],
    )
    assert link_speakers(store) == 1
    target = sid("Anna Vogel")
    assert set(_speaker_ids(store, "a2").values()) == {target}
    assert store.speaker(sid("Vogel")) is None
    assert "Vogel" in store.speaker(target).aliases  # type: ignore[union-attr]
    assert store.pass_watermark(PASS_NAME) == store.last_article_key()
    assert link_speakers(store) == 0  # nothing new since the watermark

    # A later article: "Vogel" follows the redirect; a description finds the chancellor.
    store.write_extractions(
        run,
        [
            _extraction(
                "a3",
                "2025-03-12",
                _statement("a3", 0, "Vogel", "Vogel"),
                _statement(
                    "a3", 1, "The German chancellor", None, speaker_role="German chancellor"
                ),
            )
        ],
    )
    assert link_speakers(store) == 0
    assert _speaker_ids(store, "a3") == {"a3#0": target, "a3#1": target}
    vogel = store.speaker(target)
    assert vogel is not None
    assert "German chancellor" in vogel.roles


def test_store_pass_records_an_abbreviation_for_a_later_speaker(store: Store) -> None:
    run = store.begin_run("test")
    reserve = _statement(
        "r1",
        0,
        "The Federal Reserve",
        "Federal Reserve",
        RESERVE_TEXT,
        speaker_type="organization",
    )
    store.write_extractions(run, [_extraction("r1", "2025-03-10", reserve, text=RESERVE_TEXT)])
    link_speakers(store)
    fed = sid("Federal Reserve", "organization")
    assert "Fed" in store.speaker(fed).aliases  # type: ignore[union-attr]
    later = _statement("r2", 0, "Fed officials", "Fed", speaker_type="organization")
    store.write_extractions(run, [_extraction("r2", "2025-03-12", later)])
    assert link_speakers(store) == 1
    assert set(_speaker_ids(store, "r2").values()) == {fed}


# --------------------------------------------------------------------------- sample corpus


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from quotegraph.cli import sample_corpus_dir
    from quotegraph.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("speakers") / "sample.db"
    with Store.open(path) as opened:
        ingest_paths(opened, [sample_corpus_dir()])
        link_speakers(opened)
        yield opened


def _group_ids(store: Store, group: list[str], shared: set[str]) -> set[str]:
    """Speaker ids of a group's names. Descriptions ("the minister") and names in several
    groups ("Rask") mean different people in different articles, so they are left out."""
    names = [a for a in group if a.casefold() not in shared and a[:1].isupper()]
    names = [a for a in names if a.split()[0].casefold() not in {"the", "a", "an"}]
    return {r.speaker_id for name in names for r in store.statements(speaker=name) if r.speaker_id}


def test_sample_corpus_aliases_end_as_one_speaker_and_the_rasks_stay_apart(
    sample_store: Store,
) -> None:
    expectations = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
    groups = expectations["same_speaker_aliases"]
    seen: dict[str, int] = {}
    for group in groups:
        for alias in {a.casefold() for a in group}:
            seen[alias] = seen.get(alias, 0) + 1
    shared = {alias for alias, n in seen.items() if n > 1}
    for group in groups:
        assert len(_group_ids(sample_store, group, shared)) == 1, group
    for first, second in expectations["shared_surname_distinct"]:
        assert _group_ids(sample_store, [first], set()) != _group_ids(sample_store, [second], set())
