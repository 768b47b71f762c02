"""Resolve the words naming a speaker to a person or organisation named in the article.

No coreference model works offline on these machines (see the environment notes), so this is
the project's own, over the whole article:

* every PERSON and ORG entity is registered in text order with a canonical name: the longest
  name in the article that ends with the same surname ("Merkel" -> "Angela Merkel"), unless two
  different people share it, in which case the one mentioned last wins;
* roles are collected from titles before a name ("Health Minister Lena Rask"), appositions
  ("Tomas Ferreira, a spokesman for the interior ministry") and named appositions ("the German
  chancellor, Anna Vogel");
* one name has one type in an article (``settle_name_types``): the article's own evidence
  (a surname written in full, the label NER gives most, a person's role, the pronoun that
  takes the name up: "Brindle said its users ...") overrules NER's label for a mention;
* names NER missed are added: a surname of someone the article names in full, whatever label
  NER gave it ("Vogel" tagged LOC, or a noun in a title-case headline), and a capitalised word
  before such a surname ("Ivo Vogel" with a given name NER does not know);
* an honorific ("Mr. Clinton") picks the person of its gender among those sharing a surname,
  and no one of the other gender ("Mr. Vogel" is not Anna Vogel); past the lede a surname
  only stands for people already named in full; "the younger Mr. Vogel" and "Ivo Jr." are
  the one with "Jr.";
* a pronoun inside a clause goes to the subject of a clause that holds it ("Vogel, who ...,
  held a rally at which he said"); one that opens its sentence to the only person of its
  gender the sentence before names ("... Vogel's speech. He ..."); else to the most recent
  gender-compatible speaker or main-clause subject (a subject that opens its sentence, the
  owner of one, "Vogel's campaign", and the subject of what a common noun reports, "aides
  say Vogel ...", count as main), then any subject, then any mention (or organisation for
  "it"/"they"); a person whose gender the article never gave takes the gender of the first
  pronoun resolved to them; a subject given as a description of someone named ("the
  president appeared cowed") counts as a mention of that person; kin nouns ("the mayor's
  daughter") give a gender;
* "they" goes to the latest subject that can be many within the pronoun window: an unnamed
  plural ("dock workers say"), a named group, or an organisation that is a subject (one that
  is not, "wrote to the Harbour Board", is passed over), else to the latest group or
  organisation as before; plain "the campaign" is the campaign the article names after the
  person most recently a speaker or main-clause subject;
* a headline's "I" after a label ("Vogel: I will not resign") is the labelled person;
* a quoted "I" takes the speaker the paragraph attributes the quotation to; an epithet ("the
  Florida senator") that no collected role matches goes to the latest main-clause subject;
* descriptions ("the ministry spokesman") resolve through the roles (never to a role of
  another party: "the Democratic nominee" is not the "Republican nominee"), organisational nouns
  ("the ministry") through the organisations' names; an indefinite person ("a woman who ...")
  is the new person introduced as a subject by the first sentence of the next paragraph;
* vague sources ("unnamed officials", "two people familiar with the talks") are typed
  ``anonymous`` and keep their description; a document "from" a named body speaks for it
  ("a statement from Ryan's office"); "who" after a predicate noun is the named subject
  ("Vogel is a veteran lawmaker who said"); a bare "the state", "the city" or "the country"
  speaks for the place named last in its sentence or the one before; a plural description
  ("his advisers", "companies") is never one person or one organisation named before, and
  "no one" is no one; a bare "police" is the force named by its place ("Dunmore police");
  "campaign aides" and "administration officials" speak for the campaign or administration
  the article names; a definite description giving an age ("the 41-year-old mother of two")
  is the person the text has just been about; a given name alone is the one person the
  article names in full with it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import cast

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans as spacy_filter_spans

from quotegraph.extract.docs import (
    body_before_comma,
    doc_text,
    ents_within,
    forget_ents,
    sentence_of,
)
from quotegraph.extract.lexicon import (
    ANONYMITY_REQUEST_WORDS,
    DOCUMENT_HEADS,
    FEMALE_NAMES,
    FEMALE_ROLE_SUFFIXES,
    FEMALE_ROLE_WORDS,
    FIRST_PERSON,
    HONORIFICS,
    MALE_NAMES,
    MALE_ROLE_SUFFIXES,
    MALE_ROLE_WORDS,
    MONTHS,
    NOT_PERSON_NAMES,
    ORGANIZATION_HEADS,
    ORGANIZATION_NAME_WORDS,
    ORGANIZATION_ONE_WORD_NAMES,
    PERSON_PRONOUNS,
    PERSON_ROLE_WORDS,
    PLURAL_PRONOUNS,
    ROLE_SYNONYMS,
    SPEECH_VERBS,
    TITLES,
    VAGUE_HEADS,
    VAGUE_MARKERS,
    WEEKDAYS,
    WRITING_HEADS,
)
from quotegraph.extract.quotes import find_quotations, paragraphs
from quotegraph.types import SpeakerType

_NAME_LABELS = frozenset({"PERSON"})
# Entity labels of words that say when, never whose ("Monday's poll").
_WHEN = frozenset({"DATE", "TIME"})
_ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their"})


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one speaker mention."""

    name: str | None
    speaker_type: SpeakerType
    role: str | None = None
    how: str = "name"
    """How it was resolved: ``name``, ``surname``, ``pronoun``, ``description``,
    ``organization``, ``vague`` or ``none``."""


@dataclass
class _Entity:
    canonical: str
    speaker_type: SpeakerType
    gender: str | None = None
    roles: list[tuple[str, str, int]] = field(default_factory=list)
    """``(role text, role head lemma, char offset)`` in text order."""


@dataclass
class ArticleEntities:
    """Named people and organisations of one article, with where each is mentioned."""

    entities: dict[str, _Entity] = field(default_factory=dict)
    mentions: list[tuple[int, str, int]] = field(default_factory=list)
    """``(char offset, canonical, salience)`` sorted by offset. Salience 2 marks speakers and
    subjects of a main clause, 1 other subjects (or appositions of subjects), 0 the rest:
    subjects are the usual antecedents of a later "he" or "she", main-clause ones most."""
    surnames: dict[str, list[str]] = field(default_factory=dict)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    """Character ranges inside quotation marks, in text order."""
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    spoken: list[tuple[int, str, SpeakerType]] = field(default_factory=list)
    """Resolved speakers outside quotations, ``(offset, name, type)`` sorted by offset."""
    introduced: dict[str, int] = field(default_factory=dict)
    """Where each full person name is first written out in full."""
    written_in_full: list[tuple[int, str]] = field(default_factory=list)
    """``(char offset, canonical)`` of every person name written with more than one word
    outside quotations, in text order: the mentions that say unmistakably who is meant."""
    glued: set[str] = field(default_factory=set)
    """Full names whose first word is no given name ("Though Sanders", "Top Clinton"): a
    word NER glued to a surname, never the person a bare surname means when another fits."""
    lower_words: frozenset[str] = frozenset()
    """Words the article writes in lower case ("speech"): no part of a person's name."""
    crowds: list[tuple[int, str, int]] = field(default_factory=list)
    """Unnamed plural subjects ("show insiders said"), ``(offset, description, salience)``
    sorted by offset: what a later "they" most often means."""

    unnamed: list[tuple[int, Resolution, int]] = field(default_factory=list)
    """Speakers the article brings in without naming ("A representative for Mr. Pinchuk
    said"), ``(start and end offsets of the mention, its resolution)`` in the order they
    were resolved."""

    def note_unnamed(self, start: int, end: int, resolution: Resolution) -> None:
        """Record a speaker left unnamed, for a pronoun opening the next sentence."""
        self.unnamed.append((start, resolution, end))

    def note_speaker(self, offset: int, canonical: str, speaker_type: SpeakerType) -> None:
        """Record a resolved speaker: the likeliest antecedent of the next "he" or "she"."""
        self.entities.setdefault(canonical, _Entity(canonical, speaker_type))
        insort(self.mentions, (offset, canonical, _MAIN_SUBJECT))
        if not self.in_quote(offset):
            insort(self.spoken, (offset, canonical, speaker_type))

    def in_quote(self, offset: int) -> tuple[int, int] | None:
        """The quoted range around ``offset``, if any."""
        cut = bisect_left(self.quoted, (offset + 1, -1)) - 1
        if cut >= 0 and self.quoted[cut][0] <= offset < self.quoted[cut][1]:
            return self.quoted[cut]
        return None

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        """The paragraph (line) holding ``offset``."""
        cut = bisect_left(self.paragraphs, (offset + 1, -1)) - 1
        return self.paragraphs[cut] if cut >= 0 else (0, 0)

    def before(self, offset: int) -> list[tuple[int, str, int]]:
        """Mentions before ``offset``, most recent first."""
        cut = bisect_left(self.mentions, (offset, "", 0))
        return self.mentions[:cut][::-1]

    def between(self, start: int, end: int) -> list[tuple[int, str, int]]:
        """Mentions from ``start`` up to ``end``, in text order: a window's worth, where
        ``before`` would copy every mention of a long article for each pronoun."""
        first = bisect_left(self.mentions, (start, "", 0))
        return self.mentions[first : bisect_left(self.mentions, (end, "", 0))]


def add_missed_names(doc: Doc, heads: list[Token]) -> None:
    """Mark as PERSON the multi-word proper names that speak but that NER missed.

    The small NER model misses unfamiliar names ("Amara Okonkwo said ..."); a title-case
    proper-noun chain in the subject of a cue verb is a person's name far more often than not.
    """
    spans: list[Span] = []
    for token in doc:
        # Elsewhere, a chain that starts with a known given name ("Amara Okonkwo spoke") counts.
        if (
            token.pos_ == "PROPN"
            and token.dep_ != "compound"
            and token.i > 0
            and (doc[token.i - 1].lower_ in FEMALE_NAMES | MALE_NAMES)
        ):
            heads = [*heads, token]
    for head in heads:
        if head.pos_ != "PROPN" or head.ent_type_ or not head.is_title:
            continue
        start = head.i
        while (
            start > 0
            and doc[start - 1].dep_ == "compound"
            and doc[start - 1].head == head
            and (doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title)
        ):
            start -= 1
        if head.i - start >= 1 and not any(doc[i].ent_type_ for i in range(start, head.i + 1)):
            spans.append(Span(doc, start, head.i + 1, label="PERSON"))
    spans += _transcript_labels(doc)
    speaking = [head for head in heads if _may_be_speaking_surname(head)]
    where: dict[str, list[int]] = {}
    for token in doc if speaking else ():
        if token.text[:1].isupper():
            where.setdefault(token.text, []).append(token.i)
    spans += [name for head in speaking for name in _speaking_surname(doc, head, where)]
    relabelled = [
        Span(doc, ent.start, ent.end, label="PERSON")
        for ent in doc.ents
        if ent.label_ not in _NAME_LABELS and 2 <= len(ent) <= 3 and _looks_like_person(ent)
    ]
    relabelled += [part for ent in doc.ents for part in _possessor_and_person(ent)]
    if relabelled:
        starts = {r.start for r in relabelled}
        keep = [e for e in doc.ents if e.start not in starts]
        doc.ents = sorted([*keep, *relabelled], key=lambda e: e.start)
    if spans:
        doc.set_ents(spacy_filter_spans(spans), default="unmodified")
    _add_names_ending_in_known_surnames(doc)
    forget_ents(doc)


def _speaking_surname(doc: Doc, head: Token, where: dict[str, list[int]]) -> list[Span]:
    """A speaker's capitalised word that NER and the tagger missed as a name ("D’Souza
    replied", "Will urged", read as a noun or a modal) but that an earlier name ends with
    ("author Dinesh D’Souza", "George Will"): the bare word, and the full name where NER
    missed that too. Empty when no earlier name ends with it. ``where`` holds the positions
    of each capitalised word of ``doc``, so that no head reads the whole text."""
    word = head.text
    if not _may_be_speaking_surname(head):
        return []
    for position in where.get(word, []):
        if position >= head.i:
            break
        if position == 0:
            continue
        earlier, given = doc[position], doc[position - 1]
        if earlier.ent_type_ == "PERSON" and given.ent_type_ == "PERSON":
            return [Span(doc, head.i, head.i + 1, label="PERSON")]
        if earlier.ent_type_ or given.ent_type_ or not _could_be_given_name(given):
            continue
        full = Span(doc, given.i, earlier.i + 1, label="PERSON")
        return [full, Span(doc, head.i, head.i + 1, label="PERSON")]
    return []


def _may_be_speaking_surname(head: Token) -> bool:
    """A capitalised word with no entity that is no proper noun (those have their own rules
    in ``add_missed_names``), pronoun or title."""
    word = head.text
    title_case = len(word) >= 3 and word[0].isupper() and word[1:].islower()
    if head.ent_type_ or not (title_case or _APOSTROPHE_NAME.fullmatch(word)):
        return False
    return not (head.pos_ == "PROPN" or head.lower_ in PERSON_PRONOUNS or head.lower_ in TITLES)


# Surnames with an apostrophe after a capital ("D’Souza", "O'Neill"), which are not title case.
_APOSTROPHE_NAME = re.compile(r"[A-Z][’'][A-Z][a-z]+")


def _possessor_and_person(ent: Span) -> list[Span]:
    """ "Twitter's Adam Sharp", "Fox News' Bret Baier" tagged as one title or product: the
    person after the possessive, and the body before it. Empty unless the words after the
    possessive open on a known given name and hold two or three capitalised words."""
    if ent.label_ == "PERSON":
        return []
    # The possessive "'s", or an apostrophe alone after a plural ("Fox News’ Bret Baier").
    mark = next((t.i for t in ent if t.tag_ == "POS" or t.text in {"'", "’"}), None)
    if mark is None or mark == ent.start:
        return []
    person = ent.doc[mark + 1 : ent.end]
    if not 2 <= len(person) <= 3 or person[0].lower_ not in FEMALE_NAMES | MALE_NAMES:
        return []
    if not all(t.is_title and t.pos_ == "PROPN" for t in person):
        return []
    return [Span(ent.doc, ent.start, mark, label="ORG"), Span(ent.doc, mark + 1, ent.end, "PERSON")]


_MAX_LABEL_WORDS = 3


def _transcript_labels(doc: Doc) -> list[Span]:
    """A transcript's speaker label, "JANE DOE: We will ...": two or three words in capitals
    that open a paragraph before a colon, none of which the article writes in lower case
    ("BREAKING NEWS:" is no one). NER misses such names, above all when the given name is
    in no list; the label is a person whatever it says."""
    lower_words = {t.text for t in doc if t.is_lower}
    labels = []
    for token in doc:
        if token.i > 0 and "\n" not in doc[token.i - 1].text + doc[token.i - 1].whitespace_:
            continue
        end = token.i
        while end < len(doc) and end - token.i <= _MAX_LABEL_WORDS and _capitals(doc[end]):
            end += 1
        words = doc[token.i : end]
        if not 2 <= len(words) <= _MAX_LABEL_WORDS or end >= len(doc) or doc[end].text != ":":
            continue
        if any(t.ent_type_ or t.lower_ in lower_words for t in words):
            continue
        labels.append(Span(doc, token.i, end, label="PERSON"))
    return labels


def _capitals(token: Token) -> bool:
    return token.is_alpha and len(token.text) > 1 and token.text.isupper()


def settle_name_types(doc: Doc) -> None:
    """Relabel the names NER typed against the article's own evidence, every mention of a
    name alike, so that one name is never a person in one sentence and an organisation in
    the next.

    A name NER tagged ORG or GPE is a person's where it is the surname of someone the article
    names in full ("Trump" after "Donald Trump"; ORG only: a place may share a surname), where
    NER tags the same word PERSON at least as often, or where a person's role introduces it
    ("CEO Ann Vogel", "Vogel, the former executive"). A one-word PERSON name is an
    organisation's where an organisation noun introduces it ("Cargolens, a data firm") or
    where it is a platform, outlet or pollster (``ORGANIZATION_ONE_WORD_NAMES``: "Twitter
    said ..."), unless the article writes it as someone's surname or after a title ("Vicente
    Fox", "Mr. Fox"); a longer one where it opens or ends like a body ("Team Vogel", "the
    Vogel Foundation"). A reflexive or "its" that takes up a name which is its clause's
    subject ("Vogel compared himself", "Brindle said its users") outweighs all of these."""
    ents = list(doc.ents)
    full_surnames = _surnames_written_in_full(doc)
    votes: dict[str, Counter[str]] = {}
    for ent in ents:
        votes.setdefault(_name_key(ent), Counter())[ent.label_] += 1
    people = {
        key
        for key, count in votes.items()
        if count["PERSON"] and count["PERSON"] >= max(count["ORG"], count["GPE"])
    }
    # One-word names first, so that "Carly Vogel" (ORG) follows "Vogel" (ORG, "the CEO").
    people |= {
        _name_key(ent)
        for ent in ents
        if ent.label_ in {"ORG", "GPE"} and _person_by_evidence(ent, full_surnames, votes)
    }
    bodies = {_name_key(ent) for ent in ents if _organization_by_evidence(ent, full_surnames)}
    # The pronoun the article uses for a name outweighs the rest ("Vogel said its ...").
    pronouns: dict[str, set[str]] = {}
    for ent in ents:
        kind = _pronoun_for(ent)
        if kind is not None:
            pronouns.setdefault(_name_key(ent), set()).add(kind)
    # ... but never over a surname the article writes in full: "Obama said its ruling" is
    # the court's ruling, not Obama an organisation.
    body_pronoun = {
        key
        for key, kinds in pronouns.items()
        if kinds == {"organization"} and key not in full_surnames
    }
    people = {key for key in people if key not in body_pronoun}
    people |= {key for key, kinds in pronouns.items() if kinds == {"person"}}
    bodies = {key for key in bodies if pronouns.get(key) != {"person"}}
    bodies |= {key for key in body_pronoun if " " not in key}
    relabelled = []
    for ent in ents:
        key = _name_key(ent)
        label = ent.label_
        if (
            label in {"ORG", "GPE"}
            and key not in body_pronoun
            and _may_name_a_person(ent)
            and (
                _person_by_evidence(ent, full_surnames, votes)
                or key in people
                or (label == "ORG" and _given_and_surname(ent) and key.split()[-1] in people)
            )
        ):
            label = "PERSON"
        elif label == "PERSON" and key in bodies:
            label = "ORG"
        elif label == "PERSON" and len(ent) == 1 and ent[0].tag_ == "NNPS":
            label = "NORP"  # "the breeding habits of Africans": a people, not a person
        relabelled.append(ent if label == ent.label_ else Span(doc, ent.start, ent.end, label))
    if any(new is not old for new, old in zip(relabelled, ents, strict=True)):
        doc.ents = relabelled
        forget_ents(doc)


_REFLEXIVES = frozenset({"himself", "herself", "itself"})


def _pronoun_for(ent: Span) -> str | None:
    """ "person" or "organization" by the pronoun that takes up a name which is its clause's
    subject: "Vogel compared himself to ...", "Vogel said its users ...". None when no such
    pronoun follows in the sentence before another name."""
    root = ent.root
    if root.dep_ not in _SALIENT_DEPS:
        return None
    verb = root.head
    for token in ent.doc[ent.end : sentence_of(ent[0]).end]:
        if token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or token.is_quote:
            return None
        word = token.lower_
        if word not in _REFLEXIVES | {"its"} or not _in_clause_of(token, verb):
            continue
        # The subject of a reported clause is no evidence: "Vogel reported that she had
        # won" is about someone else as often as not.
        return "organization" if word in {"its", "itself"} else "person"
    return None


def _in_clause_of(token: Token, verb: Token) -> bool:
    """``token`` follows ``verb`` and hangs on it or on the clause it reports, not inside a
    relative or adverbial clause ("... neither of whom shifted its balance")."""
    if token.i < verb.i:
        return False
    for ancestor in [token, *token.ancestors]:
        if ancestor == verb:
            return True
        if ancestor.dep_ in {"relcl", "acl", "advcl", "parataxis"}:
            return False
    return False


def _name_key(ent: Span) -> str:
    """A name as the type rules compare it: lower case, no determiner or possessive."""
    words = [t.lower_ for t in _name_words(ent)]
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _person_by_evidence(
    ent: Span, full_surnames: frozenset[str], votes: dict[str, Counter[str]]
) -> bool:
    """Whether an ORG or GPE entity is a person's name by the article's evidence."""
    words = _name_words(ent)
    key = _name_key(ent)
    if ent.label_ not in {"ORG", "GPE"} or not _may_name_a_person(ent):
        return False
    count = votes.get(key, Counter())
    if count["PERSON"] >= count[ent.label_]:
        return True
    if ent.label_ == "ORG" and len(words) == 1 and key in full_surnames:
        return True
    return ent.label_ == "ORG" and len(words) <= 3 and _introduced_by_person_role(ent)


def _given_and_surname(ent: Span) -> bool:
    """Two proper nouns that can be a given name and a surname ("Carly Vogel"), not a
    title-case headline that ends in a name ("Gold Star Mom Corners Vogel")."""
    words = _name_words(ent)
    return len(words) == 2 and words[0].pos_ == "PROPN" and not words[0].is_stop


def _may_name_a_person(ent: Span) -> bool:
    """Title-case words, none an organisation noun or a platform's name."""
    words = [t for t in _name_words(ent) if t.lower_ not in _DETERMINERS]
    return (
        bool(words)
        and all(t.is_title for t in words)
        and _name_key(ent) not in ORGANIZATION_ONE_WORD_NAMES
        and not any(t.lower_ in ORGANIZATION_HEADS for t in words)
    )


def _introduced_by_person_role(ent: Span) -> bool:
    """ "CEO Ann Vogel", "executive Ann Vogel", "Vogel, the former executive": a person's
    position right before the name or set beside it."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in PERSON_ROLE_WORDS:
        return True
    return any(
        c.dep_ == "appos" and c.lower_ in PERSON_ROLE_WORDS and c.i > ent.root.i
        for c in ent.root.children
    )


def _organization_by_evidence(ent: Span, full_surnames: frozenset[str]) -> bool:
    """Whether a PERSON entity names an organisation by the article's evidence."""
    words = _name_words(ent)
    if ent.label_ != "PERSON" or not words:
        return False
    if len(words) >= 2:
        # "Team Vogel", "the Vogel Foundation": a body named after its leader or founder;
        # "Der Spiegel", "Le Monde": a title opening on a German or French article.
        return (
            words[0].lower_ in ORGANIZATION_HEADS | _FOREIGN_ARTICLES
            or words[-1].lower_ in _BODY_NAME_ENDS
        )
    key = words[0].lower_
    if key in full_surnames or _after_title(ent):
        return False
    return key in ORGANIZATION_ONE_WORD_NAMES or _named_organization(ent)


_FOREIGN_ARTICLES = frozenset({"der", "die", "das", "le", "les"})
_BODY_NAME_ENDS = ORGANIZATION_HEADS | {
    "foundation",
    "institution",
    "trust",
    "service",
    "news",
    "press",
    "media",
}
# "Peabody Energy", "Arden Holdings": the last words of a business's name.
_BODY_NAME_ENDS |= ORGANIZATION_NAME_WORDS["company"] | {
    "energy",
    "industries",
    "partners",
    "capital",
    "airlines",
    "motors",
    "technologies",
    "pharmaceuticals",
    "communications",
    "insurance",
    "securities",
    "resources",
    "footwear",
    "apparel",
}


def _after_title(ent: Span) -> bool:
    """ "Mr. Fox", "Sen. Fox": an honorific or title right before the name."""
    if ent.start == 0:
        return False
    word = ent.doc[ent.start - 1].lower_
    return word in HONORIFICS or word.rstrip(".") in TITLES


def drop_fronted_cues(doc: Doc, speaker_starts: Sequence[int]) -> None:
    """Take the verb out of names that start with it: in ``Said Ellis: "..."`` NER reads
    "Said Ellis" as a PERSON. ``speaker_starts`` are the first tokens of the speakers of
    statements whose cue verb was put first, right before them
    (``attribution.fronted_speaker``)."""
    starts = {start - 1 for start in speaker_starts}
    if not any(ent.start in starts and len(ent) > 1 for ent in doc.ents):
        return
    doc.ents = [
        Span(doc, ent.start + 1, ent.end, label=ent.label_)
        if ent.start in starts and len(ent) > 1
        else ent
        for ent in doc.ents
    ]
    forget_ents(doc)


# Words NER glues to the front of a name that are no part of it: a nickname an article
# quotes ("Crooked Hillary Clinton", "Lyin' Ted Cruz") or a sentence-opening verb ("Injecting
# Clinton into ...", "Telling Jeb Bush ...", "Playing Trump ...").
_EPITHETS = frozenset(
    {"crooked", "lyin", "lyin'", "lying", "little", "crazy", "derelict", "sleepy", "low-energy"}
)
_VERB_ENDINGS = ("ing", "ed")
# Given names with a verb's ending that the name lists lack ("Sterling K. Brown").
_NAMES_LIKE_VERBS = frozenset({"sterling", "channing", "manning", "king", "ming", "reed"})


def drop_glued_words(doc: Doc) -> None:
    """Take a nickname or a verb out of the front of a PERSON entity, so that "Injecting
    Clinton" is "Clinton", "Crooked Hillary Clinton" is "Hillary Clinton" and a title-case
    headline's "Rip Donald Trump" is "Donald Trump"."""
    names = {ent.text for ent in doc.ents if ent.label_ in _NAME_LABELS}
    glued = [_glued_first_word(ent) or _headline_verb_glued(ent, names) for ent in doc.ents]
    verbs = [_verb_between_names(ent) for ent in doc.ents]
    if not any(glued) and not any(v is not None for v in verbs):
        return
    ents: list[Span] = []
    for ent, drop, verb in zip(doc.ents, glued, verbs, strict=True):
        if verb is not None:
            # "Hillary Clinton Slams Donald Trump": two people and the headline's verb.
            ents += [
                Span(doc, ent.start, verb, ent.label_),
                Span(doc, verb + 1, ent.end, ent.label_),
            ]
        else:
            ents.append(Span(doc, ent.start + 1, ent.end, label=ent.label_) if drop else ent)
    doc.ents = ents
    forget_ents(doc)


def _verb_between_names(ent: Span) -> int | None:
    """The index of a title-case headline's verb inside a PERSON entity that runs two names
    together ("Hillary Clinton Slams Donald Trump"), when a given name opens both halves."""
    if ent.label_ not in _NAME_LABELS or len(ent) < 4 or not _in_title_case(ent.sent):
        return None
    given = FEMALE_NAMES | MALE_NAMES
    if ent[0].lower_ not in given:
        return None
    for token in ent[1:-1]:
        word = token.lower_
        if (
            word.endswith("s")
            and (word[:-1] in _HEADLINE_VERBS or word[:-2] in _HEADLINE_VERBS)
            and word not in given
            and token.nbor(1).lower_ in given
        ):
            return token.i
    return None


# Verbs a headline sets between two people ("Clinton Slams Trump", "Obama Thanks Biden"), in
# the form before the "-s" or "-es" of a headline's present tense.
_HEADLINE_VERBS = frozenset(
    {"slam", "rip", "blast", "hit", "knock", "bash", "mock", "attack", "rebuke", "defend"}
    | {"endorse", "back", "thank", "taunt", "troll", "scold", "applaud", "hail", "challenge"}
    | {"call", "accuse", "praise", "urge", "warn", "tell", "say", "join", "meet", "beat"}
    | {"trash", "torch", "roast", "grill", "dismiss", "criticize", "question", "fire", "sue"}
)


def _glued_first_word(ent: Span) -> bool:
    if ent.label_ not in _NAME_LABELS or len(ent) < 2:
        return False
    first = ent[0]
    word = first.lower_.replace("’", "'")
    if word in _EPITHETS:
        return True
    opens = first.is_sent_start or (
        first.i > 0 and first.nbor(-1).is_quote and first.nbor(-1).is_sent_start
    )
    if not opens or word in FEMALE_NAMES | MALE_NAMES | _NAMES_LIKE_VERBS:
        return False
    # A sentence-opening gerund or participle ("Injecting Clinton into the race ..."), or
    # an adverb ("Certainly Donald Trump isn't ..."). A verb of saying put first is left
    # to ``drop_fronted_cues``: "Said" is a given name too.
    return len(word) >= 6 and word.endswith((*_VERB_ENDINGS, "ly"))


# Share of a sentence's longer words that are capitalised above which it is a headline.
_TITLE_CASE_SHARE = 0.7


def _headline_verb_glued(ent: Span, names: set[str]) -> bool:
    """A title-case headline capitalises its verb, and the tagger reads "Lawmakers Rip Donald
    Trump As A ..." as a person "Rip Donald Trump": the first word goes when the rest (two
    words or more) is a name of its own elsewhere in the article and the first is no given
    name."""
    if ent.label_ not in _NAME_LABELS or len(ent) < 3 or ent[0].is_sent_start:
        return False
    if ent[0].lower_ in FEMALE_NAMES | MALE_NAMES or ent[1:].text not in names:
        return False
    return _in_title_case(ent.sent)


def _in_title_case(sentence: Span) -> bool:
    """Whether most of the sentence's longer words are capitalised, as in a headline."""
    words = [t for t in sentence if t.is_alpha and len(t) >= 4]
    capitalised = sum(t.text[0].isupper() for t in words)
    return len(words) >= 3 and capitalised >= _TITLE_CASE_SHARE * len(words)


_PLACE_LABELS = frozenset({"GPE", "LOC"})
# What a country or a region has and a person does not: "Kembara's interior ministry".
_STATE_WORDS = frozenset(
    {
        "government",
        "ministry",
        "parliament",
        "capital",
        "border",
        "borders",
        "army",
        "military",
        "police",
        "interior",
        "embassy",
        "citizens",
        "territory",
    }
)
_PLACE_PREPOSITIONS = frozenset({"in", "across", "throughout", "inside"})
_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i")


def place_names(doc: Doc) -> frozenset[str]:
    """Names the article uses for a country or region, never a person: entities NER tags
    GPE or LOC, and a one-word name whose possessive precedes a state word ("Kembara's
    government"), that follows "in" ("in Kembara"), or whose demonym NER tags ("Kembaran")."""
    places = {ent.text for ent in doc.ents if ent.label_ in _PLACE_LABELS}
    demonyms = {ent.text.lower() for ent in doc.ents if ent.label_ in {"GPE", "NORP"}}
    people = _surnames_written_in_full(doc)
    for token in doc:
        if not token.is_title or token.pos_ != "PROPN" or token.lower_ in people:
            continue
        after = doc[token.i + 1 : token.i + 3]
        before = doc[token.i - 1] if token.i > 0 else None
        if (
            (len(after) == 2 and after[0].text in {"'s", "’s"} and after[1].lower_ in _STATE_WORDS)
            or (
                before is not None
                and before.lower_ in _PLACE_PREPOSITIONS
                and token.ent_type_ != "PERSON"
                and not (after and after[0].text in _POSSESSIVE_MARKS)
            )
            or any(token.lower_ + ending in demonyms for ending in _DEMONYM_ENDINGS)
        ):
            places.add(token.text)
    return frozenset(places)


def _surnames_written_in_full(doc: Doc) -> frozenset[str]:
    """The surnames (lower case) of the people ``doc`` names with two words or more: "Vogel"
    after "Anna Vogel" is that person wherever it stands ("faith in Vogel")."""
    full_names = [
        words
        for ent in doc.ents
        if ent.label_ in _NAME_LABELS and len(words := _name_words(ent)) >= 2
    ]
    return frozenset({words[-1].lower_ for words in full_names} | _middle_surnames_in_use(doc))


def _middle_surnames_in_use(doc: Doc) -> frozenset[str]:
    """Middle words of three-word names (lower case) that the text uses as a surname after
    an honorific: "Melba Acosta Febo" is "Ms. Acosta". Only names the body writes count: a
    headline glues verbs on ("Donald Trump Jacked", and "Mr. Trump" below it)."""
    body_start = doc_text(doc).find("\n\n")
    middles = {
        middle.lower()
        for ent in doc.ents
        if ent.label_ in _NAME_LABELS
        and ent.start_char > body_start
        and (middle := _middle_surname(" ".join(t.text for t in _name_words(ent))))
    }
    if not middles:
        return frozenset()  # most articles: no need to read every word
    addressed = {
        doc[token.i + 1].lower_
        for token in doc[:-1]
        if token.lower_ in HONORIFICS and doc[token.i + 1].is_title
    }
    return frozenset(middles & addressed)


def _add_names_ending_in_known_surnames(doc: Doc) -> None:
    """Mark as PERSON "Anna Vogel" where NER missed it or tagged only part of it, when the
    article names someone else (or her) in full with that surname: a given name NER does not
    know ("Ivo Vogel" read as a product and a bare "Vogel") is still a name of that family."""
    surnames = _surnames_written_in_full(doc)
    found: list[Span] = []
    for token in doc:
        if token.lower_ not in surnames or token.ent_type_ == "PERSON" or token.i == 0:
            continue
        given = doc[token.i - 1]
        # The given name stands alone, or NER took exactly the two words for something else.
        whole = given.ent_iob_ == "B" and _alone_in_entity(token, inside=True)
        if _could_be_given_name(given) and (_alone_in_entity(given) or whole):
            found.append(Span(doc, given.i, token.i + 1, label="PERSON"))
        elif _bare_surname_by_say(token):
            found.append(Span(doc, token.i, token.i + 1, label="PERSON"))
    found = spacy_filter_spans(found)
    if found:
        covered = {i for span in found for i in range(span.start, span.end)}
        keep = [e for e in doc.ents if not covered & set(range(e.start, e.end))]
        doc.ents = sorted([*keep, *found], key=lambda e: e.start)


_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})


def _bare_surname_by_say(token: Token) -> bool:
    """Whether an untagged surname of someone named in full stands right beside "said" or
    "says" ("..., said Skelly", which the parser may even read as an adverb)."""
    if token.ent_type_ or not token.is_title:
        return False
    beside = [token.doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(token.doc)]
    return any(t.lemma_.lower() == "say" and t.tag_ in {"VBD", "VBZ"} for t in beside)


def _name_words(ent: Span) -> list[Token]:
    """The words of a name without the possessive mark NER keeps in it: the surname of
    "Donald Trump's" is "Trump", never "'s" (which made "Germany's" and "State's" people)."""
    words = list(ent)
    while words and words[-1].text in _POSSESSIVE_MARKS:
        words.pop()
    return words


def _could_be_given_name(token: Token) -> bool:
    """A capitalised proper noun that is no title ("Senator") or honorific ("Mr.")."""
    word = token.lower_.rstrip(".")
    return (
        token.ent_type_ != "PERSON"
        and token.pos_ == "PROPN"
        and token.is_title
        and token.is_alpha
        and word not in TITLES
        and word not in HONORIFICS
    )


def _could_open_a_name(token: Token, common_words: set[str]) -> bool:
    """A word that can begin a person's name, not a word NER glued to the surname: a known
    given name, or else no stop word, title, acronym or place and never written in lower
    case in the article ("Though", "Top", "Said", "Young", "AG")."""
    word = token.lower_.rstrip(".")
    if word in FEMALE_NAMES or word in MALE_NAMES:
        return True
    return not (
        token.is_stop
        or (token.text.isupper() and len(token.text) > 1)
        or word in TITLES
        or word in common_words
    )


def _looks_like_person(ent: Span) -> bool:
    """ "Amara Okonkwo" tagged ORG: a known given name followed by title-case words."""
    given = ent[0].lower_
    # "Christian Democratic Union" opens with a given name but is a body.
    if any(t.lower_ in ORGANIZATION_HEADS for t in ent):
        return False
    return given in FEMALE_NAMES | MALE_NAMES and all(t.is_title and t.pos_ == "PROPN" for t in ent)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges inside quotation marks: those ``find_quotations`` knows, plus the doubled
    apostrophes (''...'') that some archives (the New York Times' among them) use for double
    quotes, paired within a paragraph."""
    ranges = [piece for q in find_quotations(text) for piece in q.outer]
    for start, end in paragraphs(text):
        ranges.extend(m.span() for m in _DOUBLED_APOSTROPHES.finditer(text, start, end))
    return sorted(ranges)


_DOUBLED_APOSTROPHES = re.compile(r"''.+?(?:''|$)", re.MULTILINE)


# Places named after a person: "the James S. Brady briefing room", "the Reagan Library".
_NAMED_AFTER_HEADS = frozenset(
    {"room", "building", "center", "centre", "hall", "library", "airport", "stadium"}
    | {"arena", "bridge", "museum", "hospital", "highway", "boulevard", "avenue", "street"}
)


def _names_a_building(ent: Span) -> bool:
    """Whether a person's name is only the name of a place built after them, which is no
    mention of the person (no antecedent for the next "he")."""
    head = ent.root.head
    return (
        ent.label_ == "PERSON"
        and ent.root.dep_ == "compound"
        and head.i >= ent.end
        and head.lemma_.lower() in _NAMED_AFTER_HEADS
    )


def collect_entities(doc: Doc, quoted: frozenset[int] = frozenset()) -> ArticleEntities:
    """Register the people and organisations of ``doc`` (mentions inside quotes are skipped)."""
    registry = ArticleEntities()
    registry.quoted = quoted_ranges(doc_text(doc))
    registry.paragraphs = paragraphs(doc_text(doc))
    quoted = quoted | frozenset(
        e.start_char for e in doc.ents if registry.in_quote(e.start_char) is not None
    )
    people = [
        e
        for e in doc.ents
        if e.label_ in _NAME_LABELS and _clean_name(e) and not _names_a_building(e)
    ]
    middles_in_use = _middle_surnames_in_use(doc)
    # Words the article writes in lower case, and places and peoples written as names
    # (an all-caps "CARLY" tagged GPE is a slogan, not a place).
    registry.lower_words = frozenset(t.text for t in doc if t.is_lower)
    common_words = set(registry.lower_words) | {
        e.text.lower()
        for e in doc.ents
        if e.label_ in _PLACE_LABELS | {"NORP"} and e.text.istitle()
    }
    # First pass: the fullest form of every name, by surname ("Angela Merkel" over "Merkel").
    for ent in people:
        full = _clean_name(ent)
        registry.introduced.setdefault(full, ent.start_char)
        if len(full.split()) > 1 and not _could_open_a_name(ent[0], common_words):
            registry.glued.add(full)
        middle = (_middle_surname(full) or "").lower()
        keys = {_surname(full)} | ({middle} if middle in middles_in_use else set())
        for key in keys:
            names = registry.surnames.setdefault(key, [])
            if full not in names and not any(_is_shorter_form(full, n) for n in names):
                names[:] = [n for n in names if not _is_shorter_form(n, full)] + [full]
    for ent in people:
        canonical = _junior_in(doc[max(0, ent.start - 2) : ent.end], ent, registry)
        canonical = canonical or _canonical_person(
            registry, _clean_name(ent), ent.start_char, _gender_of(doc, ent)
        )
        entity = registry.entities.setdefault(canonical, _Entity(canonical, "person"))
        entity.gender = entity.gender or _gender_of(doc, ent)
        _collect_roles(doc, ent, entity)
        if ent.start_char not in quoted:
            registry.mentions.append((ent.start_char, canonical, _is_salient(ent)))
            if len(_clean_name(ent).split()) > 1 and _clean_name(ent) not in registry.glued:
                registry.written_in_full.append((ent.start_char, canonical))
    _add_bare_surnames(doc, registry, quoted)
    for name, offset, salience in _organization_phrases(doc):
        registry.entities.setdefault(name, _Entity(name, "organization"))
        registry.mentions.append((offset, name, salience))
    for ent in doc.ents:
        if ent.label_ in _ORG_LABELS:
            name = _organization_name(ent)
            kind: SpeakerType = "group" if ent.label_ == "NORP" else "organization"
            entity = registry.entities.setdefault(name, _Entity(name, kind))
            _add_kind_of_body(ent, entity)
            if ent.start_char not in quoted:
                registry.mentions.append((ent.start_char, name, _is_salient(ent)))
    _add_coordinated_subjects(doc, registry, quoted)
    _add_crowds(doc, registry, quoted)
    registry.mentions.sort()
    _add_described_subjects(doc, registry, quoted)
    return registry


def _add_kind_of_body(ent: Span, entity: _Entity) -> None:
    """Record the organisation noun set beside an organisation's name ("Veltra, a
    blood-testing company"; "the freight data firm Cargolens") as a role, so that "the
    company" can be Veltra although its name holds no such word. A place is no body of that
    kind: beside one it is a misreading ("flood-ravaged Louisiana, a Baton Rouge newspaper
    called on ..." made Louisiana "the newspaper" of every later mention)."""
    if ent.label_ in _PLACE_LABELS:
        return
    for child in ent.root.children:
        if child.dep_ in {"appos", "compound"} and child.i not in range(ent.start, ent.end):
            lemma = child.lemma_.lower()
            if lemma in ORGANIZATION_HEADS:
                entity.roles.append((lemma, lemma, ent.start_char))


def _add_described_subjects(doc: Doc, registry: ArticleEntities, quoted: frozenset[int]) -> None:
    """Register a sentence's subject given as a description of someone named ("In defeat,
    the president appeared cowed", "The senator's plan ...") as a mention of that person, so
    that the next "he" or "she" goes to the one the sentence was about, not to a name
    further back. In text order: each description resolves against what came before it."""
    for token in doc:
        phrase = _described_subject(token)
        if phrase is None or phrase.start_char in quoted:
            continue
        if registry.in_quote(phrase.start_char) is not None:
            continue
        name = _described_person(phrase, token, registry)
        salience = _is_salient(phrase)
        if name is not None and salience:
            insort(registry.mentions, (phrase.start_char, name, salience))


def _described_person(phrase: Span, head: Token, registry: ArticleEntities) -> str | None:
    """The person a subject description surely names: one whose role holds all its words
    ("the president" for President Obama, mentioned lately), or for a bare epithet ("the
    senator") the latest main-clause subject it fits. "The Texas senator" is not the
    senator from Vermont, however recently he was named."""
    lemma = head.lemma_.lower()
    person, complete = _person_with_role(registry, phrase, lemma)
    if person is not None and complete and _mentioned_lately(registry, person, phrase.start_char):
        return person
    if any(t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in phrase if t != head):
        return None
    epithet = _resolve_epithet(phrase, head, registry)
    return epithet.name if epithet is not None and epithet.speaker_type == "person" else None


def _described_subject(token: Token) -> Span | None:
    """ "the president" (up to its head) when ``token`` heads a definite singular epithet or
    role noun that is a clause's subject or the owner of one."""
    if token.tag_ not in {"NN", "NNP"} or token.lower_ not in _EPITHET_HEADS:
        return None
    is_subject = token.dep_ in _SALIENT_DEPS or (
        token.dep_ == "poss" and token.head.dep_ in _SALIENT_DEPS
    )
    if not is_subject or token.left_edge.lower_ != "the":
        return None
    phrase = token.doc[token.left_edge.i : token.i + 1]
    if any(t.ent_type_ == "PERSON" or t.lower_ in PERSON_PRONOUNS for t in phrase):
        return None
    return phrase


def _add_coordinated_subjects(doc: Doc, registry: ArticleEntities, quoted: frozenset[int]) -> None:
    """Register "Tom Hale and Ruth Ames" as a group where it is a subject, so that a later
    "they" can refer to the two of them."""
    for token in doc:
        if token.dep_ not in _SALIENT_DEPS or not any(c.dep_ == "conj" for c in token.children):
            continue
        offset = token.left_edge.idx
        if offset in quoted or registry.in_quote(offset) is not None:
            continue
        group = _coordinated_names(doc[token.left_edge.i : token.right_edge.i + 1], registry)
        if group is not None and group.name is not None:
            registry.entities.setdefault(group.name, _Entity(group.name, "group"))
            registry.mentions.append((offset, group.name, _MAIN_SUBJECT))


def _add_crowds(doc: Doc, registry: ArticleEntities, quoted: frozenset[int]) -> None:
    """Register the plural common nouns that are subjects ("show insiders", "Proponents,
    including the mayors' conference,") as unnamed groups a later "they" can refer to."""
    for token in doc:
        if token.tag_ != "NNS" or token.ent_type_:
            continue
        # An active subject acts or speaks (a passive one, "changes are needed", is acted
        # on); "according to show insiders" gives a source as much as a subject does.
        parsed_source = (
            token.dep_ == "pobj"
            and token.head.lower_ == "to"
            and token.head.head.lower_ == "according"
        )
        opening = None if parsed_source else _after_according_to(token)
        source = parsed_source or opening is not None
        if token.dep_ != "nsubj" and not source:
            continue
        phrase = doc[opening if opening is not None else token.left_edge.i : token.i + 1]
        offset = phrase.start_char
        if offset in quoted or registry.in_quote(offset) is not None:
            continue
        salience = 1 if source else _is_salient(phrase)
        if salience:
            registry.crowds.append((offset, _strip_determiner(phrase.text), salience))
    registry.crowds.sort()


_ACCORDING_TO_REACH = 4


def _after_according_to(token: Token) -> int | None:
    """Where the phrase of a plural noun opens when it ends an "according to" phrase:
    "according to show insiders." The words are read, not the parse, which can make "show"
    a verb with "insiders" its object."""
    doc = token.doc
    start = token.i
    while start > 0 and token.i - start < _ACCORDING_TO_REACH:
        before = doc[start - 1]
        if before.lower_ == "to" and start >= 2 and doc[start - 2].lower_ == "according":
            return start
        if before.is_punct or before.is_sent_start:
            return None
        start -= 1
    return None


def _add_bare_surnames(doc: Doc, registry: ArticleEntities, quoted: frozenset[int]) -> None:
    """Register as mentions the surnames of the article's people that NER missed or gave
    another label ("Vogel" tagged LOC): a missed "Vogel said" leaves a later "she" to
    whoever was named before."""
    for token in doc:
        if (
            token.lower_ not in registry.surnames
            or not (token.pos_ == "PROPN" or _surname_read_as_noun(token))
            or not token.is_title
            or token.ent_type_ == "PERSON"
            or token.dep_ == "compound"
            or token.idx in quoted
            or registry.in_quote(token.idx) is not None
            or not _alone_in_entity(token)
        ):
            continue
        span = doc[token.i : token.i + 1]
        canonical = _canonical_person(registry, token.text, token.idx, _gender_of(doc, span))
        if canonical in registry.entities:
            registry.mentions.append((token.idx, canonical, _is_salient(span)))


def _surname_read_as_noun(token: Token) -> bool:
    """ "Woods continued ...": a surname that is also a plural noun, tagged as one, when it
    is the subject of a verb (the caller checks the article names someone so)."""
    return token.pos_ == "NOUN" and token.dep_ in _SALIENT_DEPS and token.head.pos_ == "VERB"


def _alone_in_entity(token: Token, *, inside: bool = False) -> bool:
    """The token is no part of a longer entity ("the Vogel Foundation"); with ``inside``,
    it may end one."""
    if not token.ent_type_:
        return True
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    starts = token.ent_iob_ == "B" or (inside and token.ent_iob_ == "I")
    return starts and (following is None or following.ent_iob_ != "I")


_SALIENT_DEPS = frozenset({"nsubj", "nsubjpass"})
_MAIN_SUBJECT = 2


def _is_salient(ent: Span) -> int:
    """2 for the subject of a main clause (or its apposition: "..., said Jane Doe, the
    envoy"), 1 for a subject of an embedded clause ("Doe, who said Kane lied, ..."), else 0."""
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
    if root.dep_ == "poss" and root.head.dep_ in _SALIENT_DEPS and _opens_sentence(ent):
        # "Vogel's campaign said ... She added": the owner of the subject that opens a sentence
        # is what the sentence is about as much as the subject itself.
        return _MAIN_SUBJECT
    if root.dep_ in _SALIENT_DEPS | {"ROOT"} and _opens_sentence(ent):
        # A subject that opens its sentence is the main clause's, whatever the parser made of
        # the rest: quotation marks get sentences attached under a verb of the next one, and a
        # parenthesis ("Rep. Jo Dale (D-Ohio) said") can make the name the root.
        return _MAIN_SUBJECT
    if root.dep_ not in _SALIENT_DEPS:
        return 0
    clause = root.head
    main = clause.dep_ == "ROOT" or (clause.dep_ == "conj" and clause.head.dep_ == "ROOT")
    return _MAIN_SUBJECT if main or _reported_by_common_noun(clause) else 1


def _reported_by_common_noun(clause: Token) -> bool:
    """ "Aides say Vogel advises her father": the clause is what the main verb reports, and
    that verb's subject is no person ("aides", "polls"), so the clause's subject is what the
    sentence is about."""
    verb = clause.head
    return (
        clause.dep_ == "ccomp"
        and verb.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" and c.pos_ == "NOUN" for c in verb.children)
    )


def _opens_sentence(ent: Span) -> bool:
    """Only title words ("Rep.", "Finance Minister") come before ``ent`` in its sentence."""
    before = ent.doc[sentence_of(ent[0]).start : ent.start]
    return all(t.is_space or (t.pos_ == "PROPN" and t.dep_ == "compound") for t in before)


def _organization_phrases(doc: Doc) -> list[tuple[str, int, int]]:
    """Title-case phrases ending in an organisation noun ("Lurat Stabilisation Mission")
    that NER left unlabelled, with their offset and salience."""
    found: list[tuple[str, int, int]] = []
    run: list[Token] = []
    for token in [*doc, None]:
        if token is not None and token.is_title and not token.ent_type_ and not token.is_sent_start:
            run.append(token)
            continue
        if len(run) >= 2 and run[-1].lower_ in ORGANIZATION_HEADS:
            phrase = doc[run[0].i : run[-1].i + 1]
            found.append((phrase.text, run[0].idx, _is_salient(phrase)))
        run = []
    for chunk in doc.noun_chunks:
        # "Estmark's health ministry": a common organisation noun owned by a named place.
        head = chunk.root
        if (
            head.lemma_.lower() in ORGANIZATION_HEADS
            and not head.is_title
            and any(
                # A person's name too ("the Vogel campaign"), even where a title-case
                # headline makes it a common noun.
                t.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}
                or (t.pos_ == "PROPN" and t.ent_type_ not in _WHEN)
                for t in chunk
                if t.i < head.i
            )
        ):
            named = _document_name(chunk, head) if head.lemma_.lower() in _NAMED_DOCUMENTS else None
            name = named or _strip_determiner(chunk.text)
            found.append((name, chunk.start_char, _is_salient(chunk)))
    return found


def _organization_name(ent: Span) -> str:
    """An organisation's name, with the "for the ..." that NER leaves off a court's or a
    body's name ("U.S. Court of Appeals" + "for the Sixth Circuit")."""
    doc = ent.doc
    end = ent.end
    if ent.label_ != "ORG" or end + 2 >= len(doc) or doc[end : end + 2].text.lower() != "for the":
        return _strip_determiner(ent.text)
    stop = end + 2
    while stop < len(doc) and (
        (doc[stop].is_title and doc[stop].pos_ == "PROPN")
        or (doc[stop].lower_ == "of" and stop + 1 < len(doc) and doc[stop + 1].is_title)
    ):
        stop += 1
    if stop > end + 2 and doc[stop - 1].is_title:
        return _strip_determiner(doc[ent.start : stop].text)
    return _strip_determiner(ent.text)


def _clean_name(ent: Span) -> str:
    tokens = [t for t in ent if not t.is_punct or t.text in {"-", "."}]
    while tokens and (tokens[0].lower_ in HONORIFICS or tokens[0].lower_ in _DETERMINERS):
        tokens = tokens[1:]
    while tokens and tokens[-1].text in {"'s", "’s", "'", "’"}:
        tokens = tokens[:-1]
    if len(tokens) == 1 and tokens[0].lower_ in NOT_PERSON_NAMES:
        return ""  # a tagging error, not a name
    if len(tokens) == 1 and _asked_alone(tokens[0]):
        return ""  # "Harsh? He doesn't think so.": a one-word question, not a name
    if len(tokens) == 1 and (_plural_opening(tokens[0]) or _headline_word_alone(tokens[0])):
        return ""  # "Aides said ...", a headline's "... Manager Laughs": words, not names
    if ent.label_ == "PERSON" and len(tokens) > 1 and all(_capitals(t) for t in tokens):
        return " ".join(t.text.title() for t in tokens)  # a transcript's "JANE DOE:"
    return joined_words(tokens).strip()


def _plural_opening(token: Token) -> bool:
    """ "Aides said ...", "Scholars have long debated ...": a plural common noun that is
    capitalised only because it opens its sentence (no other capitalised use of the word
    in the article, which a surname tagged as a plural would have)."""
    if token.tag_ != "NNS" or not token.is_sent_start:
        return False
    return not any(t.text == token.text and not t.is_sent_start for t in token.doc)


def _headline_word_alone(token: Token) -> bool:
    """ "Campaign Manager Laughs, Evades Question": a word of a title-case headline (the
    article's first line) tagged as a person that the article never writes again (a person
    in the headline is named again in the story) and that is no given name."""
    if (
        token.lower_ in FEMALE_NAMES | MALE_NAMES
        or doc_text(token.doc).find("\n", 0, token.idx) != -1
    ):
        return False
    if not _in_title_case(token.sent):
        return False
    return sum(t.lower_ == token.lower_ for t in token.doc) == 1


def _asked_alone(token: Token) -> bool:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return bool(token.is_sent_start) and following is not None and following.text in {"?", "!"}


def joined_words(tokens: Sequence[Token]) -> str:
    """Tokens as the text wrote them: a space only where the text has one or where tokens
    were left out between them ("mission's special envoy", not "mission 's special envoy")."""
    parts = [tokens[0].text] if tokens else []
    for previous, token in pairwise(tokens):
        if token.i == previous.i + 2 and _hyphen_between(previous, token):
            parts.append("-")  # "co-host" when the hyphen was left out of the tokens
        elif previous.whitespace_ or token.i != previous.i + 1:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def _hyphen_between(previous: Token, token: Token) -> bool:
    between = previous.doc[previous.i + 1]
    return between.text == "-" and not previous.whitespace_ and not between.whitespace_


def _surname(name: str) -> str:
    parts = name.split()
    return parts[-1].lower() if parts else ""


def _is_shorter_form(short: str, full: str) -> bool:
    """True when ``short`` names the same person as ``full`` in fewer words ("Vogel" and
    "Anna Vogel"; "Ivo Jr." and "Ivo Vogel Jr.", a son told apart from his father)."""
    short_parts, full_parts = short.split(), full.split()
    if len(short_parts) >= len(full_parts):
        return False
    if len(short_parts) == 2 and short_parts[1].lower() in _NAME_SUFFIXES:
        return short_parts == [full_parts[0], full_parts[-1]]
    if short_parts == [_middle_surname(full)]:
        return True
    return full_parts[-len(short_parts) :] == short_parts


def _middle_surname(full: str) -> str | None:
    """The middle word of a three-word name, which may be the surname a text uses alone: the
    father's surname of "Melba Acosta Febo" ("Ms. Acosta"), the maiden name of "Hillary
    Rodham Clinton". None for an initial ("Rexford G. Tugwell") or a suffix."""
    parts = full.split()
    if len(parts) != 3 or parts[-1].lower() in _NAME_SUFFIXES:
        return None
    middle = parts[1]
    return middle if len(middle) > 2 and middle.isalpha() and middle.istitle() else None


_JUNIOR = frozenset({"jr.", "jr"})
_NAME_SUFFIXES = _JUNIOR | {"sr.", "sr", "ii", "iii", "iv"}


def _canonical_person(
    registry: ArticleEntities, name: str, offset: int, gender: str | None = None
) -> str:
    """The full name a (possibly partial) person name stands for at ``offset``.

    Among people who share the surname, an honorific or given name in the mention ("Mr.
    Clinton", ``gender``) keeps only those of that gender; then the one most recently
    mentioned as a subject wins (a surname alone names the person the text is about, not one
    named in passing, "President Bill Clinton's tenure"), then the one mentioned last.
    """
    candidates = [
        n
        for n in registry.surnames.get(_surname(name), [])
        if n == name or _is_shorter_form(name, n)
    ]
    if candidates and gender is not None:
        same = [n for n in candidates if _name_gender(registry, n) == gender]
        unknown = [n for n in candidates if _name_gender(registry, n) is None]
        # "Mr. Vogel" where the article names only Anna Vogel is someone else (her husband,
        # her son): the surname stands alone rather than naming the wrong person.
        candidates = same or unknown
    if candidates in ([], [name]) and " " not in name and name.lower() not in _CALENDAR_WORDS:
        # No one else bears it as a surname: "Hillary" alone is the one Hillary named in full.
        # So is a word no list of given names knows, if the body names that one in full:
        # "Amadou" after "Amadou Magassa", "Mr. Ban" after "Ban Ki-moon" (the family name
        # first), not "Obama" after a headline's "Obama Says".
        known = name.lower() in FEMALE_NAMES | MALE_NAMES
        given = _given_name_of(registry, name, in_body=not known)
        if given is not None:
            return given
    candidates = _introduced_by(registry, candidates, name, offset)
    if len(candidates) <= 1:
        return candidates[0] if candidates else name
    if len(name.split()) == 1:
        return _bare_surname_referent(registry, candidates, offset)
    earlier = registry.before(offset)
    for position, canonical, salient in earlier:
        if salient and offset - position <= _SALIENT_WINDOW and canonical in candidates:
            return canonical
    for _, canonical, _ in earlier:
        if canonical in candidates:
            return canonical
    return candidates[0]


def _given_name_of(registry: ArticleEntities, given: str, *, in_body: bool = False) -> str | None:
    """ "Hillary: Benghazi Mother Wrong to Call Me a Liar": a given name alone is the one
    person the article names in full with it, if only one (``in_body``: one the text below
    the headline names in full)."""
    body_start = registry.paragraphs[0][1] if in_body and registry.paragraphs else 0
    people = {
        full
        for names in registry.surnames.values()
        for full in names
        if full.split()[0] == given
        and len(full.split()) > 1
        and full not in registry.glued
        and registry.introduced.get(full, 0) >= body_start
        # "[Video: President Obama Speech at ...]": a caption's noun is no given name's end
        and full.split()[-1].lower() not in registry.lower_words
    }
    return people.pop() if len(people) == 1 else None


_CALENDAR_WORDS = WEEKDAYS | MONTHS


def _bare_surname_referent(registry: ArticleEntities, candidates: list[str], offset: int) -> str:
    """The person a surname alone means where the article names several of that family.

    A surname written out in full earlier in the same paragraph ("Bill Clinton spoke with
    voters ... Clinton said") is that person; otherwise the surname means the person the
    article named first with it, the one it is about ("Lena Rask" in a profile that later
    names her husband Piet), not whoever of the family was named last. Chaining the surname
    to the last mention instead lets one passing "Piet Rask" take every later "Rask". But
    a name written in full in the paragraph just before wins when the first-named is not
    mentioned within the pronoun window ("Homeland Security Secretary Jeh Johnson says ...
    / Johnson tells MSNBC" in a live blog that named Gary Johnson hours before).
    """
    paragraph_start = registry.paragraph_of(offset)[0]
    in_full = _written_in_full_since(registry, candidates, paragraph_start, offset)
    if in_full is not None:
        return in_full
    names = [n for n in candidates if n not in registry.glued] or candidates
    first = min(names, key=lambda n: registry.introduced.get(n, offset))
    if paragraph_start == 0 or any(
        canonical == first and offset - position <= _SALIENT_WINDOW
        for position, canonical, _ in registry.before(offset)
    ):
        return first
    previous_start = registry.paragraph_of(paragraph_start - 1)[0]
    in_full = _written_in_full_since(registry, names, previous_start, offset)
    return in_full or _surname_used_since(registry, names, previous_start, offset) or first


def _surname_used_since(
    registry: ArticleEntities, candidates: Sequence[str], start: int, offset: int
) -> str | None:
    """The person the surname named last between ``start`` and ``offset``, outside quotes:
    a surname running on from one paragraph to the next keeps its person ("Jeh Johnson says
    ... / Johnson tells MSNBC ... / Johnson said ...")."""
    for position, canonical, _ in registry.before(offset):
        if position < start:
            return None
        if canonical in candidates:
            return canonical
    return None


def _written_in_full_since(
    registry: ArticleEntities, candidates: Sequence[str], start: int, offset: int
) -> str | None:
    """The last of ``candidates`` written out in full between ``start`` and ``offset``."""
    cut = bisect_left(registry.written_in_full, (offset, ""))
    for position, canonical in reversed(registry.written_in_full[:cut]):
        if position < start:
            return None
        if canonical in candidates:
            return canonical
    return None


def _introduced_by(
    registry: ArticleEntities, candidates: list[str], name: str, offset: int
) -> list[str]:
    """The candidates whose full name the article gave before ``offset``.

    News writing names a person in full before using the surname alone, so past the headline
    and lede a surname that only a later full name fits is someone else ("President Vogel"
    before "his wife, Anna Vogel")."""
    if len(name.split()) > 1 or not registry.paragraphs or offset < _lede_end(registry):
        return candidates
    return [n for n in candidates if n == name or registry.introduced.get(n, 0) <= offset]


def _lede_end(registry: ArticleEntities) -> int:
    """Where the headline and first paragraph end."""
    return registry.paragraphs[min(1, len(registry.paragraphs) - 1)][1]


def _name_gender(registry: ArticleEntities, name: str) -> str | None:
    """The gender the article gave a person, or else the one their given name suggests."""
    entity = registry.entities.get(name)
    if entity is not None and entity.gender is not None:
        return entity.gender
    parts = name.lower().split()
    given = parts[0] if len(parts) > 1 else ""
    if given in FEMALE_NAMES:
        return "female"
    if given in MALE_NAMES:
        return "male"
    return None


def _gender_of(doc: Doc, ent: Span) -> str | None:
    previous = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    first = ent[0].lower_
    for word in (previous, first):
        if HONORIFICS.get(word):
            return HONORIFICS[word]
    given = _clean_name(ent).split()[0].lower() if len(_clean_name(ent).split()) > 1 else ""
    if given in FEMALE_NAMES:
        return "female"
    if given in MALE_NAMES:
        return "male"
    return None


def _collect_roles(doc: Doc, ent: Span, entity: _Entity) -> None:
    for role_tokens in (_title_before(doc, ent), _apposition(ent), _named_apposition(ent)):
        if role_tokens:
            text = _tokens_text(doc, role_tokens)
            head = _head_of(role_tokens)
            if head.lemma_.lower() in DOCUMENT_HEADS | _POLLS or head.pos_ == "PRON":
                # "Poll: Clinton and Sanders ...": a headline label; "Trump himself": no role
                continue
            entity.roles.append((_strip_determiner(text), head.lemma_.lower(), ent.start_char))
            # A gendered role noun ("widow") outweighs a given name, which may be either.
            entity.gender = _gender_from_role(head.lower_) or entity.gender


def _tokens_text(doc: Doc, tokens: list[Token]) -> str:
    """The text from the first to the last token, as written, without edge punctuation."""
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    while first < last and doc[first].is_punct:
        first += 1
    while last > first and doc[last].is_punct:
        last -= 1
    return doc[first : last + 1].text


def _title_before(doc: Doc, ent: Span) -> list[Token]:
    """Title words right before a name: "Health Minister" in "Health Minister Lena Rask"."""
    tokens: list[Token] = []
    heads = set(range(ent.start, ent.end))
    i = ent.start - 1
    while (
        i >= 0
        and doc[i].dep_ in {"compound", "amod"}
        and doc[i].head.i in heads
        and doc[i].pos_ in {"NOUN", "PROPN", "ADJ"}
        and doc[i].ent_type_ != "PERSON"
    ):
        tokens.insert(0, doc[i])
        heads.add(i)
        i -= 1
    return tokens if any(t.pos_ == "NOUN" or t.text.istitle() for t in tokens) else []


def _apposition(ent: Span) -> list[Token]:
    for child in ent.root.children:
        if any(c.lower_ == "whose" for c in child.children):
            continue  # "Dorothy Woods, whose husband, ...": his role, misparsed as hers
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            return [t for t in child.subtree if not (t.is_punct and t.text == ",")]
    return []


# Person nouns whose "for X" names the one served: "an attorney for Tomas Berg, Ruth Ames".
_ROLE_HOLDERS = (
    PERSON_ROLE_WORDS
    | frozenset(word for group in ROLE_SYNONYMS for word in group)
    | frozenset({"aide", "adviser", "advisor", "agent", "manager", "friend", "assistant"})
)


def _named_apposition(ent: Span) -> list[Token]:
    """ "The German chancellor, Anna Vogel": the name is an apposition of the role."""
    root = ent.root
    if root.dep_ != "appos":
        return []
    head = root.head
    if head.ent_type_ == "PERSON" and head.dep_ == "pobj" and head.head.dep_ == "prep":
        # "An attorney for Tomas Berg, Ruth Ames": the parser sets the name beside the name
        # before it; the role is the person noun that phrase hangs on.
        holder = head.head.head
        if holder.lemma_.lower() not in _ROLE_HOLDERS:
            return []
        head = holder
    if head.pos_ != "NOUN":
        return []
    return [t for t in head.subtree if t.i < root.left_edge.i and not t.is_punct]


def _head_of(tokens: list[Token]) -> Token:
    positions = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in positions or token.head == token:
            return token
    return tokens[-1]


def _gender_from_role(word: str) -> str | None:
    if word in FEMALE_ROLE_WORDS or word.endswith(FEMALE_ROLE_SUFFIXES):
        return "female"
    if word in MALE_ROLE_WORDS:
        return "male"
    if word.endswith(MALE_ROLE_SUFFIXES) and not word.endswith("human"):
        return "male"
    return None


def _strip_determiner(text: str) -> str:
    parts = text.split()
    while parts and parts[0].lower() in _DETERMINERS:
        parts = parts[1:]
    return " ".join(parts)


# --- resolving one mention --------------------------------------------------------------------


def resolve(doc: Doc, mention: tuple[int, int], registry: ArticleEntities) -> Resolution:
    """Resolve the speaker mention ``doc[start:end]`` using the article's entities."""
    span = _with_whole_names(doc[mention[0] : mention[1]])
    listed = _names_listed_after(span.root, span[-1])
    if listed is not None:
        # "two voters, Tara Moss and Ben Oduya": the names say who the voters are.
        span = doc[listed[0] : listed[1]]
    root = span.root
    if (
        root.lower_ in _PARTY_EPITHETS
        and root.dep_ == "appos"
        and root.head.pos_ == "PROPN"
        and root.head.i < root.i
    ):
        # "Bob Corker, a Tennessee Republican who ...": the party member is the one named.
        return resolve(doc, _phrase_before_apposition(root.head), registry)
    if _unnamed_party_member(span):
        return Resolution(None, "anonymous", _strip_determiner(span.text), "vague")
    if asks_anonymity(span):
        # "the woman, who did not want to be quoted by name", "one former executive who
        # requested anonymity": whoever the text named before, this source is not them.
        head = span.root
        return Resolution(
            None, "anonymous", _strip_determiner(span[: head.i - span.start + 1].text), "vague"
        )
    interviewee = _interviewee(span, registry)
    if interviewee is not None:
        return interviewee
    named = (
        _acronym_of(span, registry)
        or _coordinated_names(span, registry)
        or _named_in(span, registry)
        or _known_body_word(span, registry)
        or _short_organization_name(span, registry)
    )
    if named is not None:
        return named
    head = span.root
    word = head.lower_
    if word in PERSON_PRONOUNS:
        found = _resolve_person_pronoun(span, registry, PERSON_PRONOUNS[word])
        if found.name is None:
            return found
        others = _co_arguments(head, registry)
        if found.name not in others:
            return found
        # "'...,' he told Hannity": a pronoun is never one its own verb names as object.
        return _resolve_pronoun(registry, span.start_char, PERSON_PRONOUNS[word], others)
    if word == "it":
        document = _document_subject_before(head)
        if document is not None:
            owner = resolve(doc, document, registry)
            if owner.name is not None:
                return replace(owner, how="pronoun")
    if word in PLURAL_PRONOUNS or word == "it":
        return _resolve_collective(registry, span.start_char, word)
    if word in FIRST_PERSON:
        labelled = _label_before(span, registry)
        if labelled is not None:
            return labelled
        return _resolve_first_person(registry, span.start_char, word)
    antecedent = _relative_antecedent(head)
    if antecedent is not None:
        return resolve(doc, antecedent, registry)
    pair = _pair_named_before(span, registry)
    if pair is not None:
        return pair
    return _resolve_description(span, head, registry)


def _resolve_person_pronoun(span: Span, registry: ArticleEntities, gender: str) -> Resolution:
    """A "he" or "she" (or their other cases): who the evidence around it names first."""
    head = span.root
    governing = _governing_subject(head, registry, gender)
    if governing is not None:
        return governing
    described = _described_subject_of_conjunct(head, gender)
    if described is not None:
        return resolve(span.doc, described, registry)
    unnamed = _unnamed_subject_before(span, registry, gender) or (
        _unnamed_person_just_before(span, registry, gender)
    )
    if unnamed is not None:
        return unnamed
    only = _only_person_of_previous_sentence(span, registry, gender)
    if only is not None:
        return only
    return _resolve_pronoun(registry, span.start_char, gender)


# The dependents of a verb that are its other participants: "told *Hannity*", "gave *her*
# the award", "spoke *to Ms. Vogel*", "met *with the mayor*".
_OBJECT_DEPS = frozenset({"dobj", "dative", "iobj"})
_PARTNER_PREPOSITIONS = frozenset({"to", "with"})


def _co_arguments(pronoun: Token, registry: ArticleEntities) -> frozenset[str]:
    """The people named as objects of the verb a subject pronoun goes with, whom the pronoun
    cannot be ("he told Hannity" is not Hannity)."""
    if pronoun.dep_ not in _SALIENT_DEPS or pronoun.head.pos_ not in {"VERB", "AUX"}:
        return frozenset()
    verb = pronoun.head
    heads = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
    heads += [
        g
        for c in verb.children
        if c.dep_ in {"prep", "dative"} and c.lower_ in _PARTNER_PREPOSITIONS
        for g in c.children
        if g.dep_ == "pobj"
    ]
    names = set()
    for head in heads:
        named = _named_in(verb.doc[head.left_edge.i : head.right_edge.i + 1], registry)
        if named is not None and named.name is not None and named.speaker_type == "person":
            names.add(named.name)
    return frozenset(names)


# Words by which a text takes up people it has just named together: "Both men said",
# "The two lawmakers wrote", "each said".
_PAIR_WORDS = frozenset({"both", "each", "two", "pair", "couple", "duo"})
_PAIR_LOOKBACK = 80


def _pair_named_before(span: Span, registry: ArticleEntities) -> Resolution | None:
    """The people last named together ("Mr. Effron and Mr. Pruzan") where the mention takes
    them up with "both", "each", "the two ..." or "the pair", within a few sentences. A
    nearer subject that pairs two descriptions ("the business mogul and the Democratic
    socialist") is what "both" takes up, and it names no one; a pair of bodies ("LinkedIn and
    Twitter") counts only for a word that can be a body ("both", "both companies")."""
    root = span.root
    pair_word = root.lower_ in _PAIR_WORDS or any(
        c.lower_ in _PAIR_WORDS and c.dep_ in {"det", "predet", "nummod", "amod"}
        for c in root.children
    )
    if not pair_word or len(span) > 4:
        return None
    people_only = root.lemma_.lower() in _PERSON_PAIR_HEADS
    doc = span.doc
    for token in reversed(doc[max(0, span.start - _PAIR_LOOKBACK) : span.start]):
        if token.pos_ not in {"PROPN", "NOUN"} or not any(c.dep_ == "conj" for c in token.children):
            continue
        phrase = doc[token.left_edge.i : token.right_edge.i + 1]
        group = _coordinated_names(phrase, registry)
        if group is not None and group.name is not None:
            kinds = {registry.entities[n].speaker_type for n in _group_members(phrase, registry)}
            return group if kinds == {"person"} or not people_only else None
        if token.dep_ in _SALIENT_DEPS:
            return None
    return None


def _group_members(phrase: Span, registry: ArticleEntities) -> list[str]:
    """The canonical names of the conjuncts of a coordinated phrase that ``_coordinated_names``
    found to be all named."""
    named = [_named_in(_conjunct_span(head), registry) for head in _coordinated_heads(phrase.root)]
    return [n.name for n in named if n is not None and n.name in registry.entities]


# Head nouns that take up people only: "both men", "the two candidates", "both parents".
_PERSON_PAIR_HEADS = frozenset(
    {"man", "woman", "candidate", "lawmaker", "senator", "parent", "brother", "sister"}
    | {"leader", "official", "voter", "nominee", "contender", "rival", "friend", "couple"}
)


_ACRONYM = re.compile(r"[A-Z]{2,6}")
_ACRONYM_SKIPPED = frozenset({"of", "the", "for", "and", "on", "&"})


def _acronym_of(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "CNS reported ...": capitals that spell the initials of a body the article names in
    full ("Christian News Service") are that body."""
    if len(span) != 1 or not _ACRONYM.fullmatch(span.text):
        return None
    for canonical, entity in registry.entities.items():
        words = [w for w in canonical.split() if w.lower() not in _ACRONYM_SKIPPED]
        if len(words) == len(span.text) and "".join(w[0] for w in words) == span.text:
            kind: SpeakerType = "group" if entity.speaker_type == "group" else "organization"
            return Resolution(canonical, kind, how="name")
    return None


def _short_organization_name(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "In a statement, Peabody said": a capitalised word no entity covers that opens the
    name of exactly one organisation the article names in full ("Peabody Energy", "Pew
    Research Center") is that organisation, as a surname is its person, unless the article
    uses the word as a place's name."""
    if len(span) != 1 or span[0].ent_type_ or not span[0].is_title or span[0].pos_ != "PROPN":
        return None
    word = span[0].text
    bodies = [
        canonical
        for canonical, entity in registry.entities.items()
        if entity.speaker_type == "organization"
        and len(canonical.split()) > 1
        and canonical.split()[0] == word
    ]
    if len(bodies) != 1 or word in place_names(span.doc):
        # A country opens the names of its bodies ("Estmark Pharmacists' Association"), and
        # "Estmark" alone is still the country.
        return None
    return Resolution(bodies[0], "organization", how="name")


def _known_body_word(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "Politifact: Donald Trump Is Right ...": a capitalised word that names a platform,
    outlet or fact-checker (``ORGANIZATION_ONE_WORD_NAMES``) NER left untagged, in the
    article's own spelling where it names the body elsewhere."""
    if len(span) != 1 or not span[0].text[:1].isupper():
        return None
    key = span[0].lower_
    if key not in ORGANIZATION_ONE_WORD_NAMES:
        return None
    spelled = next((name for name in registry.entities if name.lower() == key), span.text)
    return Resolution(spelled, "organization", how="name")


def _with_whole_names(span: Span) -> Span:
    """A given name alone that opens a longer person name is that name: a source span
    "Hillary" of "Hillary Clinton said" (the attribution tagger's spans may end inside a
    name) is Hillary Clinton. Only a given name: a title-case headline's entity often runs
    on into its verb ("Obama Says")."""
    if len(span) != 1 or span[0].lower_ not in FEMALE_NAMES | MALE_NAMES:
        return span
    token = span[0]
    if token.ent_iob_ != "B" or token.ent_type_ not in _NAME_LABELS:
        return span
    end = token.i + 1
    while end < len(span.doc) and span.doc[end].ent_iob_ == "I":
        end += 1
    ent = span.doc[token.i : end]
    if len(ent) > 1 and all(t.is_title and t.pos_ == "PROPN" for t in ent[1:]):
        return ent
    return span


_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})


def _relative_antecedent(pronoun: Token) -> tuple[int, int] | None:
    """The noun phrase a relative pronoun stands for: "China and the United States, the two
    biggest polluters, which together vowed ..." is China and the United States; "Mr. Vogel,
    who said ..." is Mr. Vogel. The phrase ends before its apposition or relative clause."""
    clause = pronoun.head
    # "Kingson, who is running for Congress and who worked the crowd": the second clause hangs
    # on the first; taken only for a person named there.
    if (
        pronoun.lower_ == "who"
        and clause.dep_ == "conj"
        and clause.head.dep_ == "relcl"
        and _named_person_head(clause.head.head)
    ):
        clause = clause.head
    if pronoun.lower_ not in _RELATIVE_PRONOUNS or clause.dep_ != "relcl":
        return None
    if pronoun.dep_ not in {"nsubj", "nsubjpass"}:
        return None  # "a report that Jeb Bush has been considering ...": no relative pronoun
    noun = clause.head
    body_named = body_before_comma(pronoun) if pronoun.lower_ == "which" else None
    if body_named is not None and not (body_named[0] <= noun.i < body_named[1]):
        # "a decision from the Board of Elections, which ruled": the parser hung the clause
        # on the earlier noun; the name just before the comma is what the clause is about.
        return body_named
    # "Lionel Sosa, a consultant and an influential Republican who said": the second of two
    # coordinated appositions is the name's too.
    while noun.dep_ in {"appos", "conj"} and noun.head.i < noun.i:
        if noun.dep_ == "conj" and noun.head.dep_ != "appos":
            break
        noun = noun.head
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    listed = _names_listed_after(noun, noun.doc[pronoun.i - 1])
    if listed is not None:
        return listed
    subject = _subject_of_predicate(noun)
    if subject is not None:
        # "Vogel is a veteran lawmaker who said ...": the one the predicate describes.
        return _phrase_before_apposition(subject)
    phrase = _phrase_before_apposition(noun)
    return phrase if phrase[1] <= pronoun.i else None


def _named_person_head(noun: Token) -> bool:
    """Whether ``noun``, or the name it is set in apposition to, is a person's name."""
    while noun.dep_ == "appos" and noun.head.i < noun.i:
        noun = noun.head
    return noun.ent_type_ == "PERSON"


def _names_listed_after(noun: Token, limit: Token) -> tuple[int, int] | None:
    """The people named after a plural noun and a comma, before the relative pronoun: "two
    voters, Tara Moss and Ben Oduya, who saw ..." is Tara Moss and Ben Oduya (the parser
    often joins such names to the noun as conjuncts rather than as its apposition)."""
    if noun.tag_ != "NNS":
        return None
    names = [
        c
        for c in noun.children
        if c.dep_ in {"conj", "appos"} and noun.i < c.i <= limit.i and c.ent_type_ == "PERSON"
    ]
    if not names or names[0].left_edge.i != noun.i + 2 or noun.doc[noun.i + 1].text != ",":
        return None
    return names[0].left_edge.i, min(max(n.right_edge.i for n in names) + 1, limit.i + 1)


def _subject_of_predicate(noun: Token) -> Token | None:
    """The named subject of the copula whose predicate ``noun`` is (or is coordinated in):
    "Vogel ... is a serial liar and birther" -> Vogel; a verb coordinated with an earlier
    one shares its subject; so does an apposition of the predicate ("a serial liar, rampant
    xenophobe, racist and bully who ...")."""
    while noun.dep_ in {"conj", "appos"} and noun.head.i < noun.i:
        noun = noun.head
    if noun.dep_ != "attr":
        return None
    verb = noun.head
    while True:
        subject = next((c for c in verb.children if c.dep_ in _SALIENT_DEPS), None)
        if subject is not None:
            # A name: "The main barrier has been black voters, who ..." is about the voters.
            return subject if subject.pos_ == "PROPN" else None
        if verb.dep_ != "conj" or verb.head.i >= verb.i:
            return None
        verb = verb.head


def _phrase_before_apposition(noun: Token) -> tuple[int, int]:
    """The token range of ``noun``'s phrase up to its first apposition, relative clause or
    comma ("the Budget Office, which ..." -> "the Budget Office")."""
    end = noun.right_edge.i + 1
    for child in noun.rights:
        if child.dep_ in {"appos", "relcl", "punct", "acl"}:
            # A clause starts at its first word ("the resolution which said"), not its verb.
            end = child.left_edge.i if child.dep_ in {"relcl", "acl"} else child.i
            break
    return noun.left_edge.i, end


def _governing_subject(pronoun: Token, registry: ArticleEntities, gender: str) -> Resolution | None:
    """The person named as subject of a clause that holds the pronoun's clause, earlier in
    the sentence: "Vogel, who leads the polls, held a rally at which he said ..." (he is
    Vogel, whoever spoke last)."""
    found = _speaker_of_aside(pronoun, registry, gender)
    if found is not None:
        registry.entities[found].gender = gender
        return Resolution(found, "person", _latest_role(registry, found, pronoun.idx), "pronoun")
    clause = pronoun.head
    while clause.head != clause:
        clause = clause.head
        subject = next(
            (c for c in clause.children if c.dep_ in _SALIENT_DEPS and c.i < pronoun.i), None
        )
        if subject is None:
            continue
        found = _person_at(subject, registry, gender) or _possessor_person(
            subject, registry, gender
        )
        # A misparse can make a subject of a name set off by commas ("On Kane, Mr. Vogel was
        # asked why he ..."): no other person of the pronoun's gender may come between.
        if found is None or found != _nearest_person(registry, pronoun.idx, gender):
            return None
        registry.entities[found].gender = gender
        return Resolution(found, "person", _latest_role(registry, found, pronoun.idx), "pronoun")
    return None


def _described_subject_of_conjunct(pronoun: Token, gender: str) -> tuple[int, int] | None:
    """The person a clause describes by role when the pronoun is the subject of a clause
    joined to it: "My mother has softened with age, but even now she still says ..." (she is
    the mother, not a person of unknown gender named before). The words of the description,
    to be resolved as a mention of their own."""
    verb = pronoun.head
    if pronoun.dep_ != "nsubj" or verb.dep_ != "conj":
        return None
    subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "NOUN" or subject.i > pronoun.i:
        return None
    if _gender_from_role(subject.lower_) != gender or subject.ent_type_:
        return None
    return subject.left_edge.i, subject.i + 1


def _speaker_of_aside(pronoun: Token, registry: ArticleEntities, gender: str) -> str | None:
    """The speaker of a claim that holds the pronoun's "which he said" aside, whoever else the
    claim names: in "Bamberg said the videos do not show whether Scott has anything in his
    hands, which he said were at his side", he is Bamberg. The nearest verb of saying above
    the relative clause whose subject is a person of the pronoun's gender."""
    cue = pronoun.head
    if cue.dep_ != "relcl" or cue.lemma_.lower() not in SPEECH_VERBS:
        return None
    clause = cue.head
    while clause.head != clause:
        clause = clause.head
        if clause.lemma_.lower() not in SPEECH_VERBS:
            continue
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        found = _person_at(subject, registry, gender) if subject is not None else None
        if found is not None:
            return found
    return None


def _possessor_person(subject: Token, registry: ArticleEntities, gender: str) -> str | None:
    """The person whose thing is the subject: "One of Trump's earlier jeremiads came in
    February, when he told Fox News ..." (he is Trump); not when the subject is a person
    ("Trump's lawyer said he")."""
    head = subject
    if head.lower_ == "one":
        head = next((g for p in head.children if p.lower_ == "of" for g in p.children), head)
    if (
        head.pos_ != "NOUN"
        or head.lemma_.lower() in _PERSON_HEADS
        or _gender_from_role(head.lower_) is not None
    ):
        return None
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is None or owner.ent_type_ != "PERSON":
        return None
    return _person_at(owner, registry, gender)


def _unnamed_subject_before(
    span: Span, registry: ArticleEntities, gender: str
) -> Resolution | None:
    """A pronoun that opens its sentence, right after a sentence that opened on a speaker
    the article never names, is that speaker: "A representative for Mr. Pinchuk said ... He
    added ..." is the representative still, not Mr. Pinchuk."""
    sentence = sentence_of(span[0])
    if sentence.start == 0 or not registry.unnamed:
        return None
    before = sentence.start - 1
    while before > 0 and span.doc[before].is_space:
        before -= 1
    previous = sentence_of(span.doc[before])
    offset, resolution, mention_end = registry.unnamed[-1]
    if not previous.start_char <= offset < previous.end_char:
        return None
    # Both opening their sentences, the unnamed speaker is the topic whoever the sentence
    # names after it; elsewhere (""...," said the woman. "...," she said") only when no one
    # of the pronoun's gender is named in the two sentences.
    opening = span.start == sentence.start and offset == previous.start_char
    role_genders = {_gender_from_role(w.lower()) for w in (resolution.role or "").split()}
    if not opening and (
        (resolution.speaker_type != "anonymous" and gender not in role_genders)
        or _pronoun_of_gender_between(span.doc, previous.start_char, offset, gender)
    ):
        # Elsewhere only a source the text keeps anonymous ("said the woman, who did not
        # want to be named") or whose role gives the pronoun's gender (""...," my father
        # said. He also told ..."), whom no pronoun of that gender before it competes with.
        return None
    window = (
        range(mention_end, previous.end_char)
        if opening
        else range(previous.start_char, span.start_char)
    )
    others = [
        canonical
        for position, canonical, _ in registry.between(window.start, window.stop)
        if not offset <= position < mention_end
        and _fits_pronoun(registry.entities[canonical], gender)
    ]
    if others:
        # "A reporter asked Sanders how he felt. He replied ...": the one asked answers.
        return None
    if role_genders - {None, gender}:
        return None
    return Resolution(None, resolution.speaker_type, resolution.role, "pronoun")


def _unnamed_person_just_before(
    span: Span, registry: ArticleEntities, gender: str
) -> Resolution | None:
    """ "... begging a woman who claimed to be undecided. After he gave her an answer, she
    said ...": a pronoun whose nearest possible referent, in its sentence or the one before,
    is a person the text brings in without a name ("a woman", "one mother") is that person,
    not a named one further back whose gender the article never gave."""
    doc = span.doc
    sentence = sentence_of(span[0])
    start = sentence_of(doc[sentence.start - 1]).start if sentence.start > 0 else sentence.start
    window = list(doc[start : span.start])
    if not any(_unnamed_person_word(token, gender) for token in window):
        return None
    named = {
        position
        for position, canonical, _ in registry.between(window[0].idx, span.start_char)
        if _fits_pronoun(registry.entities[canonical], gender)
    }
    for at, token in reversed(list(enumerate(window))):
        if token.idx in named or (token.ent_type_ == "PERSON" and token.ent_iob_ == "B"):
            return None  # a name comes nearer
        if registry.in_quote(token.idx) or not _unnamed_person_word(token, gender):
            continue  # "How about a qualified woman?" is a speaker's words, not the text's
        opening = sentence_of(token).start
        if any(PERSON_PRONOUNS.get(t.lower_) == gender for t in window[:at] if t.i >= opening):
            return None  # "She has shed tears with a woman who ...": the topic is "she"
        description = _strip_determiner(doc[token.left_edge.i : token.i + 1].text)
        return Resolution(None, "person", description, "pronoun")
    return None


def _unnamed_person_word(token: Token, gender: str) -> bool:
    """Whether ``token`` heads an indefinite description of one person of ``gender`` that no
    name stands beside ("a woman who ...", not "Ann Vogel, a mother of three")."""
    return (
        token.tag_ == "NN"
        and token.lower_ in _UNNAMED_PEOPLE
        and _gender_from_role(token.lower_) == gender
        and token.left_edge.lower_ in {"a", "an", "one", "another"}
        and token.dep_ != "attr"  # "LeVell is a black man ...": the subject, named
        and not (token.dep_ == "appos" and token.head.ent_type_ == "PERSON")
    )


def _only_person_of_previous_sentence(
    span: Span, registry: ArticleEntities, gender: str
) -> Resolution | None:
    """A pronoun that opens its sentence refers to the one person of its gender the sentence
    before names, in any role: "... listening to Ann Vogel's speech. She called it ...". So
    does one that only a quotation opening the sentence comes before: "Scott bristles at
    the suggestion. '...,' he said" is Scott's, not the one quoted before that sentence."""
    opening = _opening_before_pronoun(span, registry)
    if opening is None or opening == 0:
        return None
    before = opening - 1
    while before > 0 and span.doc[before].is_space:
        before -= 1
    previous = sentence_of(span.doc[before])
    start = previous.start_char
    mentions = [
        (position, canonical)
        for position, canonical, _ in registry.between(start, span.start_char)
        if _fits_pronoun(registry.entities[canonical], gender)
    ]
    people = {canonical for _, canonical in mentions}
    if len(people) != 1:
        return None
    first_named = min(position for position, _ in mentions)
    if opening != span.start and first_named != _topic_start(previous):
        # After a quotation, only the person the sentence before opens on ("Scott bristles
        # at the suggestion. '...,' he said"), not one it merely names ("Like Allen, ...").
        return None
    if _pronoun_of_gender_between(span.doc, start, first_named, gender):
        # "... her decision to meet Bill Clinton while investigating his wife, Hillary
        # Clinton. She has called ...": a "her" before the name keeps the earlier topic.
        return None
    found = people.pop()
    registry.entities[found].gender = gender
    return Resolution(found, "person", _latest_role(registry, found, span.start_char), "pronoun")


def _opening_before_pronoun(span: Span, registry: ArticleEntities) -> int | None:
    """Where the pronoun's sentence opens, for a pronoun that opens it or that follows only a
    quotation opening it after a finished sentence or a paragraph break; None for any other
    pronoun."""
    doc = span.doc
    sentence = sentence_of(span[0])
    if span.start == sentence.start:
        return sentence.start
    at, quoted = span.start - 1, False
    while at >= 0 and (
        doc[at].is_space
        or doc[at].text in _QUOTE_MARKS_AND_COMMA
        or registry.in_quote(doc[at].idx) is not None
    ):
        quoted = quoted or registry.in_quote(doc[at].idx) is not None
        if doc[at].is_space and "\n" in doc[at].text:
            break
        at -= 1
    finished = at < 0 or doc[at].text in _SENTENCE_ENDS or "\n" in doc[at].text
    return at + 1 if quoted and finished else None


def _topic_start(sentence: Span) -> int:
    """Where a sentence's first word stands, after an opening "And", "But" or "So"."""
    first = next((t for t in sentence if not (t.is_space or t.is_punct)), sentence[0])
    if first.lower_ in {"and", "but", "so", "yet"} and first.i + 1 < sentence.end:
        first = first.nbor(1)
    return first.idx


_QUOTE_MARKS_AND_COMMA = frozenset({'"', "“", "”", "''", "``", "'", ",", "’", "‘"})
_SENTENCE_ENDS = frozenset({".", "!", "?"})


def _pronoun_of_gender_between(doc: Doc, start: int, end: int, gender: str) -> bool:
    """Whether a pronoun of ``gender`` stands between character offsets ``start`` and ``end``."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None:
        return False
    token = first[0]
    while token.i < len(doc) and token.idx < end:
        if PERSON_PRONOUNS.get(token.lower_) == gender:
            return True
        if token.i + 1 == len(doc):
            break
        token = doc[token.i + 1]
    return False


def _person_at(token: Token, registry: ArticleEntities, gender: str) -> str | None:
    """The registered person whose mention ``token`` heads, if of a compatible gender."""
    first = token.left_edge.idx
    for position, canonical, _ in registry.before(token.idx + 1):
        if position < first:
            return None
        if _fits_pronoun(registry.entities[canonical], gender):
            return canonical
    return None


def _nearest_person(registry: ArticleEntities, offset: int, gender: str) -> str | None:
    """The person of a compatible gender mentioned last before ``offset``."""
    for _, canonical, _ in registry.before(offset):
        if _fits_pronoun(registry.entities[canonical], gender):
            return canonical
    return None


def _fits_pronoun(entity: _Entity, gender: str) -> bool:
    return entity.speaker_type == "person" and entity.gender in (None, gender)


def _label_before(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "Vogel: I will not resign": a headline's first person is the person named as its
    label, right before the colon."""
    doc, first = span.doc, span.start
    if first < 2 or doc[first - 1].text != ":" or doc[first - 2].lower_ not in registry.surnames:
        return None
    if sentence_of(doc[first - 2]).start != first - 2:
        return None
    canonical = _canonical_person(registry, doc[first - 2].text, doc[first - 2].idx)
    if canonical not in registry.entities:
        return None
    return Resolution(
        canonical, "person", _latest_role(registry, canonical, span.start_char), "name"
    )


def _interviewee(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "A: It's a big mistake. I told him so.": the answer label of a question-and-answer
    interview, and a first person in the answer, is the person the interview is with, the
    one its introduction (before the first "Q:") names most often."""
    if span.text != "A" and span.root.lower_ not in _FIRST_PERSON_SINGULAR:
        return None
    text = doc_text(span.doc)
    start, _ = registry.paragraph_of(span.start_char)
    if not text.startswith("A:", start):
        return None
    first_question = _first_question(text)
    if first_question is None or first_question > start:
        return None
    counts = Counter(
        name
        for position, name, _ in registry.mentions
        if position < first_question and registry.entities[name].speaker_type == "person"
    )
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None  # no one the introduction is plainly about
    name = ranked[0][0]
    return Resolution(name, "person", _latest_role(registry, name, span.start_char), "name")


_QUESTION_LABEL = re.compile(r"^Q:", re.MULTILINE)
_FIRST_PERSON_SINGULAR = frozenset({"i", "me"})


def _first_question(text: str) -> int | None:
    found = _QUESTION_LABEL.search(text)
    return found.start() if found else None


def resolves_late(doc: Doc, mention: tuple[int, int]) -> bool:
    """True for a first-person speaker ("I"), which takes the speaker of its quotation and so
    must be resolved after the other speakers of the article."""
    return doc[mention[0] : mention[1]].root.lower_ in FIRST_PERSON


def _resolve_first_person(registry: ArticleEntities, offset: int, word: str) -> Resolution:
    """An "I" inside a quotation is the quoted person: the speaker the paragraph attributes a
    quotation to, outside the marks and nearest to this one (''..., I think ...,'' Mr. Ryan
    said; Mr. Ryan said, ''... I believe ...''). An "I" or "we" outside quotation marks (a
    letter writer, the newspaper itself) stays unnamed."""
    quote = registry.in_quote(offset)
    if quote is None or word not in {"i", "me"}:
        return Resolution(None, "unknown", how="none")
    start, end = registry.paragraph_of(offset)
    nearby = [
        (min(abs(position - quote[0]), abs(position - quote[1])), name, kind)
        for position, name, kind in registry.spoken
        if start <= position < end and kind == "person"
    ]
    if not nearby:
        return Resolution(None, "unknown", how="none")
    _, name, kind = min(nearby)
    return Resolution(name, kind, _latest_role(registry, name, offset), "pronoun")


def _named_organization(ent: Span) -> bool:
    """ "the freight data firm Cargolens", "Cargolens, a data firm": a one-word name that an
    organisation noun introduces. Not "Police Chief Ann Vogel" (the noun before the name is
    a person's role) nor "Ann Vogel, a member of the steering committee" (a person's name is
    what the parser misplaces an apposition on)."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.head == ent.root and before.dep_ == "compound":
        return before.lemma_.lower() in ORGANIZATION_HEADS
    return len(_name_words(ent)) == 1 and any(
        c.dep_ == "appos" and c.lemma_.lower() in ORGANIZATION_HEADS for c in ent.root.children
    )


def _heads_span(ent: Span, span: Span) -> bool:
    """The entity names the mention itself, not a modifier of it ("Kembara's ministry")."""
    root = span.root
    if ent.start <= root.i < ent.end:
        return True
    # "A spokeswoman for the envoy, Clara Nieminen": the name is an apposition in the phrase.
    if ent.root.dep_ == "appos" and span.start <= ent.root.head.i < span.end:
        return True
    # "Harbour spokesman the Rev. Tomas Ekdal told": the parser makes role and name two
    # subjects of the verb.
    return (
        root.dep_ == ent.root.dep_ == "nsubj"
        and ent.root.head == root.head
        and root.tag_ not in {"NNS", "NNPS"}
    )


def _named_in(span: Span, registry: ArticleEntities) -> Resolution | None:
    if _party_epithet(span):
        return None
    root = span.root
    for ent in ents_within(span.doc, span.start, span.end):
        if ent.label_ in _NAME_LABELS and _clean_name(ent) and _heads_span(ent, span):
            if _named_organization(ent):
                return Resolution(_clean_name(ent), "organization", how="organization")
            canonical = _junior_in(span, ent, registry) or _canonical_person(
                registry, _clean_name(ent), ent.start_char, _gender_of(span.doc, ent)
            )
            how = "name" if canonical == _clean_name(ent) else "surname"
            return Resolution(
                canonical, "person", _role_in_span(span, ent, registry, canonical), how
            )
    titled = _titled_name_closing(span)
    if titled is not None:
        canonical = _canonical_person(
            registry, _clean_name(titled), titled.start_char, _gender_of(span.doc, titled)
        )
        role = _role_in_span(span, titled, registry, canonical)
        return Resolution(canonical, "person", role, "name")
    if _is_capitalised_name(root) and registry.surnames.get(root.lower_):
        # "Dossa said": a known person's surname, whatever label NER gave the token (or part
        # of speech: title-case headlines turn names into nouns).
        gender = _gender_of(span.doc, span.doc[root.i : root.i + 1])
        # A transcript's speaker label is written in capitals ("PENCE: ...").
        written = root.text.title() if root.text.isupper() else root.text
        canonical = _canonical_person(registry, written, span.start_char, gender)
        if canonical in registry.entities:
            how = "name" if canonical == written else "surname"
            return Resolution(
                canonical, "person", _latest_role(registry, canonical, span.start_char), how
            )
    for ent in ents_within(span.doc, span.start, span.end):
        if ent.label_ in _ORG_LABELS and _heads_span(ent, span):
            name = _organization_name(ent)
            kind: SpeakerType = "group" if ent.label_ == "NORP" else "organization"
            return Resolution(name, kind, how="organization")
    if span.root.pos_ == "PROPN" and span.root.text[:1].isupper():
        gender = _gender_of(span.doc, span.doc[root.i : root.i + 1])
        canonical = _canonical_person(registry, span.root.text, span.start_char, gender)
        if canonical in registry.entities:
            return Resolution(
                canonical,
                registry.entities[canonical].speaker_type,
                _latest_role(registry, canonical, span.start_char),
                "surname",
            )
    return None


def _titled_name_closing(span: Span) -> Span | None:
    """A person's name that closes ``span`` right after a role word, where the parser made
    the body in front the head: "The Council on Harbour Affairs National Executive Director
    Nihad Vell" is Nihad Vell."""
    last = span.doc[span.end - 1]
    if last.ent_type_ != "PERSON":
        return None
    ent = next((e for e in ents_within(span.doc, span.start, span.end) if e.end == span.end), None)
    if ent is None or ent.label_ != "PERSON" or ent.start <= span.start:
        return None
    before = span.doc[ent.start - 1]
    if before.lower_ not in PERSON_ROLE_WORDS or not _clean_name(ent):
        return None
    # Not "a spokesman for candidate Hillary Clinton", "hackers backing President Assad":
    # only names and role words before it, a preposition only inside a body's name.
    between = span.doc[span.start : ent.start]
    if any((t.pos_ in {"ADP", "VERB"} and not t.ent_type_) or t.text == "," for t in between):
        return None
    return ent


# "The Republican said": one politician, named before, not the party.
_PARTY_EPITHETS = frozenset({"republican", "democrat"})


def _party_epithet(span: Span) -> bool:
    """ "The Republican said", "the Wisconsin Republican": one politician named before."""
    return (
        len(span) >= 2
        and span[0].lower_ == "the"
        and span[-1].lower_ in _PARTY_EPITHETS
        and all(_names_a_place_word(t) for t in span[1:-1])
    )


# Words that bring in one person not named: "a Nevada Democrat", "another Republican".
_ONE_UNNAMED = frozenset({"a", "an", "one", "another"})


def asks_anonymity(span: Span) -> bool:
    """Whether a description of an unnamed source carries its request not to be named:
    "who spoke on the condition of anonymity", "who declined to be identified", "who did
    not want to be quoted by name"."""
    head = span.root
    if head.pos_ not in {"NOUN", "PRON"} and not _member_word(head):
        return False
    for token in _clause_after(head):
        if token.lower_ == "anonymity":
            return True
        if token.lower_ in ANONYMITY_REQUEST_WORDS and token.nbor(-1).lower_ == "be":
            refused = span.doc[max(head.i + 1, token.i - 5) : token.i]
            if any(t.lower_ in _REFUSALS or t.dep_ == "neg" for t in refused):
                return True
    return False


_REFUSALS = frozenset({"declined", "refused", "asked", "requested"})


def _clause_after(head: Token) -> list[Token]:
    """The words that modify a mention's head after it: its subtree, which may lie outside
    the mention the candidate gives ("one Republican, who ..."), or, where the parser hung a
    relative clause elsewhere ("said the woman, who ... did not want"), the rest of the
    sentence after the relative pronoun."""
    doc = head.doc
    words = [t.lower_ for t in doc[head.i + 1 : head.i + 3]]
    if words[:1] == ["who"] or words == [",", "who"]:
        return list(doc[head.i + 1 : sentence_of(head).end])
    return [t for t in head.subtree if t.i > head.i]


def _member_word(token: Token) -> bool:
    """Whether a proper noun names a member of a party or people ("a Democrat", "another
    Muslim"), not a person."""
    return token.lower_ in _PARTY_EPITHETS or token.ent_type_ == "NORP"


def _unnamed_party_member(span: Span) -> bool:
    """ "said a Nevada Democrat", "one New Hampshire Republican": one party member the
    text does not name, an anonymous source, not the party."""
    return (
        len(span) >= 2
        and span[0].lower_ in _ONE_UNNAMED
        and span.root.lower_ in _PARTY_EPITHETS
        and span.root.i == span[-1].i
    )


def _coordinated_names(span: Span, registry: ArticleEntities) -> Resolution | None:
    """ "Eva Miller and Gloria Major said ...": a mention that coordinates two or more names is
    the group of them, never its first name alone. Every conjunct must name a person or an
    organisation; "Eva Miller and her aides" is left to the other rules."""
    conjuncts = _coordinated_heads(span.root)
    if len(conjuncts) < 2:
        return None
    names = []
    for head in conjuncts:
        named = _named_in(_conjunct_span(head), registry)
        if named is None or named.name is None or named.speaker_type == "group":
            return None
        names.append(named.name)
    if len(set(names)) < 2:
        return None
    return Resolution(_join_names(names), "group", how="name")


def _coordinated_heads(root: Token) -> list[Token]:
    """``root`` and the heads of the phrases coordinated with it, in text order."""
    heads = [root]
    for head in heads:
        heads.extend(c for c in head.children if c.dep_ == "conj" and c.pos_ in {"PROPN", "NOUN"})
    return sorted(heads, key=lambda t: t.i)


def _conjunct_span(head: Token) -> Span:
    """One conjunct's own phrase: its subtree without the phrases coordinated with it."""
    own = [head]
    for token in own:
        own.extend(c for c in token.children if c.dep_ not in {"conj", "cc", "punct"})
    return head.doc[min(t.i for t in own) : max(t.i for t in own) + 1]


def _join_names(names: Sequence[str]) -> str:
    """ "A and B", "A, B and C"; a name given twice is kept once."""
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def _junior_in(span: Span, ent: Span, registry: ArticleEntities) -> str | None:
    """ "The younger Mr. Vogel": the son, the one person of that surname with "Jr." after it."""
    if not any(t.lower_ in {"younger", "junior"} for t in span if t.i < ent.start):
        return None
    surname = _surname(_clean_name(ent))
    juniors = {
        n
        for names in registry.surnames.values()
        for n in names
        if n.split()[-1].lower() in _JUNIOR and _surname(n.rsplit(" ", 1)[0]) == surname
    }
    return juniors.pop() if len(juniors) == 1 else None


def _is_capitalised_name(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.is_title)


def _role_in_span(span: Span, ent: Span, registry: ArticleEntities, canonical: str) -> str | None:
    """The role given in this mention, or else the latest role the article gave the person."""
    words = [t for t in span if t.i < ent.start or t.i >= ent.end]
    kept = [t for t in words if not t.is_punct or t.text in {"'s", "’s"}]
    text = _strip_determiner(joined_words(kept))
    if text and any(t.pos_ == "NOUN" for t in words):
        return text
    return _latest_role(registry, canonical, span.start_char)


def _latest_role(registry: ArticleEntities, canonical: str, offset: int) -> str | None:
    entity = registry.entities.get(canonical)
    if entity is None or not entity.roles:
        return None
    before = [r for r in entity.roles if r[2] <= offset] or entity.roles
    return before[-1][0]


# How far back (in characters) a pronoun looks for a subject before settling for any mention.
_SALIENT_WINDOW = 1500


def _resolve_pronoun(
    registry: ArticleEntities, offset: int, gender: str, excluded: frozenset[str] = frozenset()
) -> Resolution:
    """The most recent person of a compatible gender who spoke or was the subject of a main
    clause nearby; else the most recent nearby subject; else the most recent mention; never
    one of ``excluded``.

    A person whose gender nothing in the article told takes the pronoun's gender from then on
    (pronoun history), so that a later "she" cannot go to the man a "he" went to."""
    earlier = registry.before(offset)
    for least_salience in (_MAIN_SUBJECT, 1, 0):
        for position, canonical, salience in earlier:
            if (
                salience < least_salience
                or (least_salience and offset - position > _SALIENT_WINDOW)
                or canonical in excluded
            ):
                continue
            entity = registry.entities[canonical]
            if entity.speaker_type == "person" and entity.gender in (None, gender):
                entity.gender = gender
                return Resolution(
                    canonical, "person", _latest_role(registry, canonical, offset), "pronoun"
                )
    return Resolution(None, "person", how="none")


def _resolve_collective(registry: ArticleEntities, offset: int, word: str) -> Resolution:
    wanted = {"organization"} if word == "it" else {"organization", "group"}
    if word != "it":
        subject = _plural_subject(registry, offset, wanted)
        if subject is not None:
            return subject
    for position, canonical, salience in registry.before(offset):
        entity = registry.entities[canonical]
        if word == "it" and (offset - position > _IT_WINDOW or salience < _ANY_SUBJECT):
            # "it" speaks for a body that was a subject lately; an older or merely mentioned
            # one ("a message on Twitter"), or a place, is mostly the "it" of "it was".
            continue
        if entity.speaker_type in wanted and not _person_named(registry, canonical):
            return Resolution(canonical, entity.speaker_type, how="pronoun")
    return Resolution(None, "group" if word != "it" else "unknown", how="none")


_IT_WINDOW = 600
_ANY_SUBJECT = 1

# How far back (in characters) a speaking "it" looks for the document it stands for.
_IT_DOCUMENT_WINDOW = 400


def _document_subject_before(pronoun: Token) -> tuple[int, int] | None:
    """ "Thursday's memo from the panel seemed aimed at ... '...,' it stated": a speaking
    "it" is the document that is the nearest main-clause subject before it, within
    ``_IT_DOCUMENT_WINDOW`` characters; any other subject there means no document."""
    doc = pronoun.doc
    verb = pronoun.head
    if pronoun.dep_ != "nsubj" or verb.lemma_ not in SPEECH_VERBS | {"read"}:
        return None  # "And it wasn't a one-off": no document speaking
    for token in reversed(doc[: pronoun.i]):
        if pronoun.idx - token.idx > _IT_DOCUMENT_WINDOW:
            return None
        if token.dep_ not in {"nsubj", "nsubjpass"} or not _in_main_clause(token):
            continue
        # The nearest main-clause subject decides: "Trump's campaign put out a statement ...
        # it said" is the campaign's, which "it" reaches as a body.
        if token.lemma_.lower() in DOCUMENT_HEADS | WRITING_HEADS and token.pos_ == "NOUN":
            # "The email ... was sent by Karl Osman": the maker its clause names, else the
            # document's own phrase, whose owner resolution finds.
            return _maker_in_clause(token) or _phrase_before_apposition(token)
        return None
    return None


def _in_main_clause(subject: Token) -> bool:
    verb = subject.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _person_named(registry: ArticleEntities, canonical: str) -> bool:
    """Whether an organisation or group is registered under a person's name (a surname NER
    tagged ORG that the type rules left so): "it" and "they" never stand for a person."""
    people = registry.surnames.get(canonical.lower(), [])
    return canonical in people or any(_is_shorter_form(canonical, n) for n in people)


def _plural_subject(registry: ArticleEntities, offset: int, wanted: set[str]) -> Resolution | None:
    """ "According to show insiders ... . They said ...": "they" is the latest subject that
    can be many (a named group or organisation, an unnamed plural) within the pronoun
    window; an organisation that is no subject ("the House committee" in "Democrats noted
    that ... in the House committee. They ...") is passed over."""
    named = next(
        (
            (position, canonical)
            for position, canonical, salience in registry.before(offset)
            if _may_be_they(registry.entities[canonical], salience, wanted)
            and not _person_named(registry, canonical)
            and (salience or not _family_named(registry, canonical))
        ),
        None,
    )
    cut = bisect_left(registry.crowds, (offset, "", 0))
    crowd = registry.crowds[cut - 1] if cut else None
    candidates = [c for c in (named, crowd) if c is not None and offset - c[0] <= _SALIENT_WINDOW]
    if not candidates:
        return None
    position, name = max(candidates, key=lambda c: c[0])[:2]
    if crowd is not None and (position, name) == crowd[:2]:
        return Resolution(None, "group", name, "pronoun")
    entity = registry.entities[name]
    return Resolution(name, entity.speaker_type, how="pronoun")


def _family_named(registry: ArticleEntities, canonical: str) -> bool:
    """ "both Clintons", "the Khans": a family by its surname, "they" only as a subject
    ("Democrats with ties to both Clintons cited ... They compared" are the Democrats)."""
    return canonical.endswith("s") and canonical[:-1].lower() in registry.surnames


def _may_be_they(entity: _Entity, salience: int, wanted: set[str]) -> bool:
    """People named as many ("Democrats", "Tom Hale and Ruth Ames") can be "they" wherever
    they stand; an organisation, or a group word that is an adjective ("Democratic
    leaders"), only as a subject."""
    if entity.speaker_type not in wanted:
        return False
    if salience > 0:
        return True
    name = entity.canonical
    return entity.speaker_type == "group" and (name.lower().endswith("s") or " and " in name)


def _resolve_description(span: Span, head: Token, registry: ArticleEntities) -> Resolution:
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in span}
    description = _strip_determiner(_without_time_phrase(span).text)
    if lemma in _SHARE_HEADS:
        # "Another 19 percent said ...": the share of a poll's respondents, never a person.
        return Resolution(None, "group", description, "vague")
    aged = _aged_description(span, head, registry)
    if aged is not None:
        return aged
    body = _body_of_staff(span, head, registry)
    if body is not None:
        return Resolution(body, "organization", description, "description")
    voiced = _body_spoken_for(span, head, registry)
    if voiced is not None:
        return Resolution(voiced, "organization", description, "description")
    if (
        lemma in VAGUE_HEADS
        or head.lower_ in VAGUE_HEADS
        or (words & VAGUE_MARKERS and (head.tag_ == "NNS" or lemma in VAGUE_HEADS))
    ):
        return Resolution(None, "anonymous", description, "vague")
    subject = _subject_of_predicate(head)
    if subject is not None:
        # "Vogel is a veteran lawmaker who said ...": the one the predicate describes.
        return resolve(span.doc, _phrase_before_apposition(subject), registry)
    named = head.head
    if head.dep_ == "appos" and named.i < head.i and named.pos_ == "PROPN":
        # "China and the United States, the two biggest polluters, which vowed ...": the
        # description set beside a name is that name.
        return resolve(span.doc, _phrase_before_apposition(named), registry)
    owner = _document_owner(span, head)
    if owner is not None:
        # "the mission's own figures", "the Clinton ad", "an analysis by the Tax Office": the
        # owner of the document speaks through it.
        resolved = resolve(span.doc, _covering_entities(span.doc, owner), registry)
        if resolved.name is not None and resolved.speaker_type == "organization":
            # "HuffPost Pollster’s polling average": the body, without its possessive ending
            return replace(resolved, name=_POSSESSIVE_END.sub("", resolved.name))
        if resolved.name is not None:
            return resolved
        if head.lemma_.lower() in _OWNER_ONLY_DOCUMENTS and _written_name(
            span.doc[owner[0] : owner[1]]
        ):
            # "F.A.A. records": a body's name NER saw, which no earlier mention resolves.
            return Resolution(
                span.doc[owner[0] : owner[1]].text, "organization", how="organization"
            )
    taken_up = _document_taken_up(span, head, registry)
    if taken_up is not None:
        return Resolution(taken_up, "organization", how="description")
    if span[0].lower_ in _NEGATIVE_DETERMINERS:
        # "No one could have foreseen it": no one at all.
        return Resolution(None, "unknown", description, "none")
    # "leaders", "his advisers", "companies" are many, never the one person whose role
    # shares the noun ("Ann Vogel, a senior adviser") or who was the subject just before.
    plural = head.tag_ in {"NNS", "NNPS"}
    # "a spokesman announced ...": past the lede, an indefinite description brings in
    # someone new, not the spokesman named before (a name set beside it was taken above).
    # In the lede it is the person the story names later ("A New York judge has rejected").
    indefinite = (
        _indefinite_determiner(span[0], head)
        and span.start_char >= _lede_end(registry)
        and lemma not in _ONE_PER_STORY
    )
    person, complete = (None, False) if plural else _person_with_role(registry, span, lemma)
    if indefinite and person is not None and not _introduced_soon_after(span, registry, person):
        # Unless the text names that person just after ("a federal judge ruled Monday. U.S.
        # District Judge Ann Vogel ...").
        person = None
    if person is not None and _other_party(span, head, registry.entities[person]):
        # "The Democratic presidential nominee" is not the Republican one.
        person = None
    if person is not None and (complete or _mentioned_lately(registry, person, span.start_char)):
        return Resolution(
            person, "person", _latest_role(registry, person, span.start_char), "description"
        )
    # A role that shares the head but not the description's other words ("Senator" for "the
    # Florida senator"), held by someone not mentioned lately, is weaker evidence than the
    # figure the text has just been about.
    epithet = None if plural or indefinite else _resolve_epithet(span, head, registry)
    if epithet is not None:
        return epithet
    if person is not None:
        return Resolution(
            person, "person", _latest_role(registry, person, span.start_char), "description"
        )
    place = _place_of(head) or _place_just_named(span, head)
    if place is not None:
        return Resolution(place, "organization", how="description")
    if lemma in ORGANIZATION_HEADS:
        return _resolve_organization(span, head, lemma, registry, description)
    if head.tag_ in {"NNS", "NNPS"}:
        return Resolution(None, "group", description, "none")
    introduced = _named_next(span, head, registry)
    if introduced is not None:
        return introduced
    if owner is not None and _written_name(span.doc[owner[0] : owner[1]]):
        # "a USA TODAY analysis": a proper name NER split or left out still owns it.
        return Resolution(span.doc[owner[0] : owner[1]].text, "organization", how="organization")
    return Resolution(None, "unknown", description if head.pos_ == "NOUN" else None, "none")


def _written_name(words: Span) -> bool:
    """Whether ``words`` are a proper name of a body or place, which NER saw at least in
    part ("USA TODAY"), not a person's, a date's or a title-case headline's words."""
    proper = all(t.pos_ == "PROPN" and t.ent_type_ not in {"PERSON", "DATE", "TIME"} for t in words)
    return proper and any(t.ent_type_ in _ORG_LABELS for t in words)


def _covering_entities(doc: Doc, tokens: tuple[int, int]) -> tuple[int, int]:
    """``tokens`` with the article an entity takes in just before them: the owner "Heritage
    Foundation" of "the Heritage Foundation website" is the entity "the Heritage
    Foundation"."""
    start, end = tokens
    if start > 0 and doc[start - 1].lower_ == "the" and doc[start - 1].ent_iob_ == "B":
        entity_end = start
        while entity_end < len(doc) and doc[entity_end].ent_iob_ == "I":
            entity_end += 1
        if entity_end == end:
            return start - 1, end
    return start, end


_NEGATIVE_DETERMINERS = frozenset({"no", "none", "nobody", "neither"})
_INDEFINITE_ARTICLES = frozenset({"a", "an"})


def _indefinite_determiner(first: Token, head: Token) -> bool:
    """Whether a description opens on an article that brings in someone new: "a", "an", or
    a "one" counting a single noun ("one Sanders supporter wrote", not "one of the aides")."""
    if first.lower_ in _INDEFINITE_ARTICLES:
        return True
    return first.lower_ == "one" and first != head and head.tag_ == "NN"


# People a story has one of, whom it may call "a federal judge" or "a gunman" after naming.
_ONE_PER_STORY = frozenset({"judge", "gunman", "shooter", "suspect"})

# People who speak for the body a noun before them names ("campaign aides", "administration
# officials"), and the bodies such a noun may name.
_STAFF_HEADS = frozenset({"official", "aide", "staffer", "spokesman", "spokeswoman"})
_STAFF_BODIES = frozenset({"campaign", "administration", "state", "city", "county"})
_PLACE_BODIES = frozenset({"state", "city", "county"})
_UNNAMED_MARKERS = frozenset({"unnamed", "anonymous", "unidentified"})


def _without_time_phrase(span: Span) -> Span:
    """``span`` without a closing phrase of time, which says when, not who: "a congressional
    report on Wednesday" is "a congressional report"."""
    for token in span:
        if (
            token.dep_ == "prep"
            and token.i > span.start
            and token.head.i < token.i
            and all(t.ent_type_ in {"DATE", "TIME"} for t in span.doc[token.i + 1 : span.end])
            and token.i + 1 < span.end
        ):
            return span.doc[span.start : token.i]
    return span


def _body_of_staff(span: Span, head: Token, registry: ArticleEntities) -> str | None:
    """ "Campaign aides insisted ...", "administration officials have ruled that out": the
    campaign or administration the article names (the campaign of the person the text is
    about; the latest "... administration"; a "State of ..." for "state officials") speaks
    through its staff."""
    if head.lemma_.lower() not in _STAFF_HEADS or {t.lower_ for t in span} & _UNNAMED_MARKERS:
        return None
    bodies = [c for c in head.lefts if c.dep_ == "compound" and c.lower_ in _STAFF_BODIES]
    if len(bodies) != 1 or bodies[0].pos_ != "NOUN":
        return None
    owners = [
        c
        for c in [*bodies[0].lefts, *head.lefts]
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < bodies[0].i
    ]
    if owners:
        # "A Clinton campaign official": the body its own words name.
        start = min(c.left_edge.i for c in owners)
        return joined_words(list(span.doc[start : bodies[0].i + 1]))
    body = bodies[0].lower_
    if body in _PERSONAL_ORGANIZATIONS:
        return _campaign_of_subject(registry, span.start_char, body)
    named = _organization_named(registry, span.start_char, body, set())
    if named is not None and body in _PLACE_BODIES and named.lower().split()[0] != body:
        return None  # "state officials" are not the State Department
    return named


_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})


def _body_spoken_for(span: Span, head: Token, registry: ArticleEntities) -> str | None:
    """ "A spokesman for Platte River", "a Twitter spokesman": the body a spokesperson speaks
    for, when NER names it an organisation. A person's spokesman ("a spokeswoman for
    Fiorina") is not the person, and stays unnamed."""
    if head.lemma_.lower() not in _SPOKESPEOPLE or head.tag_ != "NN":
        return None
    named = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    named += [
        g
        for p in head.rights
        if p.dep_ == "prep" and p.lower_ in {"for", "of", "at"}
        for g in p.children
        if g.dep_ == "pobj"
    ]
    for word in named:
        if word.ent_type_ != "ORG":
            continue
        entity = next(e for e in span.doc.ents if e.start <= word.i < e.end)
        resolved = resolve(span.doc, (entity.start, entity.end), registry)
        if resolved.name is not None and resolved.speaker_type == "organization":
            return resolved.name
        if _written_name(entity):
            return _strip_determiner(entity.text)
    return None


# Party words of descriptions and roles, by party.
_PARTIES = {
    "democratic": "democratic",
    "democrat": "democratic",
    "republican": "republican",
    "gop": "republican",
    "libertarian": "libertarian",
}


def _other_party(span: Span, head: Token, entity: _Entity) -> bool:
    """Whether the description names a party ("the Democratic nominee") and every party the
    person's roles name is another ("Republican presidential nominee")."""
    wanted = {_PARTIES[t.lower_] for t in span if t.i < head.i and t.lower_ in _PARTIES}
    held = {
        _PARTIES[w] for text, _, _ in entity.roles for w in text.lower().split() if w in _PARTIES
    }
    return bool(wanted and held and wanted.isdisjoint(held))


def _introduced_soon_after(span: Span, registry: ArticleEntities, canonical: str) -> bool:
    """Whether ``canonical`` is first named after ``span`` and by the first sentence of the
    next paragraph."""
    end = _first_sentence_end_after(span.doc, registry.paragraph_of(span.start_char)[1])
    return span.start_char <= registry.introduced.get(canonical, -1) < end


def _named_next(span: Span, head: Token, registry: ArticleEntities) -> Resolution | None:
    """ "A woman who worked at the mill said ... / Ann Vogel, 52, ...": an indefinite person
    the text names soon after (by the first sentence of the next paragraph), a new person
    introduced as a main-clause subject."""
    if span[0].lower_ not in {"a", "an", "one"} or head.lower_ not in _UNNAMED_PEOPLE:
        return None
    start = sentence_of(span[0]).end_char
    end = _first_sentence_end_after(span.doc, registry.paragraph_of(span.start_char)[1])
    for position, canonical, salience in registry.mentions:
        if not start <= position < end or salience < _MAIN_SUBJECT:
            continue
        entity = registry.entities[canonical]
        if entity.speaker_type == "person" and registry.introduced.get(canonical, -1) >= start:
            role = _latest_role(registry, canonical, position)
            return Resolution(canonical, "person", role, "description")
    return None


# People an anecdotal opening brings in before naming them ("A woman who ...", "one of the
# workers ..."). Roles are left out on purpose: "a spokesman for the ministry" followed by a
# paragraph opening with a named minister is two people, and a role says who is speaking.
_UNNAMED_PEOPLE = frozenset(
    {"one", "woman", "man", "girl", "boy", "mother", "father", "grandmother", "grandfather"}
    | {"resident", "neighbour", "neighbor", "widow", "retiree", "veteran", "voter"}
)
# Nouns that name a person, whose possessor is not the one a pronoun under them means.
_PERSON_HEADS = _ROLE_HOLDERS | _UNNAMED_PEOPLE


def _first_sentence_end_after(doc: Doc, offset: int) -> int:
    """Where the first sentence starting at or after ``offset`` ends."""
    for token in doc:
        if token.idx >= offset and not token.is_space:
            return sentence_of(token).end_char
    return len(doc_text(doc))


# Heads of the epithets news writing uses for a public figure it has just named, to avoid
# repeating the name ("the Florida senator", "the New York businessman", "the candidate"). Generic
# people nouns ("the woman", "the employee", "the judge") are left out: they more often bring in
# someone new, often unnamed.
_EPITHET_HEADS = frozenset(
    {
        "senator",
        "governor",
        "congressman",
        "congresswoman",
        "lawmaker",
        "president",
        "candidate",
        "nominee",
        "front-runner",
        "frontrunner",
        "businessman",
        "businesswoman",
        "developer",
        "mogul",
        "billionaire",
        "tycoon",
        "secretary",
        "speaker",
        "mayor",
        "leader",
        "chancellor",
        "minister",
        "premier",
        # what a profile calls its subject the second time ("the billionaire real estate
        # magnate", "the actress")
        "magnate",
        "actress",
        "actor",
        "singer",
        "comedian",
        "author",
        "novelist",
        "entrepreneur",
        "investor",
        "financier",
        "heiress",
        # a justice, a writer of opinion ("the justice", "the columnist"); not "the host",
        # who is mostly the one asking the person the story is about
        "justice",
        "columnist",
        "commentator",
        "economist",
        # what a campaign story calls a candidate it has just named ("the retired
        # neurosurgeon", "the self-described democratic socialist", "the former first lady")
        "neurosurgeon",
        "surgeon",
        "socialist",
        "first lady",
    }
    | _PARTY_EPITHETS
)


def _resolve_epithet(span: Span, head: Token, registry: ArticleEntities) -> Resolution | None:
    """ "The Vermont senator told ...": a definite singular epithet that no role collected in
    the article matches refers to the person most recently named as a speaker or main-clause
    subject nearby, of a gender the epithet allows."""
    if span[0].lower_ != "the" or any(c.dep_ == "poss" for c in head.children):
        return None  # "the program's host" is the program's, not the person just spoken of
    # "The former first lady and senator": one person under two epithets, either of which
    # may be the one the article uses.
    # A lowercase conjunct is a common noun whatever its tag ("and senator" comes out NNP).
    heads = [head] + [c for c in head.children if c.dep_ == "conj" and c.is_lower]
    words = [_epithet_word(h) for h in heads]
    epithet = next((h for h, w in zip(heads, words, strict=True) if w in _EPITHET_HEADS), None)
    # Every head must describe one person: "the company and the secretary" is two.
    if epithet is None or any(w not in _EPITHET_HEADS | {"lady"} for w in words):
        return None
    # "The Republican" is tagged as a proper noun; "the President" as one is a title, left
    # to the roles the article collected. A lowercase word is a common noun whatever its tag
    # ("the billionaire business mogul" comes out NNP).
    if (
        epithet.tag_ != "NN"
        and not epithet.is_lower
        and epithet is head
        and not _party_epithet(span)
    ):
        return None
    genders = {g for g in (_gender_from_role(w) for w in words) if g}
    genders |= {"female" for w in words if w.endswith("lady")}
    if len(genders) > 1:
        return None
    gender = genders.pop() if genders else None
    sentence = sentence_of(head)
    # A sentence the parser ran across a line break starts at the break.
    start = max(sentence.start_char, registry.paragraph_of(span.start_char)[0])
    before = registry.between(start, span.start_char)
    if head.head.dep_ in {"conj", "advcl", "pcomp"} and any(
        salience == _MAIN_SUBJECT
        and _is_person(registry, c)
        and not _possessive_at(span.doc, position)
        for position, c, salience in before
    ):
        # Not "Graham's comments came moments after the senator spoke": the owner of the
        # subject is not what the epithet points away from.
        return _other_person_of_sentence(registry, before, span.start_char, gender)
    return _person_just_about(registry, span.start_char, gender, _named_in_report(head, registry))


def _named_in_report(subject: Token, registry: ArticleEntities) -> set[str]:
    """The names in what ``subject`` is said to say or do ("The front-runner predicted that if
    Rubio ran ...", "the candidate said of running against Mr. Trump"): someone else, as a
    speaker does not name himself. A relative clause there is the writer's aside."""
    verb = subject.head
    if subject.dep_ != "nsubj":
        return set()
    names: set[str] = set()
    for token in verb.subtree:
        if token.i <= subject.i or token.ent_type_ != "PERSON" or token.ent_iob_ != "B":
            continue
        path = token
        while path.i != verb.i and path.dep_ not in {"relcl", "acl"}:
            path = path.head
        if path.i == verb.i:
            names.update(c for _, c, _ in registry.between(token.idx, token.idx + 1))
    return names


def _possessive_at(doc: Doc, offset: int) -> bool:
    """Whether the name starting at ``offset`` is a possessor ("Graham's comments")."""
    words = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if words is None or len(words) == 0:
        return False
    token = words[0]
    while token.dep_ in {"compound", "flat"} and token.head.i > token.i:
        token = token.head
    return token.dep_ == "poss"


def _is_person(registry: ArticleEntities, canonical: str) -> bool:
    return registry.entities[canonical].speaker_type == "person"


def _other_person_of_sentence(
    registry: ArticleEntities,
    before: list[tuple[int, str, int]],
    offset: int,
    gender: str | None,
) -> Resolution | None:
    """ "Clinton leads Sanders by 271 delegates, but the self-described democratic socialist
    has vowed ...": after a sentence's named subject, a writer varies a name with an epithet
    to point away from that subject, which a pronoun would take; so the epithet is the one
    other person named before it in the sentence, if there is just one, and with none, the
    person the text has just been about."""
    # Subjects of embedded clauses too: "Rubio responded that Trump had been ridiculing him,
    # and the senator finally felt ..." is Rubio, not Trump.
    subjects = {c for _, c, salience in before if salience > 0}
    others = {
        c
        for _, c, _ in before
        if c not in subjects
        and _is_person(registry, c)
        and (gender is None or registry.entities[c].gender in (None, gender))
    }
    if len(others) > 1:
        return None
    if not others:
        return _person_just_about(registry, offset, gender)
    (other,) = others
    return Resolution(other, "person", _latest_role(registry, other, offset), "description")


def _epithet_word(head: Token) -> str:
    """The head word of an epithet as one word: "front-runner" (three tokens), "first lady"
    (which, unlike "lady", names one office)."""
    doc = head.doc
    if head.i >= 2 and _hyphen_between(doc[head.i - 2], head):
        return f"{doc[head.i - 2].lower_}-{head.lower_}"
    if head.lower_ == "lady" and head.i >= 1 and doc[head.i - 1].lower_ == "first":
        return "first lady"
    return head.lower_


def _person_just_about(
    registry: ArticleEntities,
    offset: int,
    gender: str | None,
    excluded: Collection[str] = (),
) -> Resolution | None:
    """The person most recently a speaker or main-clause subject before ``offset`` (within
    the pronoun window), of ``gender`` when one is given, other than the ``excluded``."""
    for position, canonical, salience in registry.before(offset):
        if offset - position > _SALIENT_WINDOW:
            break
        entity = registry.entities[canonical]
        if salience < _MAIN_SUBJECT or entity.speaker_type != "person" or canonical in excluded:
            continue
        if gender is None or entity.gender in (None, gender):
            role = _latest_role(registry, canonical, offset)
            return Resolution(canonical, "person", role, "description")
    return None


_AGE = re.compile(r"\b\d+[- ]year[- ]old\b(?!s)")


def _aged_description(span: Span, head: Token, registry: ArticleEntities) -> Resolution | None:
    """ "... when pressed, the 34-year-old mother of three replied", "said the 71-year-old
    diplomat": a definite description giving an age is the person the text has just been
    about, as news writing varies a name it has just used."""
    if span[0].lower_ != "the" or head.tag_ in {"NNS", "NNPS"}:
        return None
    if not _AGE.search(span.doc[span.start : head.i + 1].text):
        return None
    return _person_just_about(registry, span.start_char, _gender_from_role(head.lower_))


def _resolve_organization(
    span: Span, head: Token, lemma: str, registry: ArticleEntities, description: str
) -> Resolution:
    """ "the ministry", "the interior ministry", "Kembara's interior ministry"."""
    resolved = _resolve_body(span, head, lemma, registry, description)
    if lemma in _POLLS and not _owned_name(resolved.name):
        owner = _poll_owner(span, head, registry)
        if owner is not None:
            return Resolution(owner, "organization", how="description")
    return resolved


def _owned_name(name: str | None) -> bool:
    """Whether a name resolved for a poll says whose it is ("CBS News poll"), not only what it
    is ("new statewide poll")."""
    return name is not None and any(word[:1].isupper() for word in name.split())


def _resolve_body(
    span: Span, head: Token, lemma: str, registry: ArticleEntities, description: str
) -> Resolution:
    modifiers = [
        t
        for t in span
        if t != head and t.pos_ in {"PROPN", "NOUN", "ADJ"} and t.ent_type_ not in _WHEN
    ]
    if any(t.pos_ == "PROPN" or t.ent_type_ for t in modifiers):
        # Specific enough to stand as the organisation's name; a poll or study by the words
        # that name it ("New York Times/CBS News poll"), not "... released last week".
        named = _document_name(span, head) if lemma in _NAMED_DOCUMENTS else None
        return Resolution(named or description, "organization", how="organization")
    # "Companies seek to cut costs": a plural is the kind, not one company named before;
    # "police" is one force however it is tagged.
    plural = head.tag_ in {"NNS", "NNPS"} and lemma not in _COLLECTIVE_BODIES
    words = {t.lower_ for t in modifiers}
    # "the group" stands for a foundation or a PAC named before; "an independent group" or a
    # relative "that" hung on one introduces a group of its own.
    related = lemma != "group" or (
        span[0].lower_ == "the" and not words and not _unnamed_group_before(span)
    )
    named = (
        None
        if plural
        else _organization_named(registry, span.start_char, lemma, words, related=related)
    )
    if not plural and not modifiers and lemma in _PERSONAL_ORGANIZATIONS:
        named = (
            _campaign_of_owner(span, lemma, registry)
            or _campaign_of_subject(registry, span.start_char, lemma)
            or named
        )
    if named is None and not modifiers and lemma in _COLLECTIVE_BODIES:
        named = _force_of_place(span.doc, span.start_char, lemma)
    if named is not None:
        return Resolution(named, "organization", how="description")
    if modifiers:
        # "the interior ministry": no fuller name in the article, but it names one body.
        return Resolution(description, "organization", how="description")
    return Resolution(None, "organization", description, "none")


_COLLECTIVE_BODIES = frozenset({"police"})
_POLLS = frozenset({"poll", "survey"})
_OWNER_LABELS = _NAME_LABELS | _ORG_LABELS


def _poll_owner(span: Span, head: Token, registry: ArticleEntities) -> str | None:
    """ "The Washington Post conducted a 50-state poll ... according to the recent 50-state
    poll": a poll that names no owner of its own ("the poll", "the new 50-state poll") is
    the one the article spoke of last, if it gave that one an owner, or else the first owned
    one after it; "a new poll" in the lede is the next poll spoken of."""
    lede = span[0].lower_ in _INDEFINITE_ARTICLES and span.start_char < _lede_end(registry)
    if (span[0].lower_ not in {"the", "this", "that"} and not lede) or head.tag_ != "NN":
        return None
    if any(t.pos_ == "PROPN" or t.ent_type_ in _OWNER_LABELS for t in span if t.i < head.i):
        return None  # "the Quinnipiac poll" names its own
    polls = [t for t in span.doc if t.lemma_.lower() in _POLLS and t.tag_ == "NN"]
    if lede:
        # "... according to a new poll. The survey, conducted by ...": the lede's poll is
        # the next one the story speaks of.
        after = next((p for p in polls if p.i > head.i), None)
        return None if after is None else _owner_given(after, registry)
    for poll in reversed([p for p in polls if p.i < head.i]):
        owner = _owner_given(poll, registry)
        if owner is not None:
            return owner
        if poll.left_edge.lower_ not in {"the", "this", "that"}:
            return None  # "an entrance poll of caucus-goers ... The survey": an unowned one
    later = (_owner_given(p, registry) for p in polls if p.i > head.i)
    return next((owner for owner in later if owner is not None), None)


# What a definite document word takes up: "the report" an earlier report or study, "the
# results" a poll, "the data" data named before. Polls have their own rule (_poll_owner).
_TAKEN_UP_DOCUMENTS = {
    "report": frozenset({"report", "study", "analysis"}),
    "study": frozenset({"study", "report", "analysis"}),
    "analysis": frozenset({"analysis", "study", "report"}),
    "result": frozenset({"poll", "survey", "study"}),
    "finding": frozenset({"poll", "survey", "study", "report", "analysis"}),
    "data": frozenset({"data", "datum", "figure", "statistic", "record"}),
    "datum": frozenset({"data", "datum", "figure", "statistic", "record"}),
    "figure": frozenset({"figure", "data", "datum", "statistic"}),
    "statistic": frozenset({"statistic", "data", "datum", "figure"}),
}
_TAKEN_UP_WINDOW = 1500


def _document_taken_up(span: Span, head: Token, registry: ArticleEntities) -> str | None:
    """The owner of the document a definite mention takes up: "a Morning Consult poll found
    ... according to the results", "data from the State Department's refugee center ...
    According to the data". The nearest earlier mention of that kind decides: if it names no
    owner, neither does this one."""
    kinds = _TAKEN_UP_DOCUMENTS.get(head.lemma_.lower())
    if kinds is None or span[0].lower_ not in {"the", "this", "that", "these", "those"}:
        return None
    if any(t.pos_ == "PROPN" or t.ent_type_ in _OWNER_LABELS for t in span if t.i < head.i):
        return None  # "the Pew study" names its own
    doc = span.doc
    for earlier in reversed(doc[: span.start]):
        if span.start_char - earlier.idx > _TAKEN_UP_WINDOW:
            return None
        if earlier.lemma_.lower() in kinds and earlier.pos_ in {"NOUN", "PROPN"}:
            return _owner_given(earlier, registry)
    return None


def _owner_given(poll: Token, registry: ArticleEntities) -> str | None:
    """The owner a mention of a poll gives: the name before it ("a Quinnipiac University
    poll"), an agent after it ("a poll by the Public Policy Institute of California",
    "conducted by ..."), or the subject of its making ("The Washington Post conducted a
    50-state poll")."""
    owner = _document_owner(poll.doc[poll.left_edge.i : poll.i + 1], poll)
    if owner is not None:
        # Named as the owner-of-a-document rule names the poll where it stands.
        resolved = resolve(poll.doc, _covering_entities(poll.doc, owner), registry)
        if resolved.speaker_type == "organization" and _owned_name(resolved.name):
            return resolved.name
    written = _document_name(poll.doc[poll.left_edge.i : poll.i + 1], poll)
    if written is not None:
        return written
    agents = [
        grandchild
        for child in poll.children
        if child.dep_ in {"prep", "acl"}
        for grandchild in ([child] if child.lower_ == "by" else child.children)
        if grandchild.lower_ == "by" or grandchild.dep_ == "agent"
    ]
    for agent in agents:
        named = next((t for t in agent.children if t.dep_ == "pobj"), None)
        if named is not None and named.pos_ == "PROPN":
            return _organization_at(named, registry)
    maker = _maker_in_clause(poll)
    return None if maker is None else _organization_at(poll.doc[maker[1] - 1], registry)


def _organization_at(token: Token, registry: ArticleEntities) -> str | None:
    """The organisation registered for the name ``token`` heads."""
    for _, canonical, _ in reversed(registry.between(token.left_edge.idx, token.idx + 1)):
        if registry.entities[canonical].speaker_type == "organization":
            return canonical
    return None


# Organisation heads that are documents a reader knows by their owners' names.
_NAMED_DOCUMENTS = frozenset({"poll", "survey", "study", "report"})


def _document_name(span: Span, head: Token) -> str | None:
    """ "the latest New York Times/CBS News poll released last week" -> "New York Times/CBS
    News poll": from the first proper noun before the head to the head."""
    first = next(
        (
            t
            for t in span
            if t.i < head.i and t.pos_ == "PROPN" and t.ent_type_ not in {"DATE", "TIME"}
        ),
        None,
    )
    if first is None:
        return None
    return joined_words(list(span.doc[first.i : head.i + 1]))


def _force_of_place(doc: Doc, offset: int, lemma: str) -> str | None:
    """ "... said Kerr Vane, the Dunmore police chief. ... According to police, ...": a bare
    "police" is the force the article names by its place ("Dunmore police"), the one named
    last before it, else the first named after it."""
    forces = [(at, name) for at, name in _named_forces(doc, lemma) if at != offset]
    earlier = [name for position, name in forces if position < offset]
    later = [name for position, name in forces if position > offset]
    return earlier[-1] if earlier else (later[0] if later else None)


def _named_forces(doc: Doc, lemma: str) -> list[tuple[int, str]]:
    """Every "<Place> police" of ``doc`` with its offset, found once per article (a long
    article has hundreds of bare "police" to resolve)."""
    cache = doc.user_data.setdefault(_FORCES_KEY, {})
    if lemma in cache:
        return cast(list[tuple[int, str]], cache[lemma])
    forces: list[tuple[int, str]] = []
    for token in doc:
        if token.lemma_.lower() != lemma:
            continue
        # The proper nouns written right before it ("the Charlotte-Mecklenburg police
        # chief": the parser hangs them on "chief"), never a day ("On Tuesday police ...").
        start = token.i
        while start > 0 and (
            (_names_a_place_word(doc[start - 1]))
            or (doc[start - 1].text == "-" and start > 1 and doc[start - 2].pos_ == "PROPN")
        ):
            start -= 1
        if start < token.i and doc[start].text != "-":
            forces.append((token.idx, joined_words(list(doc[start : token.i + 1]))))
    cache[lemma] = forces
    return forces


_FORCES_KEY = "quotegraph.named_forces"


def _names_a_place_word(token: Token) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.is_title
        and token.ent_type_ not in {"DATE", "TIME"}
        and token.lower_ not in WEEKDAYS
    )


# Nouns a text uses for a place it has just named ("in Florida, when the state ...").
_PLACE_NOUNS = frozenset({"state", "city", "country"})


def _place_just_named(span: Span, head: Token) -> str | None:
    """ "They cite the 2000 election in Florida, when the state incorrectly stated ...": a
    bare "the state", "the city" or "the country" speaks for the place
    named last before it in its sentence or the one before."""
    if head.lemma_.lower() not in _PLACE_NOUNS or len(span) != 2 or span[0].lower_ != "the":
        return None
    sentence = sentence_of(head)
    start = sentence_of(span.doc[sentence.start - 1]).start if sentence.start else 0
    places = [
        ent
        for ent in span.doc.ents
        if ent.label_ == "GPE" and start <= ent.start and ent.end <= span.start
    ]
    return _strip_determiner(places[-1].text) if places else None


# Nouns for a place whose name follows with "of" ("the city of Dunmore").
_PLACE_OF_NOUNS = _PLACE_NOUNS | frozenset({"town", "county", "village", "province"})


def _place_of(head: Token) -> str | None:
    """ "The city of Dunmore is demanding that ...": a place speaks through its government,
    as a place named alone does, by its name."""
    if head.lemma_.lower() not in _PLACE_OF_NOUNS or head.tag_ != "NN":
        return None
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        # A proper noun after "the city of" names a place whatever NER made of it.
        places = [t for t in prep.children if t.dep_ == "pobj" and _names_a_place_word(t)]
        if places:
            return joined_words([t for t in places[0].subtree if _names_a_place_word(t)])
    return None


# Bodies that belong to one person ("the Clinton campaign"): plain "the campaign" is the one
# of the person the text is about.
_PERSONAL_ORGANIZATIONS = frozenset({"campaign"})


def _campaign_of_owner(span: Span, lemma: str, registry: ArticleEntities) -> str | None:
    """ "... showing Hillary Clinton stumbling (her campaign later disclosed ...)": the
    campaign of the person "his" or "her" stands for, by the name the article gives it, else
    "<surname> campaign"."""
    owner = span[0]
    if owner.lower_ not in {"his", "her"} or owner.tag_ != "PRP$":
        return None
    # Only the one person of the pronoun's gender named earlier in the same sentence: a
    # wrong campaign misleads more than none.
    gender = PERSON_PRONOUNS[owner.lower_]
    start = sentence_of(owner).start_char
    people = {
        canonical
        for position, canonical, _ in registry.before(span.start_char)
        if position >= start
        and registry.entities[canonical].speaker_type == "person"
        and _name_gender(registry, canonical) == gender
    }
    if len(people) != 1:
        return None
    surname = people.pop().split()[-1]  # as written: "McConnell campaign"
    for name, entity in registry.entities.items():
        words = re.sub(r"['’]s\b", "", name.lower()).split()
        kind = entity.speaker_type
        if kind == "organization" and words[-1:] == [lemma] and surname.lower() in words:
            return name
    return f"{surname} {lemma}"


def _campaign_of_subject(registry: ArticleEntities, offset: int, lemma: str) -> str | None:
    """ "Hillary Clinton plans to ... . The campaign says ...": the campaign named in the
    article after the person most recently a speaker or main-clause subject nearby, when
    there is one ("Clinton campaign", "Clinton's campaign")."""
    for position, canonical, salience in registry.before(offset):
        if offset - position > _SALIENT_WINDOW:
            return None
        entity = registry.entities[canonical]
        if salience < _MAIN_SUBJECT or entity.speaker_type != "person":
            continue
        surname = _surname(canonical)
        # The form mentioned last before, else first after ("the Sanders campaign").
        later = [m for m in registry.mentions if m[0] >= offset]
        for _, name, _ in [*registry.before(offset), *later]:
            words = re.sub(r"['’]s\b", "", name.lower()).split()
            kind = registry.entities[name].speaker_type
            if kind == "organization" and words[-1:] == [lemma] and surname in words:
                return name
        return None
    return None


def _mentioned_lately(registry: ArticleEntities, canonical: str, offset: int) -> bool:
    """Whether ``canonical`` was mentioned within the pronoun window before ``offset``."""
    for position, name, _ in registry.before(offset):
        if offset - position > _SALIENT_WINDOW:
            return False
        if name == canonical:
            return True
    return False


def _person_with_role(registry: ArticleEntities, span: Span, lemma: str) -> tuple[str | None, bool]:
    """The most recently mentioned person whose role has the description's head.

    A rank qualifier ("vice", "deputy") must agree: "the president" is not the "Vice
    President". Among the rest, the person mentioned last before the description wins, not
    the one whose role was given last. Also says whether the role holds all the description's
    words (the head aside)."""
    modifiers = {
        t.lemma_.lower() for t in span if t.pos_ in {"NOUN", "ADJ", "PROPN"} and t != span.root
    }
    qualifiers = {t.lower_ for t in span} & _RANK_QUALIFIERS
    former = any(t.lower_ in _PAST_MARKERS for t in span)
    last_seen = {name: position for position, name, _ in registry.before(span.start_char)[::-1]}
    best: tuple[int, int, int, str] | None = None
    for canonical, entity in registry.entities.items():
        if entity.speaker_type != "person":
            continue  # "Veltra, a blood-testing company" is no person with a role
        for text, role_head, offset in entity.roles:
            role_words = {w.lower() for w in text.split()}
            if not _same_role(role_head, lemma) or role_words & _RANK_QUALIFIERS != qualifiers:
                continue
            if former and role_words & _PRESENT_MARKERS:
                continue  # "a former party chairman" is not the interim one
            overlap = len(modifiers & role_words)
            # A role given earlier beats one given later (a headline may name a role first).
            score = (offset <= span.start_char, overlap, last_seen.get(canonical, -1), canonical)
            if best is None or score > best:
                best = score
    if best is None:
        return None, False
    return best[3], best[1] == len(modifiers)


_RANK_QUALIFIERS = frozenset({"vice", "deputy", "assistant", "acting"})
_PAST_MARKERS = frozenset({"former", "ex", "onetime", "one-time", "erstwhile"})
_PRESENT_MARKERS = frozenset({"current", "interim", "acting", "sitting", "incumbent"})


def _same_role(role_head: str, lemma: str) -> bool:
    return role_head == lemma or any(
        role_head in group and lemma in group for group in ROLE_SYNONYMS
    )


# Heads of a share of people asked ("63 percent said ..."), which names no one.
_SHARE_HEADS = frozenset({"percent", "%", "percentage", "majority", "minority", "plurality"})

# The voice of a document ("a narrator in the ad", "the ad's narrator") speaks for its owner.
_DOCUMENT_VOICES = frozenset({"narrator", "announcer", "voiceover", "voice"})

# Verbs whose "by" agent made a document: "research conducted by", "an analysis released
# by". "published by" is left out: a newspaper that prints a transcript is not its source.
_AUTHORING_VERBS = frozenset(
    {
        "conduct",
        "release",
        "produce",
        "write",
        "file",
        "commission",
        "compile",
        "send",
        "issue",
        "deliver",
        "post",
    }
)
# Writings a publication carries as its own: "a report in the Des Moines Register".
_CARRIED_WRITINGS = frozenset({"report", "article", "story", "editorial", "column", "piece"})

# Documents that speak only through their owner, never as a statement's own source: the
# lemmas of plural heads ("F.A.A. records", "Crowdpac data") and the readings of other
# documents ("a review by The Times", "the Real Clear Politics average").
_OWNER_ONLY_DOCUMENTS = frozenset(
    {
        "record",
        "datum",
        "review",
        "projection",
        "average",
        "readout",
        "forecast",
        "speech",
        "playbook",
        "manual",
        "handbook",
        "petition",
    }
)
_OWNED_DOCUMENTS = DOCUMENT_HEADS | WRITING_HEADS | _OWNER_ONLY_DOCUMENTS
_OWNED_DOCUMENTS_AND_POLLS = _OWNED_DOCUMENTS | _POLLS
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")
# Readings of other documents, whose owner may be the one of what they read: "the average
# of recent polls compiled by Real Clear Politics".
_READINGS = frozenset({"average", "review", "analysis", "tally", "summary"})


def names_a_document(doc: Doc, mention: tuple[int, int]) -> bool:
    """Whether the speaker mention ``doc[start:end]`` is a document ("The book accuses Bob
    ..."), whose author, not named there, is no antecedent of the next "he". One that names
    its author ("a post from Arianna Huffington") brings the author in like any mention."""
    span = doc[mention[0] : mention[1]]
    head = span.root
    if any(token.ent_type_ == "PERSON" for token in span):
        return False
    return head.lemma_.lower() in _OWNED_DOCUMENTS_AND_POLLS or head.lower_ in _OWNED_DOCUMENTS


def _document_owner(span: Span, head: Token) -> tuple[int, int] | None:
    """The token range of the person or body a document is by, when the phrase says so: a
    possessor ("Ivana Trump's brief"), a proper noun before the head ("a USA TODAY
    analysis"), a "by" phrase ("an analysis by Lily Vogel", "research conducted by the
    Budget Office"); the document of a narrator ("a narrator in the Clinton ad")."""
    lemma = head.lemma_.lower()
    if lemma in _DOCUMENT_VOICES:
        document = _possessor(span, head) or next(
            (
                g
                for p in head.rights
                if p.dep_ == "prep" and p.lower_ in {"in", "of"}
                for g in p.children
                if g.dep_ == "pobj" and g.lemma_.lower() in _OWNED_DOCUMENTS
            ),
            None,
        )
        if document is None or document.lemma_.lower() not in _OWNED_DOCUMENTS:
            return None
        return _document_owner(span.doc[document.left_edge.i : document.i + 1], document)
    if lemma in _COPIES:
        return _owner_of_copied(span, head)
    if lemma not in _OWNED_DOCUMENTS:
        return None
    owner = _possessor(span, head)
    if owner is not None:
        return owner.left_edge.i, owner.right_edge.i + 1
    # "the Clinton ad", "a new Associated Press-GfK poll", "a CNN/ORC poll".
    first = head.i
    while first > span.start and _part_of_owner_name(span.doc[first - 1], head):
        first -= 1
    while first < head.i and span.doc[first].is_punct:
        first += 1
    if first < head.i:
        return first, head.i
    agent = _agent_of(head, span) or _owner_of_what_is_read(head, span)
    if agent is None and span[0].lower_ in {"the", "this"} and not _has_proper_noun(span):
        # A definite document with no name of its own refers back ("the clip"); "the USC
        # Dornsife tracking poll" is a new one.
        return _owner_named_before(head)
    return agent


def _phrase_owner(head: Token) -> tuple[int, int] | None:
    """The owner a document's own phrase gives, without looking back in the text."""
    phrase = head.doc[head.left_edge.i : head.right_edge.i + 1]
    if phrase[0].lower_ in {"the", "this"}:
        phrase = phrase[1:]  # no reference back from here
    owner = _document_owner(phrase, head) if len(phrase) else None
    return owner or _maker_in_clause(head)


# Verbs of making or sending a document, whose subject (or "from"/"by" agent in the
# passive) is its owner.
# "Cook provided a written statement", "the group released a letter".
_MAKING_VERBS = (
    _AUTHORING_VERBS
    | {"send", "issue", "publish", "post", "sign", "take"}
    | {
        "provide",
        "release",
        "deliver",
    }
)


def _maker_in_clause(document: Token) -> tuple[int, int] | None:
    """The owner the clause around a document names: "The Washington Post conducted a
    50-state poll", "an email was sent from the club's director, Jeremy Boreing", "In the
    July 9 cable, Stevens reported ..." (the one who reports in it)."""
    if document.dep_ == "conj" and document.head.ent_type_ == "DATE":
        # "In the July 9, 2012, cable": the parser coordinates the document with its date.
        document = document.head
    verb = document.head
    if document.dep_ == "dobj" and verb.lemma_.lower() in _MAKING_VERBS:
        owner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    elif document.dep_ == "nsubjpass" and verb.lemma_.lower() in _MAKING_VERBS:
        agents = [
            c for c in verb.children if c.dep_ in {"agent", "prep"} and c.lower_ in {"by", "from"}
        ]
        owner = next((g for a in agents for g in a.children if g.dep_ == "pobj"), None)
    elif document.dep_ == "pobj" and verb.lower_ == "in" and verb.head.lemma_.lower() in _REPORTING:
        owner = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    else:
        owner = None
    if owner is None or not _names_something(owner):
        return None
    named = next((c for c in owner.children if c.dep_ == "appos" and c.pos_ == "PROPN"), owner)
    return _phrase_before_apposition(named)


_REPORTING = frozenset({"report", "write", "say", "warn", "note", "argue"})


# How far back (in characters) "the ad" looks for the document it refers to.
_DOCUMENT_WINDOW = 800

# Document words that can name the same document: "a web video ... the clip ... the ad".
_DOCUMENT_FAMILIES = (
    frozenset({"ad", "advertisement", "clip", "spot", "video", "footage", "film"}),
    frozenset({"study", "survey", "poll", "analysis", "report", "research", "count", "tally"}),
    frozenset({"lawsuit", "suit", "complaint", "petition"}),
)


def _same_document_kind(one: str, other: str) -> bool:
    return one == other or any(one in f and other in f for f in _DOCUMENT_FAMILIES)


def _owner_named_before(head: Token, depth: int = 0) -> tuple[int, int] | None:
    """ "A web video by the party ... The clip says ...": a definite document refers to the
    last document of its kind mentioned nearby, and speaks for the owner given there, or
    for the one that earlier mention takes up in turn ("the lawsuit says ... the lawsuit
    alleges"). The search stops at a document of its kind brought in without an owner ("a
    new ad")."""
    doc, lemma = head.doc, head.lemma_.lower()
    may_take_up = depth < _TAKE_UP_STEPS
    for token in reversed(doc[: head.left_edge.i]):
        if head.idx - token.idx > _DOCUMENT_WINDOW:
            break
        if token.pos_ != "NOUN" or token.dep_ == "compound":
            continue
        if not _same_document_kind(token.lemma_.lower(), lemma):
            continue
        owner = _phrase_owner(token)
        if owner is not None or doc[token.left_edge.i].lower_ in {"a", "an", "one", "another"}:
            return owner
        # Only the nearest earlier mention is followed back, so a chain costs its length,
        # not a search from every mention on it.
        taken_up = _owner_named_before(token, depth + 1) if may_take_up else None
        if taken_up is not None:
            return taken_up
        may_take_up = False
    return _announcer_before(head)


# How many definite mentions of one document a chain of "the lawsuit" may run back over.
_TAKE_UP_STEPS = 6

# Announcements a later "the release" or "the statement" is the text of, and the suing or
# filing a later "the lawsuit" is the paper of, by the document word.
# "The campaign responded that ... '...,' the statement said": the response's text.
_ANNOUNCING_VERBS = frozenset({"announce", "release", "issue", "confirm", "respond"})
_SUING_VERBS = frozenset({"sue", "file"})
_VERBS_MAKING_DOCUMENT = {
    "release": _ANNOUNCING_VERBS,
    "statement": _ANNOUNCING_VERBS,
    "announcement": _ANNOUNCING_VERBS,
    "lawsuit": _SUING_VERBS,
    "suit": _SUING_VERBS,
    "complaint": _SUING_VERBS,
    # "The appeals court ruled that ... '...,' said the ruling": the court's.
    "ruling": frozenset({"rule"}),
}


def _announcer_before(head: Token) -> tuple[int, int] | None:
    """ "the Republican Party of Wyoming announced she wasn't coming. '...,' the release
    said": with no document of its kind before it, "the release" is the text of the nearest
    earlier announcement, and speaks for the named body or person who made it; so is "the
    lawsuit" of the nearest earlier suing ("The Democratic Party ... will sue the state")."""
    verbs = _VERBS_MAKING_DOCUMENT.get(head.lemma_.lower())
    if verbs is None:
        return None
    for token in reversed(head.doc[: head.left_edge.i]):
        if head.idx - token.idx > _DOCUMENT_WINDOW:
            return None
        if token.pos_ != "VERB" or token.lemma_.lower() not in verbs:
            continue
        subject = next((c for c in token.lefts if c.dep_ == "nsubj"), None)
        if subject is not None and (
            subject.ent_type_ in {"ORG", "PERSON"} or _definite_body(subject)
        ):
            return _phrase_before_apposition(subject)
        if token.lemma_.lower() in _ALSO_OF_EVENTS:
            continue  # "North Korea's test was confirmed by ...": no statement made
        return None  # the nearest announcement names no maker
    return None


def _definite_body(noun: Token) -> bool:
    """ "The company confirmed ...": a body the text has named, taken up by its kind."""
    determiner = next((c for c in noun.children if c.dep_ == "det"), None)
    return (
        noun.lemma_.lower() in ORGANIZATION_HEADS
        and determiner is not None
        and determiner.lower_ == "the"
    )


# Making verbs also said of other things than documents ("confirmed a test"): they count
# only with a named maker as subject.
_ALSO_OF_EVENTS = frozenset({"confirm", "file"})


# Sites that carry what others made: "a YouTube video" is not YouTube's.
_PLATFORMS = frozenset({"youtube", "facebook", "twitter", "instagram", "snapchat", "vimeo"})


def _part_of_owner_name(token: Token, head: Token) -> bool:
    if token.text in {"-", "/"}:
        return True
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "compound"
        and token.head.i <= head.i
        and token.lower_ not in _PLATFORMS
    )


def _agent_of(head: Token, span: Span) -> tuple[int, int] | None:
    """The object of "by" after a document head, directly or through an authoring verb, or
    of "from" right after the head ("data from the Census Bureau", "a letter from Lily
    Vogel")."""
    carriers = [head] + [
        c for c in head.rights if c.dep_ == "acl" and c.lemma_.lower() in _AUTHORING_VERBS
    ]
    for carrier in carriers:
        for by in carrier.rights:
            source = by.lower_ == "from" and carrier is head and by.dep_ == "prep"
            if not source and (by.lower_ != "by" or by.dep_ not in {"prep", "agent"}):
                continue
            agent = next((c for c in by.children if c.dep_ == "pobj"), None)
            if agent is None or agent.i >= span.end:
                continue
            if _names_something(agent) or _definite_body(agent):
                # "a letter from Lily Vogel", "Thursday's memo from the panel"
                return _phrase_before_apposition(agent)
    return _maker_in_relative_clause(head, span) or _publication_of(head, span)


def _maker_in_relative_clause(head: Token, span: Span) -> tuple[int, int] | None:
    """ "a speech Mrs. Clinton delivered at New York University", "the memo Vogel wrote": the
    named subject of the authoring clause set on the document."""
    for clause in head.rights:
        if clause.dep_ != "relcl" or clause.lemma_.lower() not in _AUTHORING_VERBS:
            continue
        maker = next((c for c in clause.lefts if c.dep_ == "nsubj"), None)
        if maker is not None and maker.i < span.end and maker.pos_ == "PROPN":
            return _phrase_before_apposition(maker)
    return None


def _publication_of(head: Token, span: Span) -> tuple[int, int] | None:
    """ "a report in the Des Moines Register": the publication that carried the writing."""
    if head.lemma_.lower() not in _CARRIED_WRITINGS:
        return None
    for prep in head.rights:
        paper = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if prep.lower_ != "in" or paper is None or paper.i >= span.end:
            continue
        if paper.pos_ == "PROPN" and paper.ent_type_ == "ORG":
            return _phrase_before_apposition(paper)
    return None


def _owner_of_what_is_read(head: Token, span: Span) -> tuple[int, int] | None:
    """The owner of the documents a reading reads, when only they name one ("the average of
    recent polls compiled by Real Clear Politics")."""
    if head.lemma_.lower() not in _READINGS:
        return None
    for of in head.rights:
        read = (
            next((c for c in of.children if c.dep_ == "pobj"), None) if of.lower_ == "of" else None
        )
        if read is not None and read.lemma_.lower() in _OWNED_DOCUMENTS_AND_POLLS:
            return _agent_of(read, span)
    return None


# Words for a document that is another one: "an archived version of the Eric Trump
# Foundation website" speaks for the foundation.
_COPIES = frozenset({"version", "copy"})


def _owner_of_copied(span: Span, head: Token) -> tuple[int, int] | None:
    """The owner the phrase of the copied document names itself (possessor or name before
    it), not one who handled the copy ("a copy of the letter reviewed by The Post")."""
    of = next((c for c in head.rights if c.lower_ == "of"), None)
    copied = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if copied is None or copied.lemma_.lower() not in _OWNED_DOCUMENTS:
        return None
    owner = _possessor(span, copied)
    if owner is not None:
        return owner.left_edge.i, owner.right_edge.i + 1
    first = copied.i
    while first > copied.left_edge.i and _part_of_owner_name(span.doc[first - 1], copied):
        first -= 1
    return (first, copied.i) if first < copied.i else None


def _has_proper_noun(span: Span) -> bool:
    return any(t.pos_ == "PROPN" for t in span)


def _names_something(token: Token) -> bool:
    """Whether the phrase ``token`` heads holds a proper noun ("by a group of researchers"
    names no one)."""
    return any(t.pos_ == "PROPN" for t in token.subtree)


def _possessor(span: Span, head: Token) -> Token | None:
    # "Thursday's memo" is nobody's: a day owns no document.
    return next(
        (
            c
            for c in head.children
            if c.dep_ == "poss" and c.i >= span.start and c.ent_type_ not in _WHEN
        ),
        None,
    )


_GROUP_WINDOW = 600


def _unnamed_group_before(span: Span) -> bool:
    """Whether the text spoke of an unnamed group lately ("among the group of voters making
    $100,000 or more", "the high-earning group"), which "the group" then takes up."""
    doc = span.doc
    first = doc[span.start].idx - _GROUP_WINDOW
    i = span.start - 1
    while i >= 0 and doc[i].idx >= first:
        if doc[i].lemma_.lower() == "group" and not doc[i].ent_type_:
            return True
        i -= 1
    return False


def _organization_named(
    registry: ArticleEntities, offset: int, lemma: str, modifiers: set[str], *, related: bool = True
) -> str | None:
    """The latest organisation named before ``offset`` with ``lemma`` and the description's
    modifiers in its name, or else the first one named after it; failing both, the same
    search for a word the head stands for (``ORGANIZATION_NAME_WORDS``, unless ``related`` is
    false): "the agency" is the Budget Agency when there is one, and only otherwise the
    Budget Office."""
    earlier = registry.before(offset)
    later = [m for m in registry.mentions if m[0] >= offset]
    words_for_it = ORGANIZATION_NAME_WORDS.get(lemma, frozenset()) if related else frozenset()
    for kinds in (frozenset({lemma}), words_for_it):
        for _, canonical, _ in [*earlier, *later]:
            entity = registry.entities[canonical]
            words = set(re.sub(r"['’]s\b|[.,]", "", canonical.lower()).split())
            if words == {lemma}:
                # "Bank" is the noun itself, capitalised where a sentence opened on it
                # ("Bank executives ..."), and names no bank.
                continue
            if entity.speaker_type == "organization" and (
                (words & kinds and modifiers <= words)
                or (not modifiers and any(role in kinds for _, role, _ in entity.roles))
            ):
                return canonical
    if not modifiers and lemma in _BUSINESS_HEADS:
        return _business_of_article(registry, offset)
    return None


# Heads that stand for the one business an article is about when no name holds the word:
# "Wells Fargo ... The bank said".
_BUSINESS_HEADS = frozenset({"bank", "company", "firm"})
_BUSINESS_MENTIONS = 3


def _business_of_article(registry: ArticleEntities, offset: int) -> str | None:
    """The organisation named most often before ``offset``, if named at least three times
    and twice as often as any other: the business the article is about."""
    counts = Counter(
        canonical
        for _, canonical, _ in registry.before(offset)
        if registry.entities[canonical].speaker_type == "organization"
        and canonical.lower() not in _BUSINESS_HEADS
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _BUSINESS_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]
