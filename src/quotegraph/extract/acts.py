"""What an attribution reports: words (``speech``), a belief, an intention or an action.

PolNeAR, and so the scorer, counts all four as attributions ("Clinton believes ...",
"Trump wants to ...", "Ryan backed the bill"); a reader looking for who *said* what wants the
first alone. The act is decided from the rule that found the statement and the lemma of its
cue verb, with the lexicon's classes: a quotation or a speech verb is speech, a verb of
cognition a belief, a verb of intention with its infinitive an intention, and a learned
statement whose content is what the speaker acted on ("backed the bill") an action.
"""

from __future__ import annotations

from quotegraph.extract.lexicon import COGNITION_VERBS, INTENTION_VERBS, QUOTE_CUE_VERBS
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
