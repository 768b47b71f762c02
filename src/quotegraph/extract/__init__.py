"""The extract stage: a parsed article in, statements and figures out.

``extract_article(doc, article)`` is a pure function of the parse and the article; the
``Doc`` must have been made from ``article.text`` unchanged so that offsets agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from spacy.tokens import Doc

from quotegraph.errors import QuotegraphError
from quotegraph.extract.attribution import (
    FRONTED_RULE,
    Candidate,
    QuoteIndex,
    find_candidates,
    introduced_quotations,
)
from quotegraph.extract.confidence import bucket, confidence_for
from quotegraph.extract.docs import Coverage, doc_ents, doc_text
from quotegraph.extract.figures import find_figures
from quotegraph.extract.furniture import furniture_lines
from quotegraph.extract.learned import AttributionModel
from quotegraph.extract.quotes import Quotation, all_quotations
from quotegraph.extract.speakers import (
    ArticleEntities,
    Resolution,
    add_missed_names,
    asks_anonymity,
    collect_entities,
    drop_fronted_cues,
    drop_glued_words,
    names_a_document,
    place_names,
    resolve,
    resolves_late,
    settle_name_types,
)
from quotegraph.extract.tagger import SHIPPED, SpanTagger, tagged_candidates, tagger_for
from quotegraph.types import Article, Extraction, Statement

__all__ = ["analyse_statements", "extract_article", "extract_statements"]

# How much a resolution outcome changes the rule's prior confidence. An unresolved pronoun is
# the commonest error; a vague source is still a correct attribution, just not a name.
_RESOLUTION_ADJUSTMENT = {
    "name": 0.05,
    "surname": 0.03,
    "organization": 0.0,
    "pronoun": -0.03,
    "description": -0.03,
    "vague": 0.0,
    "none": -0.1,
}


def extract_article(doc: Doc, article: Article) -> Extraction:
    """All statements and figures of one article."""
    if doc_text(doc) != article.text:
        raise QuotegraphError(
            "E021", source=article.source_file, detail="the parse was not made from article.text"
        )
    statements = extract_statements(doc, article.article_id)
    figures = tuple(find_figures(doc, article.article_id))
    return Extraction(article=article, statements=statements, figures=figures)


def extract_statements(doc: Doc, article_id: str) -> tuple[Statement, ...]:
    """The attributed statements in ``doc``, each with its speaker resolved."""
    return tuple(statement for statement, _ in analyse_statements(doc, article_id))


def analyse_statements(
    doc: Doc,
    article_id: str,
    *,
    model: AttributionModel | None = None,
    tagger: SpanTagger | str | None = SHIPPED,
) -> list[tuple[Statement, str]]:
    """Statements with their confidence bucket (``rule|kind|resolution``), in text order.
    ``model`` replaces the shipped learned attribution model (for tuning and tests);
    ``tagger`` adds the attribution tagger's statements where the rules found none: a
    tagger, None, or a setting for ``tagger_for`` (by default what the package ships)."""
    if isinstance(tagger, str):
        tagger = tagger_for(tagger)
    quotations = introduced_quotations(doc, all_quotations(doc_text(doc)))
    quoted = frozenset(
        pos for quotation in quotations for start, end in quotation.outer for pos in (start, end)
    ) | _quoted_starts(doc, quotations)
    candidates = find_candidates(doc, quotations, model=model)
    if tagger is not None:
        spans = tagger.tag(doc_text(doc))
        index = QuoteIndex(doc, quotations)
        candidates += tagged_candidates(doc, index, candidates, spans, tagger.threshold)
        candidates.sort(key=lambda c: c.content[0])
    candidates = _outside_furniture(doc, candidates)
    add_missed_names(doc, [doc[c.source[0] : c.source[1]].root for c in candidates if c.source])
    drop_fronted_cues(doc, [c.source[0] for c in candidates if c.rule == FRONTED_RULE and c.source])
    drop_glued_words(doc)
    settle_name_types(doc)
    registry = collect_entities(doc, quoted)
    # Resolve in the order speakers appear, so that each resolved speaker can be the
    # antecedent of the next pronoun ("the minister said ... she said"); a quoted "I" last,
    # once the speakers of the quotations around it are known.
    by_speaker = sorted(
        candidates,
        key=lambda c: (resolves_late(doc, c.source), c.source[0]) if c.source else (False, -1),
    )
    places = place_names(doc)
    statements = {id(c): _statement(doc, article_id, c, registry, places) for c in by_speaker}
    return [statements[id(c)] for c in candidates]


def _outside_furniture(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates whose content lies outside every page-furniture line ("Share this
    story", "Please let us know if you're having issues with commenting")."""
    lines = furniture_lines(doc_text(doc))
    if not lines:
        return candidates
    furniture = Coverage(len(doc_text(doc)))
    furniture.add(lines)
    return [c for c in candidates if not furniture.overlaps(c.content)]


def _quoted_starts(doc: Doc, quotations: Sequence[Quotation]) -> frozenset[int]:
    """Start offsets of entities inside quotations (not antecedents for pronouns)."""
    quoted = Coverage(len(doc_text(doc)))
    quoted.add((s + 1, e) for q in quotations for s, e in q.outer)
    ents, _ = doc_ents(doc)
    return frozenset(
        ent.start_char for ent in ents if quoted.overlaps([(ent.start_char, ent.start_char + 1)])
    )


def _statement(
    doc: Doc,
    article_id: str,
    candidate: Candidate,
    registry: ArticleEntities,
    places: frozenset[str] = frozenset(),
) -> tuple[Statement, str]:
    text = doc_text(doc)
    resolution = (
        resolve(doc, candidate.source, registry)
        if candidate.source
        else Resolution(None, "unknown", how="none")
    )
    if resolution.speaker_type == "person" and resolution.name in places:
        # A country speaks through its government: "Kembara says ..." is no person.
        resolution = replace(resolution, speaker_type="organization", how="organization")
    resolution = _place_named(doc, candidate, resolution, places)
    speaker_span = None
    if candidate.source:
        first = doc[candidate.source[0]]
        if resolution.name and resolution.speaker_type in {"person", "organization"}:
            if not (
                resolution.speaker_type == "person" and names_a_document(doc, candidate.source)
            ):
                registry.note_speaker(first.idx, resolution.name, resolution.speaker_type)
        elif _one_unnamed_person(doc, candidate.source, resolution):
            last = doc[candidate.source[1] - 1]
            registry.note_unnamed(first.idx, last.idx + len(last), resolution)
        start, end = candidate.mention or candidate.source
        speaker_span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
    content = shown_content(text, candidate.content, candidate.cue)
    prior = candidate.confidence + _RESOLUTION_ADJUSTMENT[resolution.how]
    confidence = confidence_for(
        candidate.rule, candidate.kind, resolution.how, prior, candidate.band
    )
    statement = Statement(
        statement_id=_statement_id(article_id, candidate),
        article_id=article_id,
        kind=candidate.kind,
        content=content,
        content_spans=candidate.content,
        cue=text[candidate.cue[0] : candidate.cue[1]] if candidate.cue else None,
        cue_span=candidate.cue,
        speaker_mention=text[speaker_span[0] : speaker_span[1]] if speaker_span else None,
        speaker_span=speaker_span,
        speaker=resolution.name,
        speaker_type=resolution.speaker_type,
        speaker_role=resolution.role,
        confidence=confidence,
        rule=candidate.rule,
        act=candidate.act,
    )
    return statement, bucket(candidate.rule, candidate.kind, resolution.how, candidate.band)


def _one_unnamed_person(doc: Doc, source: tuple[int, int], resolution: Resolution) -> bool:
    """Whether a speaker is one person the text brings in without naming ("a spokesman for
    the firm", the writer's "my father"): an indefinite description, neither a name, nor
    many people, or a pronoun that was taken as such a person. A definite one ("the retired
    neurosurgeon") left unnamed is more often someone named before whom resolution missed,
    unless it asks not to be named ("the woman, who did not want to be quoted by name")."""
    span = doc[source[0] : source[1]]
    head = span.root
    if resolution.how == "pronoun" and resolution.name is None and resolution.role:
        return True  # a "he" that was such a person still is: the next "he" may be too
    return (
        (span[0].lower_ in {"a", "an", "one", "another", "my"} or asks_anonymity(span))
        and resolution.name is None
        and resolution.how in {"none", "vague", "description"}
        and resolution.speaker_type in {"person", "unknown", "anonymous"}
        and head.tag_ == "NN"
    )


_TIME_LABELS = frozenset({"DATE", "TIME"})


def _place_named(
    doc: Doc, candidate: Candidate, resolution: Resolution, places: frozenset[str]
) -> Resolution:
    """A speaker left unnamed whose mention is a place name NER did not tag ("Kembara
    vaccinated a million people", the article writing "in Kembara" elsewhere) is that place,
    speaking as an organisation."""
    if resolution.name is not None or not candidate.source:
        return resolution
    start, end = candidate.mention or candidate.source
    words = [t for t in doc[start:end] if t.lower_ != "the"]
    if (
        len(words) == 1
        and words[0].pos_ == "PROPN"
        and words[0].ent_type_ not in _TIME_LABELS  # "in July" makes no place
        and words[0].text in places
    ):
        return Resolution(words[0].text, "organization", how="organization")
    return resolution


# Between two pieces of one statement, text other than spaces and quote marks was left out
# (the cue: ``"A," she said, "B."``), which a reader is shown as an ellipsis.
_JOINER = " … "
_CONTINUATION = frozenset(" \t\n\r\"'“”‘’«»„‟‹›")


def shown_content(
    text: str, spans: Sequence[tuple[int, int]], cue: tuple[int, int] | None = None
) -> str:
    """The words of ``spans`` as a reader sees them: pieces with words left out between
    them are joined with " … ", a quotation running on over a paragraph break with a space.
    A verb of naming (``cue``) just before them leads them: "called Trump a 'liar'" reads as a
    claim where "Trump a 'liar'" reads as nothing, and so does a verb of asking before an object
    and its infinitive ("urged the board to wait") or of charging or praising before an object
    and its grounds ("accused the board of waste"); the spans stay the object's, as PolNeAR
    marks them."""
    shown = text[spans[0][0] : spans[0][1]] if spans else ""
    for (_, previous_end), (start, end) in pairwise(spans):
        between = text[previous_end:start]
        joiner = " " if all(char in _CONTINUATION for char in between) else _JOINER
        shown += joiner + text[start:end]
    if not spans:
        return shown
    return _naming_verb(text, spans[0][0], cue) + _balanced_quotes(shown, text, spans)


def _verb_forms(endings_by_stem: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """Every written form of some verbs: each stem with each of its endings."""
    return frozenset(
        stem + ending for stem, endings in endings_by_stem.items() for ending in endings
    )


# Forms of the verbs whose object and its predicate are the speaker's claim ("called the plan
# a disgrace", "branded him a liar", "called for an inquiry").
_NAMING_VERB_FORMS = _verb_forms(
    {
        "call": ("", "s", "ed", "ing"),
        "dub": ("", "s", "bed", "bing"),
        "brand": ("", "s", "ed", "ing"),
        "label": ("", "s", "ed", "led", "ing", "ling"),
        "describ": ("e", "es", "ed", "ing"),
        "characteriz": ("e", "es", "ed", "ing"),
        "characteris": ("e", "es", "ed", "ing"),
        "portray": ("", "s", "ed", "ing"),
    }
)
# Verbs that take their predicate with "as" ("described the tweet as 'unhinged'"), which may
# stand next to the verb: "is describing as 'unhinged' a tweet ...".
_AS_VERB_STEMS = ("describ", "characteri", "portray")


def _naming_verb(text: str, content_start: int, cue: tuple[int, int] | None) -> str:
    """The cue and the space after it where the cue is a verb of naming that the content
    follows at once, else nothing."""
    if cue is None or cue[1] > content_start:
        return ""
    between = text[cue[1] : content_start].split()
    # Only spaces, or the few words of the one called on: "called on police to release ...".
    if len(between) > _MAX_CALLED_WORDS or not all(word.isalnum() for word in between):
        return ""
    words = text[cue[0] : cue[1]].split()
    verb = next((i for i, word in enumerate(words) if word.lower() in _NAMING_VERB_FORMS), None)
    if verb is None and not between:
        opening = text[content_start : content_start + 80]
        forms = (_ASKING_VERB_FORMS if _object_and_infinitive(opening) else frozenset()) | (
            _JUDGING_VERB_FORMS if _OBJECT_AND_GROUND.match(opening) else frozenset()
        )
        verb = next((i for i, word in enumerate(words) if word.lower() in forms), None)
    # The verb and what follows it, not its auxiliaries ("has", "’s"); a particle only if it
    # makes a demand ("called for", "called on"), not "called in to a town hall".
    if verb is None:
        return ""
    particles = _DEMAND_PARTICLES
    if words[verb].lower().startswith(_AS_VERB_STEMS):
        particles = _DEMAND_PARTICLES | {"as"}
    if any(word.lower() not in particles for word in words[verb + 1 :]):
        return ""
    # A negation stays with the verb: "has never asked God to forgive him" is no request.
    first = next((i for i, word in enumerate(words[:verb]) if word.lower() in _NEGATIONS), verb)
    return text[text.index(words[first], cue[0]) : content_start]


_MAX_CALLED_WORDS = 4
_NEGATIONS = frozenset({"not", "never", "n't", "no", "didn't", "hasn't", "haven't", "won't"})

# Verbs whose object and infinitive are what the speaker asked for ("urged the board to
# reconsider"): the object alone, "the board to reconsider", reads as nothing. The same for
# verbs of charging or praising below.
_ASKING_VERB_FORMS = _verb_forms(
    {
        "urg": ("e", "es", "ed", "ing"),
        "ask": ("", "s", "ed", "ing"),
        "press": ("", "es", "ed", "ing"),
        "implor": ("e", "es", "ed", "ing"),
        "encourag": ("e", "es", "ed", "ing"),
        "beg": ("", "s", "ged", "ging"),
        "tell": ("", "s", "ing"),
        "told": ("",),
        "warn": ("", "s", "ed", "ing"),
        "invit": ("e", "es", "ed", "ing"),
        "challeng": ("e", "es", "ed", "ing"),
        "advis": ("e", "es", "ed", "ing"),
        "instruct": ("", "s", "ed", "ing"),
        "exhort": ("", "s", "ed", "ing"),
    }
)
# Verbs whose object and the grounds after "of" or "for" are the speaker's charge or praise
# ("accused the moderators of bias", "knocked Cruz for not reporting loans").
_JUDGING_VERB_FORMS = _verb_forms(
    {
        "accus": ("e", "es", "ed", "ing"),
        "criticiz": ("e", "es", "ed", "ing"),
        "criticis": ("e", "es", "ed", "ing"),
        "blam": ("e", "es", "ed", "ing"),
        "prais": ("e", "es", "ed", "ing"),
        "thank": ("", "s", "ed", "ing"),
        "credit": ("", "s", "ed", "ing"),
        "fault": ("", "s", "ed", "ing"),
        "knock": ("", "s", "ed", "ing"),
        "slam": ("", "s", "med", "ming"),
        "blast": ("", "s", "ed", "ing"),
        "chastis": ("e", "es", "ed", "ing"),
        "lambast": ("", "s", "ed", "ing"),
        "rebuk": ("e", "es", "ed", "ing"),
        "scold": ("", "s", "ed", "ing"),
        "commend": ("", "s", "ed", "ing"),
        "applaud": ("", "s", "ed", "ing"),
        "congratulat": ("e", "es", "ed", "ing"),
    }
)
# A short object, then the grounds: "the moderators of asking", "Cruz for not reporting".
_OBJECT_AND_GROUND = re.compile(r"(?:[\w’'.-]+ ){1,5}(?:of|for) \S")
# A short object, then "(not) to" and a verb: "the GOP to focus", "them not to rush". A subject
# pronoun or a finite verb before "to" makes it a clause ("he had nothing to do with it").
_OBJECT_AND_INFINITIVE = re.compile(r"((?:[\w’'.-]+ ){1,4})(?:not )?to [a-z]")
_SUBJECTS = frozenset({"he", "she", "they", "we", "i", "that", "there"})
_FINITE = frozenset({"is", "was", "were", "are", "be", "been", "had", "has", "have", "do", "did"})
_MODALS = frozenset({"does", "would", "will", "could", "can", "should", "may", "might", "must"})
_NOT_AN_OBJECT = _SUBJECTS | _FINITE | _MODALS


def _object_and_infinitive(start_of_content: str) -> bool:
    """Whether a content opens with an object and its to-infinitive."""
    match = _OBJECT_AND_INFINITIVE.match(start_of_content)
    if match is None:
        return False
    return not any(word.lower() in _NOT_AN_OBJECT for word in match.group(1).split())


_DEMAND_PARTICLES = frozenset({"for", "on", "upon"})


# What may stand between a content's last word and the quotation mark that closes it
# ("jobs, jobs, jobs,” but"): the content leaves the punctuation out, the mark belongs to it.
_BEFORE_CLOSING = frozenset(",.;:!?")


def _balanced_quotes(shown: str, text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``shown`` with the double quotation mark its spans leave just outside them: a content
    that opens a quotation the text closes right after it ends with the closing mark, and
    one that closes a quotation opened right before it starts with the opening mark. Marks
    the text does not have there are never added."""
    after = text[spans[-1][1] : spans[-1][1] + 3].lstrip("".join(_BEFORE_CLOSING))
    before = text[max(0, spans[0][0] - 1) : spans[0][0]]
    if shown.count("“") > shown.count("”") and after.startswith("”"):
        shown += "”"
    elif shown.count("”") > shown.count("“") and before == "“":
        shown = "“" + shown
    elif shown.count('"') % 2 == 1:
        if after.startswith('"'):
            shown += '"'
        elif before == '"':
            shown = '"' + shown
    return shown


def _statement_id(article_id: str, candidate: Candidate) -> str:
    key = f"{article_id}:{candidate.content}:{candidate.cue}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]
