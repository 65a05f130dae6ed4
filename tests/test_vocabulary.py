"""The vocabulary file: every phrase names the committed page or test excerpt that needs it,
and no phrase list or second bullet, fence or sentence-end pattern lives in code outside the
lexicon."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ankigen.lexicon import vocabulary

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ankigen"
EVIDENCE_PLACES = ("sources/", "tests/data/")
MIN_LIST_WORDS = 5  # a literal of this many words is a phrase list
# the modules that judge text: the stages, and the judgement of when two questions are one
TEXT_STAGES = ("scrape", "normalize.py", "render", "asking.py")
# literals of words that are no vocabulary: names the code itself defines
NOT_VOCABULARY = {
    "TEXT_FIELDS",  # the record's text fields
    "_BLOCK_OPENERS",  # Python's grammar: which block an else/elif/except/finally closes
    "PAGE_HTML_TAGS",  # HTML's tag names a card may show, as the sanitizer's allow-list
}


def _entries():
    for concept, groups in vocabulary.groups().items():
        for name, group in groups.items():
            for phrase, evidence in group.get("phrases", {}).items():
                yield f"{concept}.{name}", phrase, evidence


def _closed_sets():
    for concept, groups in vocabulary.groups().items():
        for name, group in groups.items():
            if "words" in group:
                yield f"{concept}.{name}", group


def test_every_group_says_what_it_is():
    for concept, groups in vocabulary.groups().items():
        for name, group in groups.items():
            assert group.get("about"), f"{concept}.{name} says nothing of what it holds"
            assert ("phrases" in group) != ("words" in group), f"{concept}.{name}"


@pytest.mark.parametrize("group,phrase,evidence", list(_entries()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_phrase_names_evidence_that_contains_it(group, phrase, evidence):
    assert evidence, f"{group}: {phrase!r} names no evidence"
    path, _, line = evidence.partition(":")
    assert path.startswith(EVIDENCE_PLACES), f"{group}: {phrase!r}: evidence {path} is no page or excerpt"
    text = (ROOT / path).read_text("utf-8")
    if line:
        text = text.split("\n")[int(line) - 1]
    assert phrase.casefold() in text.casefold(), f"{group}: {phrase!r} is not in {evidence}"


def test_a_closed_set_names_its_reference():
    for name, group in _closed_sets():
        assert group.get("reference"), f"{name} is a closed set without a reference"
        assert group["words"].split(), name


def _modules():
    for stage in TEXT_STAGES:
        yield from sorted((PACKAGE / stage).rglob("*.py")) if (PACKAGE / stage).is_dir() else [PACKAGE / stage]


def _word_list(node: ast.AST) -> list[str] | None:
    """The words of a literal list, tuple, set or frozenset("a b c".split()) of words."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return items if len(items) == len(node.elts) and all(re.fullmatch(r"[a-z][a-z' -]*", i) for i in items) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset" and node.args:
        argument = node.args[0]
        if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Attribute) \
                and argument.func.attr == "split" and isinstance(argument.func.value, ast.Constant):
            return str(argument.func.value.value).split()
        return _word_list(argument)
    return None


def test_no_phrase_list_outside_the_lexicon():
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Assign) and not any(
                    isinstance(t, ast.Name) and t.id in NOT_VOCABULARY for t in node.targets):
                words = _word_list(node.value)
                if words is not None and len(words) >= MIN_LIST_WORDS:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {words[:3]}")
    assert not found, "phrase lists belong in ankigen/lexicon/vocabulary.toml: " + "; ".join(found)


def test_bullet_glyphs_are_defined_once():
    glyph_sets = [str(path.relative_to(ROOT)) for path in _modules()
                  if re.search(r"[\"']-\*•\+", path.read_text("utf-8"))]
    assert not glyph_sets, f"bullet glyphs spelled out again (use lexicon.marks.BULLETS): {glyph_sets}"


def test_fences_are_spelled_once():
    spelled = [str(path.relative_to(ROOT)) for path in _modules()
               if re.search(r"re\.compile\(.*(?:`{3}|~{3})", path.read_text("utf-8"))]
    assert not spelled, f"a fence pattern again (use lexicon.marks.FENCE): {spelled}"


def test_sentence_stops_are_spelled_once():
    stops = re.compile(r'\[\.!\?\]|"\.", "[?!]", "[?!]"')  # "[.!?]" in a pattern, or a tuple of them
    spelled = [str(path.relative_to(ROOT)) for path in _modules() if stops.search(path.read_text("utf-8"))]
    assert not spelled, f"sentence stops spelled out again (use lexicon.marks.SENTENCE_STOPS, STOP): {spelled}"
