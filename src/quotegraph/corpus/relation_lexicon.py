"""Word lists for the stance pass (``corpus/relations.py``), written for this project.

Kept apart from the logic so that a newsroom can extend them without touching the rules.
Entries are lower-case; phrases are space-separated tokens as ``relations._WORD`` splits them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from quotegraph.extract.lexicon import MONTHS

NEGATORS = frozenset(
    {"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "without", "cannot"}
)

# Phrases that contain a negator but do not negate the assertion.
NON_NEGATING = frozenset(
    {
        "no more than",
        "no fewer than",
        "no less than",
        "not only",
        "no doubt",
        "no choice",
        "no sooner",
    }
)

# Cue words whose complement is asserted to be false: "denied that the strike had ended".
DENYING_CUES = frozenset({"deni", "deny", "reject", "dismiss", "disput", "refut", "contest"})

# A state word inside a clause opened by one of these is not asserted by the speaker:
# "once the dispute was over", "if the talks fail", "until the strike ends".
SUBORDINATORS = frozenset({"once", "if", "until", "unless", "when", "whether", "after", "before"})

# phrase -> (state concept, +1 asserts the state / -1 asserts its opposite)
STATE_WORDS: Mapping[str, tuple[str, int]] = MappingProxyType(
    {
        # is it over?
        "is over": ("over", 1),
        "was over": ("over", 1),
        "be over": ("over", 1),
        "are over": ("over", 1),
        "were over": ("over", 1),
        "has ended": ("over", 1),
        "have ended": ("over", 1),
        "had ended": ("over", 1),
        "ended": ("over", 1),
        "finished": ("over", 1),
        "behind us": ("over", 1),
        "is resolved": ("over", 1),
        "continuing": ("over", -1),
        "continues": ("over", -1),
        "goes on": ("over", -1),
        "go on": ("over", -1),
        "ongoing": ("over", -1),
        "drags on": ("over", -1),
        # is it safe?
        "safe": ("safe", 1),
        "secure": ("safe", 1),
        "unsafe": ("safe", -1),
        "exposed": ("safe", -1),
        "fragile": ("safe", -1),
        "vulnerable": ("safe", -1),
        "at risk": ("safe", -1),
        "in danger": ("safe", -1),
        # is the money new?
        "new money": ("new money", 1),
        "fresh money": ("new money", 1),
        "fresh borrowing": ("new money", 1),
        "additional money": ("new money", 1),
        "reallocated": ("new money", -1),
        "existing budgets": ("new money", -1),
        "existing budget": ("new money", -1),
        "redirected": ("new money", -1),
        # was money taken away?
        "lost any funding": ("funding cut", 1),
        "lost funding": ("funding cut", 1),
        "lost its funding": ("funding cut", 1),
        "been moved from": ("funding cut", 1),
        "moved money from": ("funding cut", 1),
        "diverted from": ("funding cut", 1),
        "untouched": ("funding cut", -1),
        # is it called off?
        "cancelled": ("cancelled", 1),
        "canceled": ("cancelled", 1),
        "called off": ("cancelled", 1),
        "stop booking": ("cancelled", 1),
        "suspended": ("cancelled", 1),
    }
)

# Months and seasons: the time words a dated commitment names. ("may" is only a month when
# written with a capital, which ``relations`` checks.)
TIME_WORDS = MONTHS | {"spring", "summer", "autumn", "fall", "winter"}

# Words folded together for the topic test: different words news uses for the same thing.
SYNONYMS: Mapping[str, str] = MappingProxyType(
    {
        "stoppage": "strike",
        "walkout": "strike",
        "withdrawal": "withdraw",
        "withdrawn": "withdraw",
        "exit": "withdraw",
        "pullout": "withdraw",
        "funds": "money",
        "fund": "money",
        "funding": "money",
        "euro": "money",
        "euros": "money",
        "cash": "money",
        "reach": "receive",
        "reaches": "receive",
        "ward": "hospital",
        "wards": "hospital",
        "hospitals": "hospital",
        "northern": "north",
        "shut": "close",
        "closed": "close",
        "closures": "close",
        "vaccines": "vaccine",
        "vaccination": "vaccine",
        "vessels": "ship",
        "ships": "ship",
        "cancel": "cancel",
        "appointments": "appointment",
    }
)

_STOP_WORDS = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    every few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told tell according already still now yet
    per cent percent one two three four five six seven eight nine ten"""

STOP = frozenset(_STOP_WORDS.split())

# Opposite predicates, each pole with the forms news writes. Two statements whose wording
# overlaps, one using a word of one pole and the other a word of the other ("they'll undo
# Obama's actions" / "he'd continue Obama's actions"; "consistent with the right to bear arms"
# / "undermine the right to bear arms", both read as agreements on a PolNeAR ingest), do not
# assert one proposition. Only a veto on agreement: opposite words about different things
# are common, so they never make a contradiction by themselves.
OPPOSITE_PREDICATES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split()))
    for a, b in (
        (
            "support supports supported supporting backs backed backing endorse endorses endorsed",
            "oppose opposes opposed opposing against",
        ),
        (
            "undo undoes undid undone reverse reverses reversed repeal repeals repealed scrap "
            "scraps scrapped",
            "continue continues continued keep keeps kept extend extends extended maintain "
            "maintains maintained",
        ),
        (
            "undermine undermines undermined violate violates violated infringe infringes "
            "infringed threaten threatens threatened",
            "consistent protect protects protected uphold upholds upheld respect respects "
            "respected",
        ),
        (
            "increase increases increased raise raises raised expand expands expanded",
            "cut cuts decrease decreases decreased reduce reduces reduced lower lowers lowered",
        ),
        ("win wins won winning", "lose loses lost losing"),
        (
            "ban bans banned banning forbid forbids",
            "allow allows allowed allowing permit permits permitted",
        ),
        (
            "accept accepts accepted approve approves approved",
            "reject rejects rejected veto vetoes vetoed",
        ),
        ("legal lawful", "illegal unlawful"),
        ("true accurate", "false untrue inaccurate"),
        ("strengthen strengthens strengthened", "weaken weakens weakened"),
    )
)
