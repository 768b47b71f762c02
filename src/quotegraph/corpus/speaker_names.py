"""Comparison forms of speaker names, roles and abbreviations, for linking across articles.

Everything here is a pure function of strings. Names are compared after Unicode case folding
with diacritics removed, curly apostrophes made straight and possessives dropped, so
"Kembara’s interior ministry", "Kembara's Interior Ministry" and "Kembara interior ministry"
share one key. People are split into given name, middle names or initials, and surname (with
"Jr."/"Sr." kept on the surname, so a father and son never share a key); titles in front of a
name ("Chancellor", "Sen.") are taken off and kept as role evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quotegraph.extract.lexicon import (
    FEMALE_NAMES,
    FEMALE_ROLE_SUFFIXES,
    HONORIFICS,
    MALE_NAMES,
    MALE_ROLE_SUFFIXES,
    ORGANIZATION_HEADS,
    ROLE_SYNONYMS,
    TITLES,
    VAGUE_HEADS,
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_DETERMINERS = frozenset({"the", "a", "an"})

_GIVEN_NAMES = FEMALE_NAMES | MALE_NAMES
_ROLE_NOUNS = frozenset(role for role in TITLES.values() if role is not None)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_INITIAL = re.compile(r"^(?:[a-z]\.)+$|^[a-z]$")
_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}«»“”"

# Words of a role that say nothing about which position it is.
_ROLE_STOP = frozenset(
    {"the", "a", "an", "of", "for", "at", "in", "on", "to", "with", "from", "and", "its"}
    | {"his", "her", "their", "who", "which", "that", "is", "was", "has", "been", "as", "by"}
    | {"former", "then", "current", "new", "outgoing", "incoming", "ex", "longtime", "now"}
)
# A role's head comes before these words: "chairman of the union", "spokesman for ...".
_ROLE_CUT = frozenset({"of", "for", "at", "in", "on", "to", "with", "from", "and", "by"})
_RELATIVE = frozenset({"who", "which", "that", "whose", "whom", "where", "when", "while"})


def fold(text: str) -> str:
    """Case-folded, diacritics removed, apostrophes straight, runs of white space one space."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def words(text: str) -> list[str]:
    """Folded words without possessive endings or edge punctuation ("Merkel's" -> merkel)."""
    found: list[str] = []
    for raw in fold(text).replace(",", " , ").split():
        word = raw.strip(_EDGE_PUNCTUATION.replace(".", ""))
        if word.endswith("'s"):
            word = word[:-2]
        word = word.strip(_EDGE_PUNCTUATION.replace(".", "")).rstrip(",")
        if word and word != "s":
            found.append(word)
    return found


@dataclass(frozen=True)
class PersonName:
    """A person's name taken apart: ``Chancellor Angela D. Merkel`` -> angela, (d,), merkel."""

    surname: str
    """The last name, with a generational suffix kept on it (``trump jr``)."""
    first: str | None = None
    """The given name; None for a surname alone ("Merkel", "Chancellor Merkel")."""
    middle: tuple[str, ...] = ()
    """Middle names and initials (an initial is one letter, its dots dropped)."""
    titles: tuple[str, ...] = ()
    """Role nouns of the titles taken off the front (``chancellor``)."""

    @property
    def is_full(self) -> bool:
        return self.first is not None


def person_name(name: str) -> PersonName | None:
    """The parts of a person's name, or None when nothing but titles is left."""
    tokens = [w for w in words(name) if w.strip(".-")]
    titles: list[str] = []
    while tokens and (tokens[0] in _DETERMINERS or tokens[0].rstrip(".") in TITLES):
        role = TITLES.get(tokens.pop(0).rstrip("."))
        if role is not None:
            titles.append(role)
    suffix: list[str] = []
    while len(tokens) > 1 and tokens[-1].rstrip(".") in _SUFFIXES:
        suffix.insert(0, tokens.pop().rstrip("."))
    tokens = [_name_part(t) for t in tokens]
    if len(tokens) >= 3 and tokens[0] not in _GIVEN_NAMES and tokens[1] in _GIVEN_NAMES:
        # An epithet in front of a known given name: "Crooked Hillary Clinton".
        tokens = tokens[1:]
    if not tokens:
        return None
    surname = " ".join([tokens[-1], *suffix])
    if len(tokens) == 1:
        return PersonName(surname=surname, titles=tuple(titles))
    return PersonName(surname, tokens[0], tuple(tokens[1:-1]), tuple(titles))


def _name_part(token: str) -> str:
    # "J." and "H.W." are initials: compare their letters ("j", "hw").
    return token.replace(".", "") if _INITIAL.match(token) else token.rstrip(".")


# Short forms of given names that stand for one formal name only, so that "Joe Crowley" in
# one paper and "Joseph Crowley" in another are one person. Forms shared by several names
# ("Pat": Patrick or Patricia, "Chris", "Sam", "Ted", "Al", "Alex", "Jack", "Harry", "Will",
# "Bert") are left out, and so are those that are given names in their own right as often as
# not ("Jeb", "Jerry", "Gene"). "Stephen" and "Steven" are one name in two spellings.
_FORMAL_GIVEN_NAMES: dict[str, str] = {
    **dict.fromkeys(("joe", "joey"), "joseph"),
    **dict.fromkeys(("bill", "billy"), "william"),
    **dict.fromkeys(("bob", "bobby", "rob", "robby"), "robert"),
    **dict.fromkeys(("mike", "mikey"), "michael"),
    **dict.fromkeys(("jim", "jimmy"), "james"),
    **dict.fromkeys(("tom", "tommy"), "thomas"),
    **dict.fromkeys(("dick", "rick", "ricky", "rich"), "richard"),
    **dict.fromkeys(("dave", "davey"), "david"),
    **dict.fromkeys(("steve", "stephen"), "steven"),
    **dict.fromkeys(("ben", "benji"), "benjamin"),
    **dict.fromkeys(("ken", "kenny"), "kenneth"),
    **dict.fromkeys(("len", "lenny"), "leonard"),
    **dict.fromkeys(("larry",), "lawrence"),
    **dict.fromkeys(("chuck", "charlie"), "charles"),
    **dict.fromkeys(("tony",), "anthony"),
    **dict.fromkeys(("ron", "ronnie"), "ronald"),
    **dict.fromkeys(("don", "donnie"), "donald"),
    **dict.fromkeys(("ed", "eddie"), "edward"),
    **dict.fromkeys(("matt",), "matthew"),
    **dict.fromkeys(("andy",), "andrew"),
    **dict.fromkeys(("nick",), "nicholas"),
    **dict.fromkeys(("greg",), "gregory"),
    **dict.fromkeys(("tim", "timmy"), "timothy"),
    **dict.fromkeys(("dan", "danny"), "daniel"),
    **dict.fromkeys(("johnny",), "john"),
    **dict.fromkeys(("bernie",), "bernard"),
    **dict.fromkeys(("mitch",), "mitchell"),
    **dict.fromkeys(("newt",), "newton"),
    **dict.fromkeys(("phil",), "philip"),
    **dict.fromkeys(("vince",), "vincent"),
    **dict.fromkeys(("walt",), "walter"),
    **dict.fromkeys(("fred", "freddy"), "frederick"),
    **dict.fromkeys(("hank",), "henry"),
    **dict.fromkeys(("liz", "beth", "betsy", "betty"), "elizabeth"),
    **dict.fromkeys(("kathy", "katie"), "katherine"),
    **dict.fromkeys(("sue", "susie"), "susan"),
    **dict.fromkeys(("jen", "jenny"), "jennifer"),
    **dict.fromkeys(("debbie", "deb"), "deborah"),
    **dict.fromkeys(("barb",), "barbara"),
    **dict.fromkeys(("peggy",), "margaret"),
}


def formal_given_name(first: str) -> str:
    """The formal given name a short form stands for ("joe" -> "joseph"), else ``first``."""
    return _FORMAL_GIVEN_NAMES.get(first, first)


def same_person_name(a: PersonName, b: PersonName) -> bool:
    """Whether two full names can be one person: same given name (a short form agrees with
    its formal name: "Joe", "Joseph") and surname, and middle parts that agree where both
    have them (a missing middle agrees with any)."""
    if a.first is None or b.first is None or a.surname != b.surname:
        return False
    if formal_given_name(a.first) != formal_given_name(b.first):
        return False
    if not a.middle or not b.middle:
        return True
    if len(a.middle) != len(b.middle):
        return False
    return all(_same_part(x, y) for x, y in zip(a.middle, b.middle, strict=True))


def _same_part(x: str, y: str) -> bool:
    """ "d" agrees with "d" and "dorothea"; "rodham" with "rodham"."""
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) == 1 and long.startswith(short)


def given_name_gender(first: str | None) -> str | None:
    """ "female" or "male" for a given name the lexicon knows for one gender only."""
    if first is None:
        return None
    female, male = first in FEMALE_NAMES, first in MALE_NAMES
    return "female" if female and not male else "male" if male and not female else None


def honorific_gender(text: str) -> str | None:
    """The gender an honorific at the start of ``text`` gives ("Mrs. Clinton": female)."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return HONORIFICS.get(first) or HONORIFICS.get(first.rstrip("."))


def role_gender(head: str) -> str | None:
    """ "spokeswoman": female, "businessman": male (the role lexicon's suffixes)."""
    if head.endswith(FEMALE_ROLE_SUFFIXES):
        return "female"
    if head.endswith(MALE_ROLE_SUFFIXES) and not head.endswith("human"):
        return "male"
    return None


def organization_key(name: str) -> str:
    """An organisation's comparison form: "The U.S. Federal Reserve's" -> "us federal reserve";
    a person's possession keeps only the surname ("Hillary Clinton's campaign" and "Mrs.
    Clinton's campaign" -> "clinton campaign")."""
    name = _person_possessor_to_surname(name)
    parts = [w.replace(".", "").replace("&", "and") for w in words(name) if w != ","]
    parts = [p.strip("-") for p in parts if p.strip("-")]
    while parts and parts[0] in _DETERMINERS:
        parts = parts[1:]
    return " ".join(parts)


def _person_possessor_to_surname(name: str) -> str:
    possessor, separator, rest = name.translate(_APOSTROPHES).partition("'s ")
    if not separator or not rest.strip():
        return name
    first_word = fold(possessor).split(" ", 1)[0].rstrip(".") if possessor.strip() else ""
    person = person_name(possessor)
    if person is None or not (person.first in _GIVEN_NAMES or first_word in TITLES):
        return name
    return f"{person.surname} {rest}"


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` ("IMF", "Fed") abbreviates the whole of ``long`` ("the International
    Monetary Fund", "Federal Reserve"): its initials, or the start of its first word."""
    phrase = _PHRASE_WORD.findall(long)
    while phrase and phrase[0].lower() in _LINKING_WORDS:
        phrase = phrase[1:]
    if len(phrase) < 2 or not _ABBREVIATION_FORM.match(short) or " " in short.strip():
        return False
    return _matching_tail(phrase, short.strip()) == " ".join(phrase)


def is_name_like(alias: str) -> bool:
    """An alias that names an organisation rather than describing it: capitalised, short,
    no apposition, more than a bare organisation noun ("Fed", not "the union")."""
    if "," in alias or len(alias.split()) > 8:
        return False
    tokens = [t for t in alias.split() if fold(t) not in _DETERMINERS]
    if not tokens or not any(t[:1].isupper() for t in tokens):
        return False
    key = organization_key(alias)
    return bool(key) and key not in ORGANIZATION_HEADS


@dataclass(frozen=True)
class RoleTerms:
    """A role reduced to its head noun and its other content words."""

    head: str
    words: frozenset[str]
    titles: frozenset[str] = frozenset()
    """Title nouns before the head ("New Jersey Gov. R, a staunch ally": governor)."""

    @property
    def modifiers(self) -> frozenset[str]:
        return self.words - {self.head}

    @property
    def heads(self) -> frozenset[str]:
        """The head and the title nouns: that role is a governor as well as an ally."""
        return self.titles | {self.head}


@lru_cache(maxsize=65536)
def role_terms(role: str) -> RoleTerms | None:
    """ "chairman of the Estmark Dockworkers' Union" -> head chairman, words {chairman, estmark,
    dockworkers, union}; None for a role with no content word. A relative clause or anything
    after a comma ("..., who has endorsed Senator Sanders") is not part of the role. Cached:
    the same roles come back in article after article."""
    parts = _role_parts(role)
    head_part: list[str] = []
    for part in parts:
        if part in _ROLE_CUT:
            if head_part:
                break
            continue
        head_part.append(part)
    content = [p for p in head_part if p not in _ROLE_STOP and (p.isalpha() or "-" in p)]
    if not content:
        return None
    titles = frozenset(p for p in content if p in _ROLE_NOUNS)
    every = frozenset(p for p in parts if p not in _ROLE_STOP)
    return RoleTerms(head=content[-1], words=every, titles=titles)


def _role_parts(role: str) -> list[str]:
    """The role's words up to a comma or relative clause, titles spelled out ("Sen." is a
    senator) and honorifics dropped ("Mr." says nothing about a position)."""
    parts: list[str] = []
    for word in words(role):
        bare = word.replace(".", "")
        if word == "," or bare in _RELATIVE:
            break
        if bare in TITLES and TITLES[bare] is None:
            continue
        parts.append(TITLES.get(bare) or bare)
    return parts


def role_classes(head: str) -> frozenset[str]:
    """The head and the synonym groups of the role lexicon it belongs to ("chief" is both a
    leader and a commander), so heads can be compared by intersection."""
    groups = {f"#{n}" for n, group in enumerate(ROLE_SYNONYMS) if head in group}
    return frozenset({head, *groups})


def is_specific_description(terms: RoleTerms) -> bool:
    """A description that can single out one person corpus-wide: a person noun as head
    (not "ministry", not "officials") and at least one word that narrows it down."""
    if terms.head in ORGANIZATION_HEADS or terms.head in VAGUE_HEADS:
        return False
    return bool(terms.modifiers)


_ABBREVIATION = re.compile(r"\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)")
_ABBREVIATION_FORM = re.compile(r"^\s*[A-Z][A-Za-z.&]{1,9}\s*$")
_PHRASE_WORD = re.compile(r"[\w&'’.-]+")
_LINKING_WORDS = frozenset({"of", "the", "and", "for", "on", "&", "de", "du", "des", "la"})
_LOOKBACK = 120


def abbreviation_pairs(text: str) -> list[tuple[str, str]]:
    """``(long form, abbreviation)`` pairs written as "the Federal Reserve (Fed)" or "Federal
    Bureau of Investigation (FBI)": the abbreviation must be the initials of the capitalised
    words before the parenthesis, or the start of their first word."""
    pairs: list[tuple[str, str]] = []
    for match in _ABBREVIATION.finditer(text):
        short = match.group(1)
        before = text[max(0, match.start() - _LOOKBACK) : match.start()]
        phrase = _capitalised_run(_PHRASE_WORD.findall(before))
        long = _matching_tail(phrase, short)
        if long is not None:
            pairs.append((long, short))
    return pairs


def _capitalised_run(tokens: list[str]) -> list[str]:
    """The trailing run of capitalised words (and linking words inside it)."""
    run: list[str] = []
    for token in reversed(tokens):
        if token[:1].isupper() or (run and token.lower() in _LINKING_WORDS):
            run.insert(0, token)
        else:
            break
    while run and run[0].lower() in _LINKING_WORDS:
        run.pop(0)
    return run


def _matching_tail(phrase: list[str], short: str) -> str | None:
    """The shortest tail of ``phrase`` that ``short`` abbreviates."""
    letters = short.replace(".", "").replace("&", "").upper()
    for size in range(1, len(phrase) + 1):
        tail = phrase[-size:]
        if tail[0].lower() in _LINKING_WORDS:
            continue
        initials = "".join(w[0] for w in tail if w.lower() not in _LINKING_WORDS).upper()
        # "Fed" for "Federal Reserve": the start of a longer, not all-capital first word.
        prefix = (
            len(letters) >= 3
            and size <= 3
            and len(tail[0]) > len(letters)
            and not tail[0].isupper()
            and tail[0].upper().startswith(letters)
        )
        if (len(letters) >= 2 and initials == letters) or prefix:
            return " ".join(tail)
    return None
