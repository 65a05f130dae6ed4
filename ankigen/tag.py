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


@dataclass(frozen=True, order=True)
class Term:
    order: int  # position in the taxonomy file: breaks ties the same way in every run
    text: str
    topic: str
    subtopic: str
    weight: float


@dataclass
class Taxonomy:
    topics: dict[str, dict[str, list[Term]]]  # topic -> subtopic -> terms
    pattern: re.Pattern
    by_text: dict[str, Term]

    def tags(self) -> list[str]:
        return [f"topic::{t}::{s}" for t, subs in self.topics.items() for s in subs]


def _canonical(text: str) -> str:
    """Lower case, hyphens as spaces, single spaces: how both terms and text are compared."""
    return re.sub(r"\s+", " ", text.casefold().replace("-", " ").replace("’", "'")).strip()


def parse_taxonomy(text: str) -> Taxonomy:
    data = tomllib.loads(text)
    topics: dict[str, dict[str, list[Term]]] = {}
    by_text: dict[str, Term] = {}
    for topic, subtopics in data["topic"].items():
        topics[topic] = {}
        for subtopic, spec in subtopics.items():
            if not isinstance(spec, dict):
                continue  # "title" and other plain settings of the topic
            terms = []
            for kind in ("terms", "broad", "weak"):
                for word in spec.get(kind, []):
                    key = _canonical(word)
                    weight = {"weak": WEAK_WEIGHT, "broad": BROAD_WEIGHT}.get(
                        kind, 1 + 0.25 * key.count(" "))  # longer phrases are more specific
                    term = Term(len(by_text), key, topic, subtopic, weight)
                    by_text.setdefault(key, term)
                    terms.append(term)
            topics[topic][subtopic] = terms
    alternation = "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w])({alternation})(?:e?s)?(?![\w])")
    return Taxonomy(topics, pattern, by_text)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return parse_taxonomy(resources.files("ankigen").joinpath("taxonomy.toml").read_text("utf-8"))


@dataclass
class TopicDecision:
    """Why a record got its topic tags: for ``ankigen tags --explain``."""

    tags: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # topic -> score
    terms: dict[str, list[str]] = field(default_factory=dict)  # topic -> terms found
    runner_up: str | None = None
    fallback: bool = False


def _found(taxonomy: Taxonomy, text: str) -> set[Term]:
    return {taxonomy.by_text[m.group(1)] for m in taxonomy.pattern.finditer(_canonical(text))}


def _subject(taxonomy: Taxonomy, question: str) -> Term | None:
    """The first specific term of a question: what it asks about ("How do transformers differ
    from RNNs?" is about transformers), so it counts a little more than the rest."""
    for match in taxonomy.pattern.finditer(_canonical(question)):
        term = taxonomy.by_text[match.group(1)]
        if term.weight > WEAK_WEIGHT:
            return term
    return None


def _compared_terms(taxonomy: Taxonomy, question: str) -> set[Term]:
    """In "What distinguishes X from Y?" the question is about X: the terms after the
    comparison word name what X is measured against."""
    text = _canonical(question)
    if not _COMPARISON.search(text):
        return set()
    marker = _COMPARED_AGAINST.search(text)
    if marker is None:
        return set()
    return {taxonomy.by_text[m.group(1)] for m in taxonomy.pattern.finditer(text, marker.end())}


def decide(record: Record, taxonomy: Taxonomy, parent_question: str = "") -> TopicDecision:
    in_question = _found(taxonomy, record.question)
    subject = _subject(taxonomy, record.question)
    if subject is None and parent_question:
        in_question |= _found(taxonomy, parent_question)  # "it" = what the parent asked about
        weight_q = PARENT_WEIGHT
    else:
        weight_q = QUESTION_WEIGHT
    in_answer = _found(taxonomy, record.answer)
    sub_scores: Counter[tuple[str, str]] = Counter()
    question_scores: Counter[str] = Counter()
    decision = TopicDecision()
    compared = _compared_terms(taxonomy, record.question)
    for term in sorted(in_question):
        weight = term.weight * (SUBJECT_BONUS if term == subject else 1)
        weight *= COMPARED_WEIGHT if term in compared else 1
        sub_scores[(term.topic, term.subtopic)] += weight_q * weight
        question_scores[term.topic] += weight
        decision.terms.setdefault(term.topic, []).append(term.text)
    for term in sorted(in_answer - in_question):
        sub_scores[(term.topic, term.subtopic)] += ANSWER_WEIGHT * term.weight
        decision.terms.setdefault(term.topic, []).append(term.text)
    scores: Counter[str] = Counter()
    for (topic, _), score in sub_scores.items():
        scores[topic] += score
    decision.scores = dict(scores)
    if not scores:
        return decision
    order = {topic: i for i, topic in enumerate(taxonomy.topics)}
    ranked = sorted(scores, key=lambda t: (question_scores[t] > WEAK_WEIGHT, question_scores[t],
                                           scores[t], -order[t]), reverse=True)
    first = ranked[0]
    chosen = [first] + [t for t in ranked[1:] if scores[t] >= max(RUNNER_UP_SHARE * scores[first],
                                                                  MIN_EXTRA_SCORE)]
    chosen = chosen[:MAX_TOPICS]
    for topic in chosen:
        subtopics = list(taxonomy.topics[topic])
        best = max((s for (t, s) in sub_scores if t == topic),
                   key=lambda s: (sub_scores[(topic, s)], -subtopics.index(s)))
        decision.tags.append(f"topic::{topic}::{best}")
    decision.runner_up = next((t for t in ranked if t not in chosen), None)
    return decision


def source_tags(record: Record, source: Source) -> list[str]:
    tags = [f"source::{source.slug}"]
    if record.section:
        tags.append(f"source::{source.slug}::{slugify(record.section)}")
    if record.kind == "followup":
        tags.append("followup")
    return tags


def decisions(records: list[Record], taxonomy: Taxonomy | None = None) -> dict[str, TopicDecision]:
    """Topic decisions by record id, with the source's most common topic for the rest."""
    taxonomy = taxonomy or default_taxonomy()
    parents = {r.id: r.question for r in records}
    made = {r.id: decide(r, taxonomy, parents.get(r.parent or "", "")) for r in records}
    common = Counter(d.tags[0] for d in made.values() if d.tags).most_common(1)
    for d in made.values():
        if not d.tags and common:
            d.tags, d.fallback = [common[0][0]], True
    return made


def tag(records: list[Record], source: Source, taxonomy: Taxonomy | None = None) -> list[Record]:
    made = decisions(records, taxonomy)
    return [replace(r, tags=list(dict.fromkeys(r.tags + made[r.id].tags + source_tags(r, source))))
            for r in records]
