"""Stage 3: hierarchical Anki tags for each record.

Topic tags (``topic::<topic>::<subtopic>``) come from the taxonomy in ``taxonomy.toml``:
every term found in a record scores its subtopic, question words three times as much as
answer words, each term once per field, with longer phrases counting more, the question's
first specific term (its subject) a little more, and "weak" scene-setting terms
("transformer", "neural network") little. The first tag is the topic the
question is mostly about (judged on the question; the answer decides only when the question
names nothing); up to two more topics follow when the text is substantially about them too.
A follow-up is judged on its own words, its parent's question used only when it says nothing
specific by itself ("How does it help?"). A record the taxonomy says nothing about gets its
source's most common topic.

Source tags say where a card came from: ``source::<deck-slug>``, the source's own section
below it, and ``followup`` for follow-up questions. Anki splits tags on whitespace and uses
``::`` for hierarchy, so every part is a slug.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import compress, count
from operator import attrgetter

from .record import Record
from .sources import Source, slugify

QUESTION_WEIGHT = 3.0
ANSWER_WEIGHT = 1.0
PARENT_WEIGHT = 1.0
WEAK_WEIGHT = 0.25
BROAD_WEIGHT = 0.6
SUBJECT_BONUS = 1.5  # the question's first specific term is usually what it is about
COMPARED_WEIGHT = 0.4  # terms naming what the subject is compared against
_COMPARISON = re.compile(r"\b(?:differ\w*|distinguish\w*|advantages?|better|compare\w*|versus|vs)\b")
_COMPARED_AGAINST = re.compile(r"\b(?:over|from|than|versus|vs|compared (?:to|with))\b")
MAX_TOPICS = 3
RUNNER_UP_SHARE = 0.5  # a further topic needs this share of the first topic's score
MIN_EXTRA_SCORE = 3.0  # ...and at least this score (one question term)


@dataclass(frozen=True, eq=False)  # one object per term: identity is equality, and fast
class Term:
    order: int  # position in the taxonomy file: breaks ties the same way in every run
    text: str
    topic: str
    subtopic: str
    weight: float
    capitals: bool = False  # counts only where the text writes it in capitals ("HMM", not "hmm")
    place: tuple[str, str] = field(init=False)  # (topic, subtopic): where its score goes

    def __post_init__(self) -> None:
        object.__setattr__(self, "place", (self.topic, self.subtopic))


@dataclass
class Taxonomy:
    topics: dict[str, dict[str, list[Term]]]  # topic -> subtopic -> terms
    by_tokens: dict[tuple[str, ...], Term]  # each term's words, also with a plural last word
    lengths: dict[str, list[int]]  # first word -> the word counts of terms starting with it

    def __post_init__(self) -> None:
        # one-word terms by their word: most lookups, and no tuple to build for them
        self.by_word = {words[0]: term for words, term in self.by_tokens.items() if len(words) == 1}
        # the words that can follow each first word of a longer term: most tries end there
        self.seconds: dict[str, set[str]] = {}
        for words in self.by_tokens:
            if len(words) > 1:
                self.seconds.setdefault(words[0], set()).add(words[1])
        self.rank = {topic: i for i, topic in enumerate(self.topics)}
        self.subtopic_rank = {(t, s): i for t, subs in self.topics.items()
                              for i, s in enumerate(subs)}

    def tags(self) -> list[str]:
        return [f"topic::{t}::{s}" for t, subs in self.topics.items() for s in subs]

    def scan(self, text: str) -> list[Term]:
        """The terms in a text, in order, the longest where they overlap ("the principal
        components of the Transformer" holds "components of the transformer", not "principal
        component"): one pass over its words with a dictionary lookup each, however many terms
        the taxonomy has."""
        words = _TOKEN.findall(_canonical(text))
        found = list(map(self.by_word.get, words))  # one-word terms where they stand
        longest: dict[int, tuple[int, Term]] = {}  # start -> the longest multi-word term there
        for i in compress(count(), map(self.seconds.__contains__, words)):
            if i + 1 == len(words) or words[i + 1] not in self.seconds[words[i]]:
                continue  # no longer term starts here: most tries end there
            for n in self.lengths[words[i]]:  # longest first
                fits = 1 < n <= len(words) - i
                term = self.by_tokens.get(tuple(words[i:i + n])) if fits else None
                if term is not None:
                    longest[i] = (n, term)
                    break
        # then the longer terms, each in place of the one-word terms inside it, unless a
        # longer one starts inside it: that one is the more specific phrase
        resume = 0
        for i, (n, term) in longest.items():  # in order of their start
            if i < resume or any(longest.get(j, (0,))[0] > n for j in range(i + 1, i + n)):
                continue
            found[i:i + n] = [term] + [None] * (n - 1)
            resume = i + n
        if any(term is not None and term.capitals for term in found):
            written = _TOKEN.findall(text.replace("-", " ").replace("’", "'"))
            if len(written) == len(words):  # casefold kept every word whole: compare in place
                found = [None if term is not None and term.capitals
                         and not written[i].rstrip("s").isupper()  # "HMMs" too
                         else term for i, term in enumerate(found)]
        return [term for term in found if term is not None]


def _canonical(text: str) -> str:
    """Lower case, hyphens as spaces: how both terms and text are compared."""
    return text.casefold().replace("-", " ").replace("’", "'")


_TOKEN = re.compile(r"[\w']+|[^\w\s]")  # words, and punctuation one mark at a time


def parse_taxonomy(text: str) -> Taxonomy:
    data = tomllib.loads(text)
    topics: dict[str, dict[str, list[Term]]] = {}
    by_text: dict[str, Term] = {}
    by_tokens: dict[tuple[str, ...], Term] = {}
    for topic, subtopics in data["topic"].items():
        topics[topic] = {}
        for subtopic, spec in subtopics.items():
            if not isinstance(spec, dict):
                continue  # "title" and other plain settings of the topic
            terms = []
            for kind in ("terms", "broad", "weak", "capitals"):
                for word in spec.get(kind, []):
                    key = _canonical(word)
                    weight = {"weak": WEAK_WEIGHT, "broad": BROAD_WEIGHT}.get(
                        kind, 1 + 0.25 * key.count(" "))  # longer phrases are more specific
                    term = Term(len(by_text), key, topic, subtopic, weight, kind == "capitals")
                    term = by_text.setdefault(key, term)
                    words = tuple(_TOKEN.findall(key))
                    for variant in (words, words[:-1] + (words[-1] + "s",),
                                    words[:-1] + (words[-1] + "es",)):
                        by_tokens.setdefault(variant, term)
                    terms.append(term)
            topics[topic][subtopic] = terms
    lengths: dict[str, set[int]] = {}
    for words in by_tokens:
        lengths.setdefault(words[0], set()).add(len(words))
    return Taxonomy(topics, by_tokens, {w: sorted(n, reverse=True) for w, n in lengths.items()})


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return parse_taxonomy(resources.files("ankigen").joinpath("taxonomy.toml").read_text("utf-8"))


@dataclass
class TopicDecision:
    """Why a record got its topic tags: for ``ankigen tags --explain``."""

    tags: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # topic -> score
    from_question: dict[str, float] = field(default_factory=dict)  # topic -> its question's part
    terms: dict[str, list[str]] = field(default_factory=dict)  # topic -> terms found
    runner_up: str | None = None
    # why the runner-up is no tag: its score alone cannot say, as the question ranks first
    runner_up_reason: str = ""
    # a topic given for want of any term: (records of the source with it first, with a topic)
    fallback_share: tuple[int, int] | None = None

    @property
    def fallback(self) -> bool:
        return self.fallback_share is not None


_ORDER = attrgetter("order")


def _subject(terms: list[Term]) -> Term | None:
    """The first specific term of a question: what it asks about ("How do transformers differ
    from RNNs?" is about transformers), so it counts a little more than the rest."""
    return next((term for term in terms if term.weight > WEAK_WEIGHT), None)


def _compared_terms(taxonomy: Taxonomy, question: str) -> set[Term]:
    """In "What distinguishes X from Y?" the question is about X: the terms after the
    comparison word name what X is measured against."""
    text = _canonical(question)
    if not _COMPARISON.search(text):
        return set()
    marker = _COMPARED_AGAINST.search(text)
    if marker is None:
        return set()
    return set(taxonomy.scan(text[marker.end():]))


def decide(record: Record, taxonomy: Taxonomy, parent_question: str = "") -> TopicDecision:
    question_terms = taxonomy.scan(record.question)
    in_question = set(question_terms)
    subject = _subject(question_terms)
    if subject is None and parent_question:
        in_question |= set(taxonomy.scan(parent_question))  # "it" = what the parent asked about
        weight_q = PARENT_WEIGHT
    else:
        weight_q = QUESTION_WEIGHT
    in_answer = set(taxonomy.scan(record.answer))
    sub_scores: dict[tuple[str, str], float] = {}
    question_scores: Counter[str] = Counter()
    decision = TopicDecision()
    terms = decision.terms
    compared = _compared_terms(taxonomy, record.question)
    for term in sorted(in_question, key=_ORDER):
        weight = term.weight * (SUBJECT_BONUS if term == subject else 1)
        weight *= COMPARED_WEIGHT if term in compared else 1
        sub_scores[term.place] = sub_scores.get(term.place, 0) + weight_q * weight
        question_scores[term.topic] += weight
        terms.setdefault(term.topic, []).append(term.text)
    for term in sorted(in_answer - in_question, key=_ORDER):
        sub_scores[term.place] = sub_scores.get(term.place, 0) + ANSWER_WEIGHT * term.weight
        terms.setdefault(term.topic, []).append(term.text)
    scores: dict[str, float] = {}
    for (topic, _), score in sub_scores.items():
        scores[topic] = scores.get(topic, 0) + score
    decision.scores = scores
    decision.from_question = {t: weight_q * question_scores[t] for t in scores}
    if not scores:
        return decision
    rank = taxonomy.rank

    def named(topic: str) -> bool:  # by more than a scene-setting term
        return question_scores[topic] > WEAK_WEIGHT

    def standing(topic: str) -> tuple:
        """What ranks the topics: the question first, the answer only between equals."""
        return named(topic), question_scores[topic], scores[topic], -rank[topic]

    ranked = sorted(scores, key=standing, reverse=True)
    first = ranked[0]
    further_needs = max(RUNNER_UP_SHARE * scores[first], MIN_EXTRA_SCORE)
    chosen = [first] + [t for t in ranked[1:] if scores[t] >= further_needs]
    chosen = chosen[:MAX_TOPICS]
    subtopic_rank = taxonomy.subtopic_rank
    for topic in chosen:
        _, best = max((key for key in sub_scores if key[0] == topic),
                      key=lambda key: (sub_scores[key], -subtopic_rank[key]))
        decision.tags.append(f"topic::{topic}::{best}")
    decision.runner_up = runner_up = next((t for t in ranked if t not in chosen), None)
    if runner_up is not None:
        reasons = [f"{MAX_TOPICS} topics already" if scores[runner_up] >= further_needs
                   else f"below {further_needs:.1f}, " + (
                       "half the first topic's score" if further_needs > MIN_EXTRA_SCORE
                       else "the least a further topic needs")]
        outranking = [t for t in chosen if scores[t] <= scores[runner_up]]
        if outranking:  # a tag that scores no more than the runner-up: say what put it first
            topic = outranking[-1]
            if named(topic) != named(runner_up):
                why = f"the question names {topic}, {runner_up} at most by a scene-setting term"
            elif question_scores[topic] != question_scores[runner_up]:
                why = (f"{topic} weighs more in the question ({decision.from_question[topic]:.1f} "
                       f"against {decision.from_question[runner_up]:.1f})")
            else:
                why = f"as much in the question and in all: {topic} comes first in the taxonomy"
            reasons.insert(0, why)
        decision.runner_up_reason = "; ".join(reasons)
    return decision


def source_tags(record: Record, source: Source) -> list[str]:
    tags = [f"source::{source.slug}"]
    if record.section:
        tags.append(f"source::{source.slug}::{slugify(record.section)}")
    if record.kind == "followup":
        tags.append("followup")
    return tags


def tag_record(record: Record, source: Source, parent_question: str = ""
               ) -> tuple[Record, TopicDecision]:
    """One record's tags and why it has its topics, without the fallback topic (which needs
    the whole source): what the build and ``ankigen tags`` both use."""
    decision = decide(record, default_taxonomy(), parent_question)
    tags = record.tags + decision.tags + source_tags(record, source)
    return replace(record, tags=list(dict.fromkeys(tags))), decision


def add_fallback_topic(records: list[Record], made: list[TopicDecision]) -> list[Record]:
    """The records (with their decisions, in order) of one source: those without a topic get
    the source's most common first topic, first among their tags, and their decision says so
    and how common it is."""
    firsts = Counter(d.tags[0] for d in made if d.tags)
    if not firsts:
        return records
    [(fallback, with_it)] = firsts.most_common(1)
    share = (with_it, firsts.total())
    for decision in made:
        if not decision.tags:
            decision.tags, decision.fallback_share = [fallback], share
    return [replace(r, tags=[fallback] + r.tags) if d.fallback else r
            for r, d in zip(records, made)]


NO_TOPIC = "(none)"
COUNT_LABEL = "cards tagged with each topic (a card can carry more than one)"
COUNT_TITLE = COUNT_LABEL[0].upper() + COUNT_LABEL[1:]


def topic_counts(tag_lists) -> Counter:
    """Cards per topic and per (topic, subtopic), from each card's tags: a card counts once
    under every topic it carries, so ``ankigen tags``, the preview and the release notes
    give the same numbers. A card with no topic counts under ``(none)``."""
    counts: Counter = Counter()
    for tags in tag_lists:
        keys = {tuple(tag.split("::")[1:3]) for tag in tags if tag.startswith("topic::")}
        counts.update(keys | {key[:1] for key in keys} or {(NO_TOPIC,)})
    return counts


def top_level(counts: Counter) -> Counter:
    return Counter({key[0]: n for key, n in counts.items() if len(key) == 1})

