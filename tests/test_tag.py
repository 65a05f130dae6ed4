"""Topic tags: the taxonomy file, agreement with hand labels, and tags as Anki shows them."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from ankigen.pipeline import Options, Pipeline
from ankigen.record import Record
from ankigen.tag import TopicDecision, decide, default_taxonomy
from helpers import PROJECT, SOURCES_DIR, finish, import_package

LABELS = Path(__file__).parent / "data" / "topic_labels.tsv"
TOP_LEVEL = {"ml-fundamentals", "classical-ml", "deep-learning", "cnn-vision", "sequence-models",
             "transformers", "llm", "nlp", "generative-models", "statistics-probability",
             "data-systems", "coding"}  # the first level of the project's TAXONOMY
ANKI_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:::[a-z0-9]+(?:-[a-z0-9]+)*)+$")
FIRST_TOPIC_BAR = 0.90  # on clear-cut questions
AMONG_TAGS_BAR = 0.95  # on all labelled questions


def test_taxonomy_file_is_valid():
    data = tomllib.loads(resources.files("ankigen").joinpath("taxonomy.toml").read_text("utf-8"))
    assert set(data["topic"]) == TOP_LEVEL
    tags = default_taxonomy().tags()
    assert len(tags) == len(set(tags))
    for tag in tags:
        assert ANKI_TAG.match(f"{tag}"), tag  # no spaces, lower-case slugs, :: hierarchy
    for topic, subtopics in default_taxonomy().topics.items():
        assert 3 <= len(subtopics) <= 15, topic
        for subtopic, terms in subtopics.items():
            assert terms, f"{topic}::{subtopic} has no terms"


@pytest.fixture(scope="module")
def tagged(sources):
    """(record, topic decision) for every record of every source, by file name."""
    found = {}
    for source in sources:
        result = Pipeline(Options(render=False)).run(source)
        found[Path(source.path).name] = [(r, result.decisions[r.id]) for r in result.records]
    return found


def test_every_record_gets_one_to_three_topic_tags(tagged):
    for records in tagged.values():
        for record, decision in records:
            assert 1 <= len(decision.tags) <= 3, record.question
            assert len({t.split("::")[1] for t in decision.tags}) == len(decision.tags)


def labelled_decision(tagged, name: str, start: str) -> TopicDecision:
    """The topic decision for a labelled question: a card of a source, or a question written
    out in full (source "-")."""
    if name == "-":
        return decide(Record(id="-", source="-", kind="main", question=start, answer=""),
                      default_taxonomy())
    matches = [d for r, d in tagged[name] if r.question.startswith(start)]
    assert len(matches) == 1, start
    return matches[0]


def test_agreement_with_hand_labels(tagged):
    rows = [line.rstrip("\n").split("\t") for line in LABELS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert len(rows) >= 80
    clear = clear_right = among = 0
    misses, reported_misses = [], []
    for name, label, clear_cut, start in rows:
        tags = labelled_decision(tagged, name, start).tags
        # each tag as far as its label goes: "deep-learning", or "deep-learning::optimizers"
        named = [t.split("::", 1)[1] if "::" in label else t.split("::")[1] for t in tags]
        among += label in named
        if clear_cut in ("1", "2"):
            clear += 1
            clear_right += named[0] == label
            if named[0] != label:
                misses.append(f"{start!r}: {named} (labelled {label})")
                if clear_cut == "2":
                    reported_misses.append(misses[-1])
    first_rate, among_rate = clear_right / clear, among / len(rows)
    print(f"\ntopic agreement: first topic {clear_right}/{clear} = {first_rate:.1%} of clear-cut "
          f"questions; labelled topic among the tags {among}/{len(rows)} = {among_rate:.1%}")
    assert not reported_misses
    assert first_rate >= FIRST_TOPIC_BAR, misses
    assert among_rate >= AMONG_TAGS_BAR


def test_followup_is_judged_on_its_own_words_with_parent_for_pronouns():
    parent = Record(id="s:p", source="s", kind="main", question="What is dropout in transformers?",
                    answer="Dropout zeroes activations.")
    own = Record(id="s:p/a", source="s", kind="followup", parent="s:p",
                 question="How does positional encoding interact with it?", answer="It does not.")
    vague = Record(id="s:p/b", source="s", kind="followup", parent="s:p",
                   question="Why does it help?", answer="It does.")
    made = finish([parent, own, vague], render=False).decisions
    assert made["s:p"].tags[0] == "topic::deep-learning::dropout"
    assert made["s:p/a"].tags[0] == "topic::transformers::positional-encoding"
    assert made["s:p/b"].tags[0] == "topic::deep-learning::dropout"


def test_topic_tree_appears_in_anki(built, collection):
    report, _ = built
    for entry in report.sources:
        import_package(collection, Path(entry.output))
    anki_tags = collection.tags.all()
    assert any(t.startswith("topic::transformers::") for t in anki_tags)
    for nid in collection.find_notes(""):
        assert any(t.startswith("topic::") for t in collection.get_note(nid).tags)


def test_tags_command_prints_the_tree_and_explains():
    path = str(SOURCES_DIR / "transformers-part-6.txt")
    tree = CliRunner().invoke(main, ["tags", path])
    assert tree.exit_code == 0
    assert "topic::transformers (" in tree.output and "  ::attention (" in tree.output
    explained = CliRunner().invoke(main, ["tags", path, "--explain"])
    assert "What are the key components of the Transformer architecture?" in explained.output
    assert "runner-up:" in explained.output


SCORED = re.compile(r"^(?:    |  runner-up: )(?P<topic>[a-z-]+) (?P<score>[\d.]+) "
                    r"\((?P<asked>[\d.]+) from the question\): \S")
FALLBACK = re.compile(r"^    no term of the taxonomy in the question or the answer: the source's "
                      r"most common first tag \((\d+) of its (\d+) records with a topic\)$")


def explained_cards(paths: list[str]) -> list[list[str]]:
    """``ankigen tags --explain`` over the files: each card's lines, its question first."""
    result = CliRunner().invoke(main, ["tags", *paths, "--explain"])
    assert result.exit_code == 0, result.output
    cards: list[list[str]] = []
    for line in result.output.split("\n\n")[0].splitlines():
        if line.startswith(" "):
            cards[-1].append(line)
        else:
            cards.append([line])
    return cards


def test_explain_says_why_a_runner_up_that_outscores_a_tag_is_not_one(sources):
    outscored = 0
    for card in explained_cards([s.path for s in sources]):
        scored = [SCORED.match(line) for line in card[2:]
                  if not line.startswith("    not a tag: ")]
        assert all(scored), card  # every topic with its score, the question's part and terms
        *tagged, runner_up = scored if card[-1].startswith("    not a tag: ") else scored + [None]
        if runner_up is None:
            continue
        reason = card[-1]
        for tag in tagged:
            if float(tag["score"]) <= float(runner_up["score"]):  # ranked on the question
                outscored += 1
                assert tag["topic"] in reason, card
                assert (float(tag["asked"]) > float(runner_up["asked"])
                        or "first in the taxonomy" in reason), card
    assert outscored  # sources/ have such cards ("applications of RL beyond gaming")


def test_explain_says_why_a_card_without_terms_got_its_topic():
    page = PROJECT / "tests" / "data" / "dev-pages-2" / "pages" / "krishnakvr_ml.md"
    fallen = [card for card in explained_cards([str(page)]) if len(card) == 3
              and FALLBACK.match(card[2])]
    assert fallen  # the page's small-talk questions ("Which data visualization libraries...")
    for card in fallen:
        with_it, with_topic = map(int, FALLBACK.match(card[2]).groups())
        assert 0 < with_it <= with_topic


@pytest.mark.parametrize("text, found", [
    ("Hmm, that is odd: the loss went up.", False),  # a word in running text
    ("An HMM models a sequence of hidden states.", True),
    ("HMMs and CRFs both label sequences.", True),
])
def test_an_abbreviation_that_is_also_a_word_counts_only_in_capitals(text, found):
    assert ("hmm" in [term.text for term in default_taxonomy().scan(text)]) is found
