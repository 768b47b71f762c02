"""One speaker everywhere: link the speakers of different articles that are the same.

In-article resolution gives every statement a canonical name within its article; the store
turns ``(speaker_type, name)`` into a speaker id, so "Angela Merkel" in one article and
"Merkel" in another are two ids. This pass merges ids when the evidence is sufficient:

* **name variants** of a full name: titles, middle names and initials, case, diacritics and
  possessives ("Hillary Rodham Clinton" / "Hillary Clinton", "Donald J. Trump"), a short
  given name and the formal one it stands for ("Joe Crowley" / "Joseph Crowley";
  ``speaker_names.formal_given_name``), unless another
  name makes the pair ambiguous ("George Bush" next to "George W." and "George H. W. Bush");
  "Jr." stays part of the surname, so a father and son never merge;
* **a surname alone** ("Merkel", "Chancellor Merkel") into the full-name person with that
  surname when there is exactly one (corpus-wide, or seen within ``window_days``) and their
  roles do not disagree; candidates of the other gender ("Mr. Obama" is not Michelle Obama)
  are out; among several, the one that role overlap, being quoted in the same article, or
  sharing clearly more co-speakers singles out, else none. A given name alone ("Hillary")
  joins the one full name with that given name quoted in the same article;
* **a description only** ("the German chancellor": a statement whose article never names the
  speaker) to the one person seen within the window, of the description's gender if its
  head has one ("spokeswoman"), with a role of the same head (or a synonym from the role
  lexicon) whose words share the most of the description's other words, and strictly more
  than anyone else; a description of a head alone ("the spokesman") links nowhere;
* **organisations** by normalised name ("Kembara's interior ministry" / "Kembara’s Interior
  Ministry", "Mrs. Clinton's campaign" / "Hillary Clinton's campaign"), by initials when both
  forms speak in one article ("the International Monetary Fund" / "the IMF"), and by
  abbreviations an article pairs with a name ("the Federal Reserve (Fed)"): such a pair is
  also recorded as an alias, so a later "Fed" finds it. Persons and organisations are never
  merged with each other.

``plan_speaker_links`` is a pure function over ``SpeakerProfile`` records; ``link_speakers``
reads the profiles, runs it and applies the plan in one transaction with the watermark. The
pass is incremental: only speakers quoted in articles past the ``speakers`` watermark (and
the description-only statements of those articles) start a rule, found through indexes by
surname, given name and organisation key; what was decided before is not reopened.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations, islice

from quotegraph.corpus.speaker_names import (
    PersonName,
    RoleTerms,
    abbreviates,
    abbreviation_pairs,
    formal_given_name,
    given_name_gender,
    honorific_gender,
    is_name_like,
    is_specific_description,
    organization_key,
    person_name,
    role_classes,
    role_gender,
    role_terms,
    same_person_name,
)
from quotegraph.corpus.stories import parse_day
from quotegraph.extract.lexicon import ORGANIZATION_HEADS
from quotegraph.store import Store
from quotegraph.types import (
    DescriptionLink,
    SpeakerDescription,
    SpeakerLinkPlan,
    SpeakerMerge,
    SpeakerProfile,
)

PASS_NAME = "speakers"
"""The pass's row in ``corpus_state``: its watermark is the highest ``articles.id`` linked."""

DEFAULT_WINDOW_DAYS = 60
"""How far apart in time a surname or a description and the person it stands for may be."""

_MAX_VARIANT_GROUP = 50
"""Full names sharing given name and surname compared pairwise; a larger group is skipped."""
_MAX_DESCRIPTION_WORDS = 6
_MIN_CO_SPEAKERS = 2


def link_speakers(store: Store, *, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Link the speakers of articles stored since the last run; returns ids merged away."""
    watermark = store.pass_watermark(PASS_NAME)
    upper = store.last_article_key()
    if upper <= watermark:
        return 0
    profiles = store.speaker_profiles(watermark, upper)
    described = store.described_speakers(watermark, upper)
    pairs = [
        pair
        for _, text in store.article_texts_between(watermark, upper)
        for pair in abbreviation_pairs(text)
    ]
    plan = plan_speaker_links(profiles, described, pairs, window_days=window_days)
    store.apply_speaker_links(plan, PASS_NAME, upper)
    return len(plan.merges)


def plan_speaker_links(
    profiles: Iterable[SpeakerProfile],
    descriptions: Iterable[SpeakerDescription] = (),
    abbreviations: Iterable[tuple[str, str]] = (),
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> SpeakerLinkPlan:
    """Decide merges and description links; only profiles with ``is_new`` start a rule.

    ``abbreviations`` are ``(long form, abbreviation)`` pairs found in the new articles.
    """
    index = _Index.build(profiles)
    clusters = _Clusters(index.rank)
    window = timedelta(days=window_days)
    _link_variants(index, clusters)
    _link_organizations(index, clusters)
    _link_initials(index, clusters)
    aliases = _link_abbreviations(index, clusters, abbreviations)
    _link_surnames(index, clusters, window)
    links = _link_descriptions(index, clusters, descriptions, window)
    return SpeakerLinkPlan(merges=clusters.merges(), descriptions=links, aliases=aliases)


# --------------------------------------------------------------------------- the index


@dataclass
class _Index:
    """The profiles with their parsed names, indexed by the keys the rules look up."""

    profiles: dict[str, SpeakerProfile]
    names: dict[str, PersonName]
    roles: dict[str, list[RoleTerms]]
    by_variant: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    full_by_surname: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    full_by_first: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    genders: dict[str, str] = field(default_factory=dict)
    short_by_surname: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    orgs_by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_article: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    new_variants: set[tuple[str, str]] = field(default_factory=set)
    new_surnames: set[str] = field(default_factory=set)
    new_org_keys: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    new_org_articles: set[str] = field(default_factory=set)
    class_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    dates: dict[str, tuple[date, date]] = field(default_factory=dict)

    @classmethod
    def build(cls, profiles: Iterable[SpeakerProfile]) -> _Index:
        index = cls({}, {}, {})
        for profile in profiles:
            index.add(profile)
        return index

    def add(self, profile: SpeakerProfile) -> None:
        sid = profile.speaker_id
        self.profiles[sid] = profile
        first = parse_day(profile.first_published) or parse_day(profile.last_published)
        last = parse_day(profile.last_published) or first
        if first is not None and last is not None:
            self.dates[sid] = (first, last)
        for article_id in profile.article_ids:
            self.by_article[article_id].append(sid)
        if profile.speaker_type == "person":
            self._add_person(profile)
        elif profile.speaker_type == "organization":
            self._add_organization(profile)

    def _add_person(self, profile: SpeakerProfile) -> None:
        name = person_name(profile.name)
        if name is None:
            return
        sid = profile.speaker_id
        self.names[sid] = name
        gender = _gender(profile, name)
        if gender is not None:
            self.genders[sid] = gender
        if name.first is not None:
            variant = (formal_given_name(name.first), name.surname)
            self.by_variant[variant].append(sid)
            self.full_by_first[name.first].append(sid)
            # "Biden" may stand for "Joseph R. Biden Jr.": a suffixed name is found by its
            # bare surname too (but "Donald Trump" never shares a variant key with "Jr.").
            for surname in {name.surname, name.surname.split(" ", 1)[0]}:
                self.full_by_surname[surname].append(sid)
            if profile.is_new:
                self.new_variants.add(variant)
        else:
            self.short_by_surname[name.surname].append(sid)
        if profile.is_new:
            self.new_surnames.add(name.surname.split(" ", 1)[0])
            self.new_surnames.add(name.surname)

    def _add_organization(self, profile: SpeakerProfile) -> None:
        self.organizations.add(profile.speaker_id)
        if profile.is_new:
            self.new_org_articles.update(profile.article_ids)
        keys = {organization_key(profile.name)}
        keys |= {organization_key(a) for a in profile.aliases if is_name_like(a)}
        for key in keys - {""}:
            self.orgs_by_key[key].append(profile.speaker_id)
            if profile.is_new:
                self.new_org_keys.add(key)

    def rank(self, speaker_id: str) -> tuple[int, int, int, str]:
        """Which id of a cluster survives: a full name over a surname, a long organisation
        name over an abbreviation, then the most quoted, then the one stored first."""
        profile = self.profiles[speaker_id]
        if profile.speaker_type == "person":
            name = self.names.get(speaker_id)
            fullness = 1 if name is not None and name.is_full else 0
        else:
            fullness = 0 if _looks_abbreviated(profile.name) else 1
        return (fullness, profile.statement_count, 0 if profile.is_new else 1, speaker_id)

    def roles_of(self, speaker_id: str) -> list[RoleTerms]:
        """A speaker's roles taken apart (on first use: most speakers never need it)."""
        found = self.roles.get(speaker_id)
        if found is None:
            texts = self.profiles[speaker_id].roles
            found = [t for t in map(role_terms, texts) if t is not None]
            self.roles[speaker_id] = found
        return found

    def role_classes_of(self, speaker_id: str) -> frozenset[str]:
        """The heads of one speaker's roles and titles with their synonym groups (cached)."""
        cached = self.class_cache.get(speaker_id)
        if cached is None:
            heads = {h for terms in self.roles_of(speaker_id) for h in terms.heads}
            heads |= self.title_roles(speaker_id)
            cached = frozenset(c for head in heads for c in role_classes(head))
            self.class_cache[speaker_id] = cached
        return cached

    def title_roles(self, speaker_id: str) -> set[str]:
        """Role nouns of the titles in a person's name ("Chancellor Merkel": chancellor)."""
        name = self.names.get(speaker_id)
        return set(name.titles) if name is not None else set()


def _gender(profile: SpeakerProfile, name: PersonName) -> str | None:
    """From the given name if the lexicon knows it, else from honorifics ("Mr.", "Mrs.")
    in the roles and aliases, when they all agree."""
    known = given_name_gender(name.first)
    if known is not None:
        return known
    found = {honorific_gender(text) for text in (*profile.roles, *profile.aliases)} - {None}
    return found.pop() if len(found) == 1 else None


def _looks_abbreviated(name: str) -> bool:
    letters = name.replace(".", "").replace("the ", "").strip()
    return " " not in letters and len(letters) <= 6


# --------------------------------------------------------------------------- clusters


class _Clusters:
    """Union-find over speaker ids; each cluster's root is its best-ranked id."""

    def __init__(self, rank: Callable[[str], tuple[int, int, int, str]]) -> None:
        self._rank = rank
        self._parent: dict[str, str] = {}
        self._reason: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}

    def find(self, speaker_id: str) -> str:
        root = speaker_id
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while speaker_id != root:  # path compression
            self._parent[speaker_id], speaker_id = root, self._parent[speaker_id]
        return root

    def members(self, speaker_id: str) -> list[str]:
        root = self.find(speaker_id)
        return self._members.get(root, [root])

    def union(self, a: str, b: str, reason: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        keep, lose = sorted((root_a, root_b), key=self._rank, reverse=True)
        joined = self._members.pop(keep, [keep]) + self._members.pop(lose, [lose])
        self._parent[lose] = keep
        self._reason[lose] = reason
        self._members[keep] = joined

    def merges(self) -> tuple[SpeakerMerge, ...]:
        """Every merged-away id with the root it joins and the rule that joined it."""
        found: list[SpeakerMerge] = []
        for root, members in sorted(self._members.items()):
            for member in sorted(members):
                if member != root:
                    found.append(SpeakerMerge(member, root, self._reason[member]))
        return tuple(found)


# --------------------------------------------------------------------------- rules


def _link_variants(index: _Index, clusters: _Clusters) -> None:
    """Full names with the same given name and surname whose middles agree."""
    for key in sorted(index.new_variants):
        group = index.by_variant[key]
        if len(group) < 2 or len(group) > _MAX_VARIANT_GROUP:
            continue
        for a, b in combinations(group, 2):
            if _unambiguous_pair(index, group, a, b):
                clusters.union(a, b, "variant")


def _unambiguous_pair(index: _Index, group: list[str], a: str, b: str) -> bool:
    """``a`` and ``b`` can be one person and no third name fits one of them but not the
    other ("George Bush" fits both "George W. Bush" and "George H. W. Bush")."""
    name_a, name_b = index.names[a], index.names[b]
    if not same_person_name(name_a, name_b):
        return False
    others = (index.names[c] for c in group if c not in (a, b))
    return all(same_person_name(c, name_a) == same_person_name(c, name_b) for c in others)


def _link_organizations(index: _Index, clusters: _Clusters) -> None:
    for key in sorted(index.new_org_keys):
        if key in ORGANIZATION_HEADS:
            continue  # "ministry" alone names no one organisation
        group = index.orgs_by_key[key]
        for other in group[1:]:
            clusters.union(group[0], other, "organization")


def _link_initials(index: _Index, clusters: _Clusters) -> None:
    """ "The International Monetary Fund" and "the IMF" quoted in the same article."""
    for article_id in sorted(index.new_org_articles):
        orgs = [sid for sid in index.by_article[article_id] if sid in index.organizations]
        for a, b in combinations(orgs, 2):
            name_a, name_b = index.profiles[a].name, index.profiles[b].name
            if abbreviates(name_a, name_b) or abbreviates(name_b, name_a):
                clusters.union(a, b, "abbreviation")


def _link_abbreviations(
    index: _Index, clusters: _Clusters, pairs: Iterable[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """Merge "Federal Reserve" and "Fed" when an article pairs them; when only one of them
    speaks so far, record the other as its alias so a later speaker finds it."""
    aliases: set[tuple[str, str]] = set()
    for long, short in pairs:
        longs = index.orgs_by_key.get(organization_key(long), [])
        shorts = index.orgs_by_key.get(organization_key(short), [])
        for other in [*longs[1:], *shorts]:
            clusters.union((longs or shorts)[0], other, "abbreviation")
        if longs and not shorts:
            aliases.add((longs[0], short))
        elif shorts and not longs:
            aliases.add((shorts[0], long))
    return tuple(sorted((clusters.find(sid), alias) for sid, alias in aliases))


def _link_surnames(index: _Index, clusters: _Clusters, window: timedelta) -> None:
    for surname in sorted(index.new_surnames):
        full = index.full_by_surname.get(surname, [])
        for short in index.short_by_surname.get(surname, []):
            candidates = sorted({clusters.find(sid) for sid in full})
            candidates = [c for c in candidates if _genders_agree(index, clusters, short, c)]
            chosen = _choose_person(index, clusters, short, candidates, window)
            if chosen is None and not full:
                chosen = _by_given_name(index, clusters, short, surname)
            if chosen is not None:
                clusters.union(short, chosen, "surname")


def _by_given_name(index: _Index, clusters: _Clusters, short: str, word: str) -> str | None:
    """ "Hillary" alone, in an article that also quotes "Hillary Clinton": the one full name
    with that given name quoted in the same article (a given name no one has as surname)."""
    near = {
        clusters.find(sid)
        for sid in index.full_by_first.get(word, [])
        if _shares_article(index, clusters, short, sid)
        and _genders_agree(index, clusters, short, sid)
    }
    return near.pop() if len(near) == 1 else None


def _gender_of(index: _Index, clusters: _Clusters, speaker_id: str) -> str | None:
    found = {index.genders.get(m) for m in clusters.members(speaker_id)} - {None}
    return found.pop() if len(found) == 1 else None


def _genders_agree(index: _Index, clusters: _Clusters, a: str, b: str) -> bool:
    """ "Mr. Obama" is not Michelle Obama; unknown genders agree with everyone."""
    gender_a, gender_b = _gender_of(index, clusters, a), _gender_of(index, clusters, b)
    return gender_a is None or gender_b is None or gender_a == gender_b


def _choose_person(
    index: _Index, clusters: _Clusters, short: str, candidates: list[str], window: timedelta
) -> str | None:
    """The one candidate the evidence points to, or None."""
    near = [c for c in candidates if _overlap_in_time(index, clusters, short, c, window)]
    for unique in (candidates, near):
        if len(unique) == 1:
            only = unique[0]
            return only if _roles_agree(index, clusters, short, only) else None
    pool = [c for c in (near or candidates) if _roles_agree(index, clusters, short, c)]
    for evidence in (_shares_role, _shares_article):
        hits = [c for c in pool if evidence(index, clusters, short, c)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            pool = hits
    return _most_shared_co_speakers(index, clusters, short, pool) if pool else None


def _role_classes_of(index: _Index, clusters: _Clusters, speaker_id: str) -> set[str]:
    found: set[str] = set()
    for member in clusters.members(speaker_id):
        found |= index.role_classes_of(member)
    return found


def _roles_agree(index: _Index, clusters: _Clusters, a: str, b: str) -> bool:
    """No contradiction: one side has no role, or their roles share a head (or synonym)."""
    roles_a = _role_classes_of(index, clusters, a)
    roles_b = _role_classes_of(index, clusters, b)
    return not roles_a or not roles_b or bool(roles_a & roles_b)


def _shares_role(index: _Index, clusters: _Clusters, a: str, b: str) -> bool:
    return bool(_role_classes_of(index, clusters, a) & _role_classes_of(index, clusters, b))


def _articles_of(index: _Index, clusters: _Clusters, speaker_id: str) -> set[str]:
    return {
        article_id
        for member in clusters.members(speaker_id)
        for article_id in index.profiles[member].article_ids
    }


def _shares_article(index: _Index, clusters: _Clusters, a: str, b: str) -> bool:
    return bool(_articles_of(index, clusters, a) & _articles_of(index, clusters, b))


def _co_speakers(index: _Index, clusters: _Clusters, speaker_id: str) -> set[str]:
    """Clusters of the other speakers quoted in the same articles."""
    own = clusters.find(speaker_id)
    found = {
        clusters.find(other)
        for article_id in _articles_of(index, clusters, speaker_id)
        for other in index.by_article[article_id]
    }
    return found - {own}


def _most_shared_co_speakers(
    index: _Index, clusters: _Clusters, short: str, pool: Sequence[str]
) -> str | None:
    """The candidate quoted alongside clearly more of the same people (at least twice as
    many as the runner-up, and at least two), else None."""
    around = _co_speakers(index, clusters, short)
    scored = sorted(
        ((len(around & _co_speakers(index, clusters, c)), c) for c in pool), reverse=True
    )
    best, chosen = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0
    if best >= _MIN_CO_SPEAKERS and best >= 2 * second:
        return chosen
    return None


def _overlap_in_time(index: _Index, clusters: _Clusters, a: str, b: str, window: timedelta) -> bool:
    return _spans_meet(_date_span(index, clusters, a), _date_span(index, clusters, b), window)


_DateSpan = tuple[date, date] | None


def _date_span(index: _Index, clusters: _Clusters, speaker_id: str) -> _DateSpan:
    spans = [span for m in clusters.members(speaker_id) if (span := index.dates.get(m))]
    if not spans:
        return None
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def _spans_meet(a: _DateSpan, b: _DateSpan, window: timedelta) -> bool:
    """Undated speakers meet everyone; dated ones when their spans come within ``window``."""
    if a is None or b is None:
        return True
    return a[0] - window <= b[1] and b[0] - window <= a[1]


def _link_descriptions(
    index: _Index,
    clusters: _Clusters,
    descriptions: Iterable[SpeakerDescription],
    window: timedelta,
) -> tuple[DescriptionLink, ...]:
    pending = list(descriptions)
    if not pending:
        return ()
    days = [parse_day(d.published) for d in pending]
    dated = [d for d in days if d is not None]
    around: _DateSpan = (min(dated), max(dated)) if dated and len(dated) == len(days) else None
    people = _PeopleByRole.build(index, clusters, around, window)
    # The same description on the same day has the same answer: news repeats itself.
    answers: dict[tuple[str, str | None], str | None] = {}
    links: list[DescriptionLink] = []
    for described in pending:
        key = (described.description.casefold(), (described.published or "")[:10] or None)
        if key not in answers:
            answers[key] = _described_person(people, described, window)
        target = answers[key]
        if target is not None:
            links.append(
                DescriptionLink(
                    described.statement_id, target, described.description, described.mention
                )
            )
    return tuple(links)


def _described_person(
    people: _PeopleByRole, described: SpeakerDescription, window: timedelta
) -> str | None:
    terms = role_terms(described.description)
    if (
        terms is None
        or not is_specific_description(terms)
        or len(described.description.split()) > _MAX_DESCRIPTION_WORDS
    ):
        return None
    when = parse_day(described.published)
    return people.match(terms, (when, when) if when is not None else None, window)


@dataclass
class _PeopleByRole:
    """Person clusters indexed for descriptions by (role head class, role word), with each
    cluster's role words, dates and gender worked out once."""

    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    spans: dict[str, _DateSpan] = field(default_factory=dict)
    genders: dict[str, str | None] = field(default_factory=dict)
    by_class_word: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(
        cls, index: _Index, clusters: _Clusters, around: _DateSpan, window: timedelta
    ) -> _PeopleByRole:
        """Index the people seen within ``window`` of ``around`` (everyone if it is None)."""
        people = cls()
        members: dict[str, list[str]] = defaultdict(list)
        for sid in index.names:
            members[clusters.find(sid)].append(sid)
        for root, sids in members.items():
            span = _date_span(index, clusters, root)
            if not _spans_meet(around, span, window):
                continue
            heads: set[str] = set()
            for sid in sids:
                for terms in index.roles_of(sid):
                    people.words[root] |= terms.words
                    heads |= terms.heads
                people.words[root] |= index.title_roles(sid)
                heads |= index.title_roles(sid)
            if not heads:
                continue
            people.spans[root] = span
            people.genders[root] = _gender_of(index, clusters, root)
            for role_class in {c for head in heads for c in role_classes(head)}:
                for word in people.words[root]:
                    people.by_class_word[(role_class, word)].add(root)
        return people

    def match(self, terms: RoleTerms, span: _DateSpan, window: timedelta) -> str | None:
        """The person, seen within the window and of the description's gender if it has one
        ("spokeswoman"), with a role of the description's head (or a synonym) whose words
        share the most of the description's other words: at least one, and strictly more
        than any other such person."""
        classes = role_classes(terms.head)
        per_word = [self._with_word(classes, word) for word in sorted(terms.modifiers)]
        if not per_word:
            return None
        gender = role_gender(terms.head)

        def fits(root: str) -> bool:
            return _spans_meet(span, self.spans[root], window) and (
                gender is None or self.genders[root] in (None, gender)
            )

        # Most descriptions are decided by the people who have all of their words, so the
        # per-person counts over every word are only taken when nobody fits at that level.
        # Order does not matter: one fitting person is the answer, two are a tie.
        everyone = set.intersection(*sorted(per_word, key=len))
        scores: Counter[str] | None = None
        for level in range(len(per_word), 0, -1):
            if level == len(per_word):
                group: Iterable[str] = everyone
            else:
                if scores is None:
                    scores = Counter(root for found in per_word for root in found)
                group = (root for root, n in scores.items() if n == level)
            fitting = list(islice((root for root in group if fits(root)), 2))
            if fitting:
                return fitting[0] if len(fitting) == 1 else None
        return None

    def _with_word(self, classes: frozenset[str], word: str) -> set[str]:
        found = [self.by_class_word.get((role_class, word), set()) for role_class in classes]
        return found[0] if len(found) == 1 else set().union(*found)
