"""What an attribution reports: words (``speech``), a belief, an intention or an action.

PolNeAR, and so the scorer, counts all four as attributions ("Clinton believes ...",
"Trump wants to ...", "Ryan backed the bill"); a reader looking for who *said* what wants the
first alone. The act is decided from the rule that found the statement and the lemma of its
cue verb, with the lexicon's classes: a quotation or a speech verb is speech, a verb of
cognition a belief, a verb of intention with its infinitive an intention, and a learned
statement whose content is what the speaker acted on ("backed the bill") an action.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from quotegraph.extract.docs import doc_text, sentence_of
from quotegraph.extract.lexicon import (
    COGNITION_VERBS,
    DOCUMENT_HEADS,
    INTENTION_VERBS,
    ORGANIZATION_HEADS,
    PERSON_ROLE_WORDS,
    QUOTE_CUE_VERBS,
    VAGUE_HEADS,
    WRITING_HEADS,
)
from quotegraph.types import Act, StatementKind

# Verbs the learned model finds with a clause or predicate content that report what someone
# perceived, learned or decided, not what they said ("saw that ...", "decided that ...").
_PERCEPTION_VERBS = frozenset(
    {"see", "discover", "learn", "recognize", "recognise", "envision", "seem", "convince"}
)
_DECISION_VERBS = frozenset({"decide", "wish", "choose"})
# Speech verbs that, with an infinitive, report a deed: "agreed to share a currency".
_DEEDS = frozenset({"agree"})
# Verbs whose quoted object is words the source said about someone or something: "called
# the system 'rigged'", "hailed the vote as 'fantastic'", "thanked him for 'stepping up'".
_EVALUATING_VERBS = frozenset(
    {"call", "describe", "hail", "praise", "thank", "mock", "blast", "accuse", "refer"}
    | {"label", "dub", "deride", "denounce", "slam", "criticize", "criticise", "attack"}
    | {"boast", "tout", "blame", "condemn", "decry", "dismiss", "brand", "characterize"}
    | {"characterise", "compare", "liken", "quote", "cite", "recite", "joke", "apologize"}
    | {"demand", "brag", "lament", "defend", "applaud", "congratulate", "question"}
    | {"challenge", "reject", "welcome", "rail", "lash", "ridicule", "insult", "taunt"}
    | {"pledge", "vow", "promise", "predict", "declare", "proclaim", "invoke", "mention"}
    | {"talk", "discuss", "bemoan", "herald", "express", "assail", "speak", "read"}
    | {"deliver", "offer", "chide", "reference", "publish", "portray", "scold", "rebuke"}
    | {"encourage", "exhort", "laud", "point"}
)
_SAYING_VERBS = QUOTE_CUE_VERBS | _EVALUATING_VERBS


_KNOWN_LEMMAS = (
    QUOTE_CUE_VERBS | COGNITION_VERBS | INTENTION_VERBS | _PERCEPTION_VERBS | _DECISION_VERBS
)


def repaired_lemma(lemma: str) -> str:
    """The lexicon's lemma for one the parser cut short: its lemmatiser gives "hop" for
    "hoping" and "hoped", which would make a hope a statement."""
    if lemma not in _KNOWN_LEMMAS and lemma + "e" in _KNOWN_LEMMAS:
        return lemma + "e"
    return lemma


def act_of(rule: str, kind: StatementKind, lemma: str | None) -> Act:
    """The act of a statement found by ``rule`` with cue verb ``lemma`` (None: no verb)."""
    lemma = None if lemma is None else repaired_lemma(lemma)
    if rule == "learned" and kind != "indirect" and lemma not in _SAYING_VERBS:
        # Quoted words as the object of a deed ("enjoys 'Modern Family'", "passed around
        # copies of 'Gifted Hands'") are a title or a phrase, not what the source said.
        return "action"
    if kind != "indirect" or lemma is None:
        return "speech"  # quoted words, "according to", a label: words said or written
    if rule == "learned":
        return "action"  # content that is not a claim: what the speaker did or acted on
    if lemma in QUOTE_CUE_VERBS and not (rule == "intention" and lemma in _DEEDS):
        # "vowed to impose", "urged X to": a pledge or a plea is itself spoken
        return "speech"
    if rule == "intention" or lemma in INTENTION_VERBS or lemma in _DECISION_VERBS:
        return "intention" if rule == "intention" or lemma not in COGNITION_VERBS else "belief"
    if lemma in COGNITION_VERBS or lemma in _PERCEPTION_VERBS:
        return "belief"
    return "speech"


# Verbs of what someone perceived, remembered, weighed or felt, which the learned model
# finds beside speech ("noticed a post that read ...", "voters judge that ...", "must relish
# ...", "forgot she had said it"); none is in the lexicon's speech or cognition classes.
_MENTAL_VERBS = frozenset(
    {"notice", "learn", "forget", "remember", "guess", "judge", "view", "favor", "favour"}
    | {"resent", "relish", "contemplate", "ponder", "imagine", "enjoy", "recognize"}
    | {"recognise", "anticipate", "realize", "realise", "embrace", "anger"}
)
_THINKING = COGNITION_VERBS | _PERCEPTION_VERBS | _MENTAL_VERBS
# Reflexive objects: "I tell myself that ...", "she asked herself whether ...".
_REFLEXIVES = frozenset(
    {"myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves", "themselves"}
)
# Speech verbs that, turned on oneself, report a thought, not words to anyone.
_SELF_TALK_VERBS = frozenset({"tell", "remind", "ask", "say", "promise", "assure", "warn"})
# Modals that make the speech a supposition: "critics would call them ...", "one could say".
_SUPPOSING_MODALS = frozenset({"would", "could", "might", "may", "'d"})
# Words that make a modal report what was said after all: "would only say that ...".
_REALISED = frozenset({"only", "just", "simply", "later", "then"})
# Verbs of a plan whose content names a policy, not a claim: "proposed raising taxes".
_PROPOSAL_VERBS = frozenset({"propose", "advocate"})


def act_in_context(act: Act, cue: Token, kind: StatementKind, rule: str) -> Act:
    """The act of a statement typed ``act`` from its rule and lemma (``act_of``), corrected
    by what the parse shows around the cue verb ``cue``: speech turned on oneself ("I tell
    myself that ...") or cognition with a quoted phrase in its claim ("thinks the issue
    should be a 'litmus test'") is a belief; speech under a modal of supposition ("critics
    would call them ...") is no one's words either; a proposal of a deed ("proposed raising
    taxes", "called for taxing ...") is an intention."""
    if act != "speech":
        return act
    lemma = repaired_lemma(cue.lemma_.lower())
    if lemma in _THINKING and kind == "mixed" and rule in {"clause", "learned_claim"}:
        return "belief"  # the quotation marks set off a phrase inside a belief
    if lemma in _MENTAL_VERBS and rule.startswith("learned"):
        return "belief"  # "I noticed a post ...", "voters judge that ...": no words
    if lemma in _SELF_TALK_VERBS and _turned_on_oneself(cue):
        return "belief"
    if (kind == "indirect" or _generic_subject(cue)) and _supposed(cue):
        return "belief"
    if (lemma == "say" and _lets_say(cue)) or _supposed_by_say(cue):
        return "belief"  # "Let's say you think ...": the writer's supposition
    if cue.dep_ == "pcomp" and cue.head.lower_ == "without":
        # "left without saying that ...", "It goes without saying that ...": nothing said.
        return "action"
    if _proposal(cue, lemma, rule):
        return "intention"
    if lemma in _LIKELIHOOD_VERBS and rule == "intention" and _thing_as_subject(cue):
        return "intention"  # "the debate promised to be crucial": no pledge by anyone
    if lemma == "find" and _personal_judgement(cue):
        return "belief"
    if lemma in _EVIDENTIAL_VERBS and _event_as_subject(cue):
        return "action"  # "victories by outsiders show that ...": the writer's reasoning
    if _wanted_not_given(cue):
        return "intention"  # "asking Clinton to urge ...": speech someone wants, not given
    return _writer_or_no_one(act, cue, lemma)


def _writer_or_no_one(act: Act, cue: Token, lemma: str) -> Act:
    """Speech that is the writer's or no one's: a subject that denies anyone spoke ("none
    has said they want ...", "nothing that suggests ...") is an ``action``, as a negated cue
    is; what "it" or "that" shows in a wh-clause ("That shows how hard the race is") is the
    writer's inference, an ``action``; people labelling themselves ("voters who call
    themselves very conservative") and the writer's own forecast ("the talks will fail, I
    predict") are a ``belief``."""
    if _no_one_as_subject(cue):
        return "action"
    if lemma in _STATE_VERBS and _pronoun_subject(cue):
        return "action"  # "It remains unclear how ...", "It appears that ...": no one speaks
    if lemma == "ask" and _subject_word(cue) == "we":
        return "action"  # "We asked our followers ...": the paper's question, no statement
    if lemma in _EVIDENTIAL_VERBS and _pronoun_subject(cue) and _wh_complement(cue):
        return "action"
    if lemma in _SELF_LABEL_VERBS and _labels_themselves(cue):
        return "belief"
    if lemma in _FORECAST_VERBS and _writer_now(cue):
        return "belief"
    return act


# Verbs of being and seeming, whose "it" is no speaker: "It remains unclear", "it appears".
_STATE_VERBS = frozenset({"remain", "appear", "seem", "become"})


def _subject_word(cue: Token) -> str | None:
    subject = _subject(cue)
    return subject.lower_ if subject is not None else None


# Subjects that say no one spoke: "none has said", "nobody claims", "no aide said".
_NO_ONE = frozenset({"none", "nobody", "noone", "neither", "nothing"})


def _no_one_as_subject(cue: Token) -> bool:
    """Whether the subject of ``cue`` (or the antecedent of its relative pronoun) is "none",
    "nobody", "neither", "nothing", "no one" or a noun under "no" ("no aide")."""
    subject = _subject(cue)
    if subject is None:
        return False
    if subject.lower_ in _RELATIVE_PRONOUNS | {"who"} and cue.dep_ == "relcl":
        subject = cue.head
    if subject.lower_ in _NO_ONE:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


_DEMONSTRATIVES = frozenset({"it", "this", "that"})
_WH_WORDS = frozenset({"how", "why", "what", "where", "when", "who", "which", "whom"})


def _pronoun_subject(cue: Token) -> bool:
    """Whether the subject of ``cue`` is "it", "this" or "that" standing alone (not the
    relative "that" of "a poll that shows ...", whose antecedent ``_event_as_subject``
    reads)."""
    subject = _subject(cue)
    return (
        subject is not None
        and subject.lower_ in _DEMONSTRATIVES
        and subject.pos_ == "PRON"
        and cue.dep_ != "relcl"
    )


def _wh_complement(cue: Token) -> bool:
    """Whether the clause ``cue`` governs opens on a wh-word: "shows how much ..."."""
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return False
    first = clause.left_edge
    return first.lower_ in _WH_WORDS and first.i > cue.i


# Verbs by which people give themselves a label: "call themselves conservative".
_SELF_LABEL_VERBS = frozenset({"call", "describe", "label", "identify", "consider", "style"})


def _labels_themselves(cue: Token) -> bool:
    """ "32 percent call themselves conservative", "voters who describe themselves as ...":
    a group's self-description, as a poll sorts people, is how they see themselves. One
    person's "calls himself a socialist" stays the words it is."""
    return any(c.dep_ == "dobj" and c.lower_ == "themselves" for c in cue.children)


# Verbs of a guess about what is to come: "I predict", "I bet", "I suspect".
_FORECAST_VERBS = frozenset({"predict", "bet", "wager", "guess", "suspect", "forecast"})


def _writer_now(cue: Token) -> bool:
    """Whether the cue is "I" (or "we") in the present with no auxiliary, outside any
    quotation (the rules read no cue inside one): the writer's own guess, made as it is
    written."""
    subject = _subject(cue)
    return (
        subject is not None
        and subject.lower_ in {"i", "we"}
        and cue.tag_ == "VBP"
        and not any(c.dep_ in {"aux", "auxpass"} for c in cue.children)
    )


def _turned_on_oneself(cue: Token) -> bool:
    for child in cue.children:
        if child.dep_ in {"dobj", "dative", "iobj"} and child.lower_ in _REFLEXIVES:
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ == "to"
            and any(grand.lower_ in _REFLEXIVES for grand in child.children)
        ):
            return True  # "said to himself"
    return False


def _supposed(cue: Token) -> bool:
    """Whether a modal of supposition governs the cue and nothing says the words were said
    ("would only say that ..." reports a refusal to say more, in words)."""
    children = list(cue.children)
    supposing = any(c.dep_ == "aux" and c.lower_ in _SUPPOSING_MODALS for c in children)
    return supposing and not any(c.dep_ == "advmod" and c.lower_ in _REALISED for c in children)


# Subjects that name no one in particular: "one could say", "a reader would now ask".
_GENERIC_PRONOUNS = frozenset(
    {"one", "you", "someone", "somebody", "anyone", "anybody", "everyone", "everybody"}
)
_GENERIC_DETERMINERS = frozenset({"a", "an", "any", "every"})


def _generic_subject(cue: Token) -> bool:
    """Whether the cue's subject is anyone at all ("one", "someone", "a reader", "any
    voter"): words put in such a mouth under a modal are the writer's supposition, even in
    quotation marks, where "Ms. Lind would tell the crew: ..." may be a habit of hers."""
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    if subject.lower_ in _GENERIC_PRONOUNS:
        return True
    return subject.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in _GENERIC_DETERMINERS for c in subject.children
    )


def quoted_act(cue: Token) -> Act:
    """The act of quoted words whose cue verb is ``cue``: a supposition ("a reader would
    now ask: ...") is no one's words; anything else quoted is speech."""
    return "belief" if _generic_subject(cue) and _supposed(cue) else "speech"


# Subjects of "let ... say": "let's say", "let us say".
_LET_SUBJECTS = frozenset({"'s", "’s", "us"})


def _lets_say(cue: Token) -> bool:
    """ "Let's say you think a degree will cost $160,000", "Say the port demanded that ...":
    an example the writer supposes, not a report of words. The parser makes "'s" the subject
    of "say" under "let"; a bare "Say" opening its sentence has no subject at all."""
    if cue.head.lower_ == "let":
        return any(c.dep_ == "nsubj" and c.lower_ in _LET_SUBJECTS for c in cue.children)
    return _supposing_imperative(cue)


# Words a sentence may open on before a supposing "Say": "But say ...", "Now, say ...".
_OPENERS = frozenset({"but", "and", "so", "now", "or", "well", ","})


def _supposed_by_say(cue: Token) -> bool:
    """ "Say Kelland demanded that the port pay ...": a sentence opened by a supposing
    "Say", which the parser often glues to the subject as part of a name."""
    sentence = cue.sent
    words = [t for t in sentence if not t.is_space and t.lower_ not in _OPENERS]
    if not words or words[0].lower_ != "say" or words[0].i >= cue.i:
        return False
    say = words[0]
    subject = _subject(cue)
    # "Say" glued to the cue's subject, or the head of the cue's clause ("Say the port
    # demanded ..."); not "Say what you will, the mayor said ...".
    if subject is not None and say in list(subject.subtree):
        return True
    # "Say" hung on the cue with nothing of its own ("Say Mexico demanded that ..."), or the
    # head of the cue's clause; "Say what you will" governs words of its own.
    return cue.head == say or (say.head == cue and not list(say.children))


def _supposing_imperative(cue: Token) -> bool:
    """A bare "Say" (no subject, no auxiliary) that opens its sentence and governs a clause."""
    if cue.tag_ != "VB" or cue.lower_ != "say":
        return False
    if any(c.dep_ in {"nsubj", "aux", "nsubjpass"} for c in cue.children):
        return False
    before = [t for t in cue.sent if t.i < cue.i and not t.is_space]
    if any(t.lower_ not in _OPENERS for t in before):
        return False
    return any(c.dep_ in {"ccomp", "advcl"} for c in cue.children)


def _proposal(cue: Token, lemma: str, rule: str) -> bool:
    """A proposal of a deed: an infinitive or gerund after "propose" / "advocate"
    ("proposes doing away with the mandate"), or a gerund after "call for" ("has called for
    taxing ... income at 15 percent"). A proposal that a clause is true ("proposed that
    everyone ought to ...") and a demand for a thing ("called for an inquiry") stay speech."""
    if lemma in _PROPOSAL_VERBS:
        return rule == "intention" or any(
            c.dep_ in {"dobj", "xcomp"} and c.tag_ == "VBG" for c in cue.children
        )
    if lemma != "call":
        return False
    return any(
        child.dep_ == "prep"
        and child.lower_ == "for"
        and any(grand.dep_ in {"pobj", "pcomp"} and grand.tag_ == "VBG" for grand in child.children)
        for child in cue.children
    )


# Verbs of a pledge that, with a thing as subject, say what is likely: "rules that promise to
# transform the economy", "the primary threatens to knock governors out".
_LIKELIHOOD_VERBS = frozenset({"promise", "threaten"})
_THING_PRONOUNS = frozenset({"it", "this", "that"})
_RELATIVE_PRONOUNS = frozenset({"that", "which"})
# Endings of nouns for people ("supporters", "applicants", "activists", "employees").
_PERSON_ENDINGS = ("er", "or", "ist", "ant", "ent", "ian", "ee", "ers", "ors")
# People, bodies and texts that speak for their authors ("her economic plan promises to ..."
# is the plan's text): none of them is a thing whose "promise" is only a likelihood.
_PERSON_NOUNS = (
    VAGUE_HEADS
    | PERSON_ROLE_WORDS
    | frozenset(
        {"people", "voter", "member", "leader", "republican", "democrat", "family", "parent"}
        | {"woman", "man", "child"}
    )
)
_PEOPLE_NOUNS = (
    _PERSON_NOUNS
    | ORGANIZATION_HEADS
    | DOCUMENT_HEADS
    | frozenset({"plan", "platform", "proposal", "manifesto", "agenda", "bill"})
    | frozenset({"group", "crowd", "country", "nation", "state", "city"})
)


# Verbs by which something bears out a claim. Of a poll, a study or a document they report
# its finding ("the poll shows Clinton ahead"); of an event or a state of things ("brain
# cancer, which confirmed what I always knew", "the popularity of Mr. Trump shows that ...")
# they carry the writer's reasoning, no one's words.
_EVIDENTIAL_VERBS = frozenset(
    {"show", "prove", "demonstrate", "confirm", "reveal", "indicate", "suggest", "mean"}
    | {"illustrate", "underscore", "highlight", "signal"}
)
# Things that report findings: poll results, counts, models and the like.
_FINDING_NOUNS = frozenset(
    {"result", "finding", "poll", "polling", "model", "forecast", "projection", "index"}
    | {"outcome", "record", "cable", "post", "message", "disclosure", "timeline", "log"}
    | {"average", "map", "chart", "graph", "table", "census", "tracker", "sample", "test"}
    | {"calculation", "review", "audit", "investigation", "inquiry", "examination"}
)


def _event_as_subject(cue: Token) -> bool:
    """Whether the subject of ``cue`` is an event or a state of things: a common noun, or the
    antecedent of a relative pronoun, that names no one, no body and no text or finding.
    Pronouns are left alone: "it shows" mostly stands for a poll or a report."""
    subject = _subject(cue)
    if subject is None:
        return False
    if subject.lower_ in _RELATIVE_PRONOUNS | {"who"} and cue.dep_ == "relcl":
        subject = cue.head
    if subject.pos_ != "NOUN" or subject.ent_type_ or _source_noun(subject):
        return False
    if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in subject.children):
        return False  # "the Gallup tracker"
    # "The next series of emails shows ...": a quantity of texts is those texts.
    return not any(
        _source_noun(of_what)
        for prep in subject.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for of_what in prep.children
        if of_what.dep_ == "pobj"
    )


def _source_noun(noun: Token) -> bool:
    """Whether ``noun`` names people, a body, a text or a finding, in either number."""
    words = {noun.lower_, noun.lemma_.lower()}
    return bool(words & _SOURCE_NOUNS) or any(w.endswith(_PERSON_ENDINGS) for w in words)


def _thing_as_subject(cue: Token) -> bool:
    """Whether the subject of ``cue`` is a thing or an event, not a person or a body: a
    pronoun "it"/"that", or a common noun (the antecedent of a relative "that"/"which")
    with no name tag and no word or ending for people."""
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    if subject.lower_ in _RELATIVE_PRONOUNS and cue.dep_ == "relcl":
        subject = cue.head
    elif subject.lower_ in _THING_PRONOUNS:
        return True
    lemma = subject.lemma_.lower()
    return (
        subject.pos_ == "NOUN"
        and not subject.ent_type_
        and lemma not in _PEOPLE_NOUNS
        and not lemma.endswith(_PERSON_ENDINGS)
    )


_PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _personal_judgement(cue: Token) -> bool:
    """ "I find his message chilling", "Trump is finding them reluctant", "voters found it
    offensive", "she will find it difficult to ...": a person's view of something (an object
    and what it seems), not a finding reported in a clause ("the study found that ...",
    "researchers found wages fell") nor a survey's ("a survey found both men unknown")."""
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    if any(
        clause.tag_ in _FINITE_TAGS
        or any(
            c.dep_ in {"aux", "mark"} and c.tag_ in _FINITE_TAGS | {"IN"} for c in clause.children
        )
        for clause in clauses
    ):
        return False
    # "found Mr. Vale too rash to back", "will find it hard to ...": an adjective says how
    # the thing seems to the subject, whoever that is, unless a study or poll finds it.
    holder = cue.head if cue.dep_ == "conj" and _subject(cue) is None else cue
    subject = _subject(holder)
    if subject is None:
        return False
    if any(clause.pos_ == "ADJ" for clause in clauses) and _someone(subject):
        return True
    return subject.lower_ in _PERSONAL_PRONOUNS or subject.ent_type_ == "PERSON"


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


# What finds something out rather than holding a view of it: "the inquiry found it ...".
_INQUIRY_HEADS = DOCUMENT_HEADS | frozenset(
    {"inquiry", "investigation", "review", "examination", "audit", "test", "experiment"}
    | {"panel", "commission", "committee", "court", "jury", "judge", "percent"}
)
# What reports a finding or speaks: people, bodies, texts and findings.
_SOURCE_NOUNS = _PEOPLE_NOUNS | WRITING_HEADS | _FINDING_NOUNS | _INQUIRY_HEADS


def _someone(subject: Token) -> bool:
    """Whether ``subject`` names or describes a person or people ("I", "Ms. Lind", "many
    voters", "the occasional stranger"), not a study, poll or inquiry."""
    lemma = subject.lemma_.lower()
    if subject.lower_ in _PERSONAL_PRONOUNS | _GENERIC_PRONOUNS or subject.ent_type_ == "PERSON":
        return True  # "Not everyone finds that pitch compelling"
    if lemma in _INQUIRY_HEADS:
        return False
    if subject.pos_ == "PROPN" or subject.ent_type_:
        return True  # the parser tags some names as common nouns ("Trump" NN)
    return lemma in _PERSON_NOUNS or lemma.endswith(_PERSON_ENDINGS)


# Verbs and nouns that govern speech someone wants or tries for, not speech given: "asking
# Clinton to urge ...", "require him to pledge ...", "struggled to explain ...", "the pressure
# on her to say whether ...", "find a way to acknowledge ...".
_WANTING_VERBS = frozenset(
    {"ask", "want", "require", "push", "pressure", "urge", "allow", "struggle", "need", "dare"}
    | {"refuse", "decline", "fail", "try", "encourage", "force", "invite", "challenge", "wish"}
    | {"expect", "hope", "plan", "intend", "seek", "beg", "implore", "press", "tempt"}
)
_WANTING_NOUNS = frozenset(
    {"pressure", "call", "demand", "effort", "attempt", "bid", "push", "chance"}
    | {"opportunity", "invitation", "request", "refusal", "reluctance", "failure"}
)


def _wanted_not_given(cue: Token) -> bool:
    """Whether the cue is an infinitive ("to say") that a verb or noun of wanting or trying
    governs, or a gesture's "as if to say": the words were asked for, not said."""
    if not any(child.dep_ == "aux" and child.lower_ == "to" for child in cue.children):
        return False
    before = [token.lower_ for token in cue.doc[max(0, cue.i - 3) : cue.i]]
    if before == ["as", "if", "to"]:
        return True
    # "pushed Democrats to moderate ... and to say ...": the second infinitive shares the
    # first one's governor.
    infinitive = cue.head if cue.dep_ == "conj" else cue
    governor = infinitive.head
    if infinitive.dep_ in _VERB_COMPLEMENTS and governor.pos_ in {"VERB", "AUX"}:
        return repaired_lemma(governor.lemma_.lower()) in _WANTING_VERBS
    return infinitive.dep_ in {"acl", "relcl"} and governor.lemma_.lower() in _WANTING_NOUNS


# How the parser hangs an infinitive on the verb that governs it ("asking Clinton to urge":
# xcomp, or ccomp with "Clinton" as its subject; "struggled ... to explain": advcl).
_VERB_COMPLEMENTS = frozenset({"xcomp", "ccomp", "advcl"})


# --- contents that say nothing: headline teasers and bare answers ---------------------------

# Verbs whose wh-clause is the question itself ("asks who ..."), words said as they are.
_QUESTION_VERBS = frozenset({"ask", "wonder", "question", "inquire", "query", "demand"})
# Nouns a headline holds back a content with: "Reveals Stunning Thing Trump Did To Her",
# "Explains The Real Reason She Quit".
_TEASER_NOUNS = frozenset(
    {"thing", "reason", "secret", "truth", "story", "moment", "experience", "detail", "way"}
    | {"answer", "fact", "one", "word", "lesson", "surprise", "plan", "choice", "pick"}
)
_QUOTE_AND_SPACE = "\"'“”‘’«»„ \t\n"
_TITLE_CASE_SHARE = 0.7
# A first paragraph longer than this is a lead, not a headline.
_MAX_HEADLINE_CHARS = 200


def teaser(cue: Token, content: Span) -> bool:
    """Whether ``content`` names what was said without giving it. In a headline (the
    article's first paragraph, or a title-case line): a wh-clause ("Trump Just Revealed Who
    He Would Pick", not the question of "asks who ...") or a noun phrase on a word such as
    "thing" or "reason" ("Reveals Stunning Thing He Did"). Anywhere: a wh-clause after a
    verb of telling or showing ("explained why she forgave him", "detailing what steps it
    will take"), unless a colon gives the answer ("explained why: the costs ...") or the
    clause carries the speaker's words ("described what he called a 'rigged' vote"). A
    "how" clause is left alone ("explained how tough it is" says that it is)."""
    words = [t for t in content if not t.is_punct and not t.is_space]
    if not words:
        return False
    if words[0].lower_ == "that" and len(words) > 1:
        words = words[1:]
    first = words[0].lower_
    lemma = repaired_lemma(cue.lemma_.lower())
    # "Reveals Which Candidate He Backs"; not the relative "which" of "..., which he said"
    wh = first in _WH_WORDS and (first != "which" or words[0].dep_ == "det")
    if _in_headline(cue):
        if wh:
            return lemma not in _QUESTION_VERBS
        root = next((t for t in words if not content.start <= t.head.i < content.end), None)
        if root is None:
            root = content.root
        return root.pos_ in {"NOUN", "PROPN"} and root.lemma_.lower() in _TEASER_NOUNS
    return (
        wh
        and first not in {"how", "when"}
        and words[0].head.dep_ != "relcl"  # "tells voters who wonder why ... that ..."
        and lemma in _TELLING_VERBS
        and ":" not in content.text
        and not any(t.lemma_.lower() == "call" for t in words[1:4])
        # "recalled what happened to point out that ...": a claim of its own follows
        and not any(t.dep_ == "mark" and t.lower_ == "that" for t in words)
    )


# Verbs whose wh-clause names what was told or shown without giving it.
_TELLING_VERBS = frozenset(
    {"explain", "detail", "reveal", "disclose", "show", "tell", "describe", "outline"}
    | {"discuss", "recall", "recount", "share"}
)


def _in_headline(cue: Token) -> bool:
    """Whether ``cue`` lies in the first paragraph (the headline) or in a sentence whose
    longer words are mostly capitalised, the cue too, as a title-case headline writes them."""
    # The text is read once per article, and only as far as a headline can run.
    first_break = doc_text(cue.doc).find("\n\n", 0, _MAX_HEADLINE_CHARS + 2)
    if 0 <= cue.idx < first_break <= _MAX_HEADLINE_CHARS:
        return True
    sentence = sentence_of(cue)
    words = [t for t in sentence if t.is_alpha and len(t) >= 4]
    capitalised = sum(t.text[0].isupper() for t in words)
    return (
        cue.text[:1].isupper()
        and not cue.is_sent_start
        and len(words) >= 3
        and capitalised >= _TITLE_CASE_SHARE * len(words)
    )


# Words that make up a bare answer or an interjection: "Yes.", "No, no, no", "Absolutely
# not", "Of course", "Really".
_ANSWER_WORDS = frozenset(
    {"yes", "yeah", "yep", "yup", "no", "nope", "nah", "not", "never", "really", "absolutely"}
    | {"certainly", "definitely", "sure", "surely", "okay", "ok", "oh", "ah", "wow", "well"}
    | {"maybe", "perhaps", "right", "correct", "exactly", "indeed", "hmm", "huh", "uh", "um"}
    | {"of", "course", "and", "but", "so", "sir", "ma'am", "please", "too"}
)
_MAX_BARE_QUESTION_WORDS = 2


def says_nothing(words: str) -> bool:
    """Whether the whole of a quotation, ``words``, asserts nothing read alone: a bare answer
    or interjection ("Yes.", "No, no, no, no.", "Absolutely not") or a question of one or two
    words ("Really?", "But why?"). A sentence, however short ("I hope so", "You bet I
    would"), is not one."""
    tokens = re.findall(r"[\w'’]+", words.lower())
    if not tokens:
        return False
    if all(token.replace("’", "'") in _ANSWER_WORDS for token in tokens):
        return not all(token in {"and", "but", "so", "of", "too", "please"} for token in tokens)
    return len(tokens) <= _MAX_BARE_QUESTION_WORDS and words.rstrip(
        _QUOTE_AND_SPACE + "."
    ).endswith("?")
