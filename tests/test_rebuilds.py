"""Safe rebuilds against real Anki: study v1, change the sources, import v2 on top with the
default options, and check that nothing was duplicated, forked, lost or silently skipped."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen import model
from ankigen.build import build
from ankigen.cli import main
from ankigen.identity import LOCK_NAME
from ankigen.model import MODEL_NAME
from ankigen.sources import resolve_sources
from helpers import SOURCES_DIR, import_package

FILES = ["transformer-model-qa.txt", "transformers-part-6.txt"]
V1_TIME = int(time.time()) - 100_000  # builds happened before the learner's edits (now)


class Workspace:
    """A temporary copy of two sources, built into numbered versions."""

    def __init__(self, root: Path):
        self.sources = root / "sources"
        self.sources.mkdir()
        for name in FILES + ["sources.toml"]:
            shutil.copy(SOURCES_DIR / name, self.sources / name)
            (self.sources / name).chmod(0o644)
        self.root = root
        self.version = 0

    def build(self, lock: bool = True, timestamp: int | None = None):
        self.version += 1
        paths = [str(self.sources / f) for f in sorted(p.name for p in self.sources.glob("*.txt"))]
        when = timestamp if timestamp is not None else V1_TIME + 1000 * self.version
        report = build(resolve_sources(paths), self.root / f"v{self.version}", timestamp=when,
                       lock_path=self.sources / LOCK_NAME if lock else None)
        assert not report.failed
        return report

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.sources / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path)


@pytest.fixture
def studied(workspace, collection):
    """v1 imported and ten cards studied; returns their review state."""
    for entry in workspace.build().sources:
        import_package(collection, Path(entry.output))
    states = {}
    for cid in sorted(collection.find_cards(""))[:10]:
        card = collection.get_card(cid)
        card.start_timer()
        collection.sched.answerCard(card, 4)
        states[cid] = review_state(collection, cid)
    return states


def review_state(col, cid):
    card = col.get_card(cid)
    return card.due, card.ivl, card.reps, col.db.scalar("SELECT count() FROM revlog WHERE cid=?", cid)


def import_v2(workspace, collection, studied):
    """Rebuild, import every deck with default options, and check what must always hold."""
    count = collection.note_count()
    report = workspace.build()
    logs = [import_package(collection, Path(e.output)) for e in report.sources]
    names = [m.name for m in collection.models.all_names_and_ids() if m.name.startswith(MODEL_NAME)]
    assert names == [MODEL_NAME]  # no "ankigen Q&A+" fork
    assert not any(log.conflicting for log in logs)
    assert {cid: review_state(collection, cid) for cid in studied} == studied
    new = sum(len(log.new) for log in logs)
    assert collection.note_count() == count + new  # nothing duplicated
    return report, logs


def note_where(col, text: str):
    nids = col.find_notes(f'"Question:*{text}*"')
    assert len(nids) == 1, nids
    return col.get_note(nids[0])


def updated_questions(col, logs) -> list[str]:
    return [col.get_note(n.id.nid)["Question"] for log in logs for n in log.updated]


def test_edited_answer_is_updated_in_place(workspace, collection, studied):
    workspace.edit(FILES[0], "Dropout is a regularization technique",
                   "Dropout is a simple regularization technique")
    _, logs = import_v2(workspace, collection, studied)
    assert sum(len(log.new) for log in logs) == 0
    assert updated_questions(collection, logs) == [
        "<p>Explain the concept of dropout and its role in neural networks.</p>"]
    assert "simple regularization" in note_where(collection, "concept of dropout")["Answer"]


def test_typo_fixed_in_a_question_keeps_the_note(workspace, collection, studied):
    workspace.edit(FILES[0], "Can you explain the self-attention mechanism in transformers?",
                   "Can you explain the self-attention mechanism in Transformers?")
    _, logs = import_v2(workspace, collection, studied)
    assert sum(len(log.new) for log in logs) == 0
    note = note_where(collection, "self-attention mechanism in Transformers")
    assert updated_questions(collection, logs) == [note["Question"]]


def test_inserted_question_is_new_and_the_rest_untouched(workspace, collection, studied):
    workspace.edit(FILES[0], "Q: What is the purpose of positional encoding",
                   "Q: What is label smoothing?\n\nA: It softens one-hot targets so the model is "
                   "less overconfident.\n\nQ: What is the purpose of positional encoding")
    _, logs = import_v2(workspace, collection, studied)
    assert [n.fields[0] for log in logs for n in log.new] == ["What is label smoothing?"]
    assert updated_questions(collection, logs) == []


def test_deleted_question_is_reported_and_stays_in_anki(workspace, collection, studied):
    workspace.edit(FILES[0], "Q: What is the F1 score, and why is it useful?\n\nA: The F1 score "
                   "is the harmonic mean of precision and recall, providing a single metric that "
                   "balances both. It is useful when you need to account for both false positives "
                   "and false negatives, especially in cases of class imbalance or when both "
                   "precision and recall are important.\n\n", "")
    report, logs = import_v2(workspace, collection, studied)
    removed = [r["question"] for e in report.sources for r in e.removed]
    assert removed == ["What is the F1 score, and why is it useful?"]
    assert updated_questions(collection, logs) == []
    note_where(collection, "What is the F1 score")  # Anki never deletes on import


def test_renamed_source_file_changes_nothing(workspace, collection, studied):
    (workspace.sources / FILES[0]).rename(workspace.sources / "qa-renamed.txt")
    workspace.edit("sources.toml", f'file = "{FILES[0]}"', 'file = "qa-renamed.txt"')
    report, logs = import_v2(workspace, collection, studied)
    assert sum(len(log.new) + len(log.updated) for log in logs) == 0
    assert all(e.new == e.changed == 0 and not e.removed for e in report.sources)


def test_changed_card_css_updates_the_note_type_in_place(workspace, collection, studied,
                                                        monkeypatch):
    monkeypatch.setattr(model, "CSS", model.CSS + "\n.question { letter-spacing: 0.01em; }\n")
    _, logs = import_v2(workspace, collection, studied)
    assert updated_questions(collection, logs) == []
    note_type = collection.models.by_name(MODEL_NAME)
    assert "letter-spacing: 0.01em" in note_type["css"]


def test_learners_edit_and_tag_survive_a_rebuild(workspace, collection, studied):
    mine = note_where(collection, "What is batch normalization")
    mine["Answer"] += "<p>My own mnemonic.</p>"
    mine.add_tag("mine")
    collection.update_note(mine)
    workspace.edit(FILES[0], "Dropout is a regularization technique",
                   "Dropout is a simple regularization technique")
    _, logs = import_v2(workspace, collection, studied)
    assert len(updated_questions(collection, logs)) == 1  # only the edited source note
    mine = note_where(collection, "What is batch normalization")
    assert "My own mnemonic." in mine["Answer"] and "mine" in mine.tags


def test_building_twice_gives_identical_files(workspace):
    first, second = workspace.build(), workspace.build()
    for a, b in zip(first.sources, second.sources):
        assert Path(a.output).read_bytes() == Path(b.output).read_bytes()


def test_an_edited_note_is_one_changed_line_of_the_lock(workspace):
    lock = workspace.sources / LOCK_NAME
    workspace.build()
    before = lock.read_text(encoding="utf-8").splitlines()
    workspace.edit(FILES[1], "Stabilizes training and accelerates convergence.",
                   "Stabilizes and speeds up training.")
    workspace.build()
    after = lock.read_text(encoding="utf-8").splitlines()
    notes = [line for line in set(after) - set(before) if '"guid"' in line]
    assert len(before) == len(after)
    assert len(notes) == 1 and "layer normalization" in notes[0]


def test_decks_are_compressed_with_fast_deflate(workspace):
    """Level 1: nearly all of the size saving, for a third of the default level's time."""
    import zipfile
    import zlib

    deck = Path(workspace.build().sources[0].output)
    with zipfile.ZipFile(deck) as archive:
        info = archive.getinfo("collection.anki2")
        database = archive.read(info)
    with deck.open("rb") as raw:
        raw.seek(info.header_offset + 26)
        name_length, extra_length = (int.from_bytes(raw.read(2), "little") for _ in range(2))
        raw.seek(name_length + extra_length, 1)
        stored = raw.read(info.compress_size)
    fast = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert stored == fast.compress(database) + fast.flush()


def test_release_gate_passes_a_rebuild_and_reports_what_changed(workspace):
    v1 = workspace.build()
    workspace.edit(FILES[1], "Stabilizes training and accelerates convergence.",
                   "Stabilizes and speeds up training.")
    v2 = workspace.build()
    runner = CliRunner()
    for old, new in zip(v1.sources, v2.sources):
        result = runner.invoke(main, ["check", new.output, "--against", old.output, "--json"])
        assert result.exit_code == 0, result.output
    diff = runner.invoke(main, ["diff", v1.sources[1].output, v2.sources[1].output])
    assert diff.output.splitlines()[:3] == [
        "0 added, 1 changed, 0 removed, 21 unchanged",
        "~ What is the function of layer normalization in Transformers?",
        "    Answer: Normalizes the output of each layer to maintain consistent mean and variance. "
        "Stabilizes [-training-] and [-accelerates convergence.-] {+speeds up training.+} "
        "Reduces the risk of exploding or vanishing gradients during training.",
    ]


def test_release_gate_catches_an_edit_anki_would_skip(workspace):
    v1 = workspace.build(lock=False)
    workspace.edit(FILES[1], "Stabilizes training and accelerates convergence.",
                   "Stabilizes and speeds up training.")
    v2 = workspace.build(lock=False, timestamp=V1_TIME + 1000)  # same mtime as v1
    result = CliRunner().invoke(main, ["check", v2.sources[1].output,
                                       "--against", v1.sources[1].output])
    assert result.exit_code == 1
    assert "edit not applied on import: 'What is the function of layer normalization" in result.output


def test_release_gate_catches_a_changed_identity(workspace):
    v1 = workspace.build()
    workspace.edit("sources.toml", 'slug = "transformers-part-6"', 'slug = "part-six"')
    v2 = workspace.build()
    result = CliRunner().invoke(main, ["check", v2.sources[1].output,
                                       "--against", v1.sources[1].output])
    assert result.exit_code == 1
    assert "22 question(s) came back under a new GUID" in result.output


def test_separate_processes_build_identical_files(workspace):
    """Nothing in a deck depends on the process (hash seeds, dict order, wall clock)."""
    import os
    import subprocess
    import sys

    paths = [str(workspace.sources / f) for f in FILES]
    lock = workspace.sources / LOCK_NAME
    outputs = []
    for seed in ("1", "2"):
        out = workspace.root / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "ankigen.cli", "build", *paths, "-o", str(out),
                        "--lock", str(lock)], check=True, env=env, capture_output=True)
        outputs.append({p.name: p.read_bytes() for p in out.glob("*.apkg")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


def test_building_one_source_changes_no_committed_file_and_gives_the_same_deck(workspace):
    workspace.build(timestamp=V1_TIME)
    workspace.edit(FILES[0], "self-attention", "self attention")  # the other source changes
    full = workspace.build(timestamp=V1_TIME + 1000)
    lock = workspace.sources / LOCK_NAME
    before, touched = lock.read_bytes(), lock.stat().st_mtime_ns
    single = build(resolve_sources([str(workspace.sources / FILES[1])]), workspace.root / "one",
                   timestamp=V1_TIME + 5000, lock_path=lock)
    assert (lock.read_bytes(), lock.stat().st_mtime_ns) == (before, touched)
    assert single.version == single.sources[0].version == full.sources[1].version
    assert (Path(single.sources[0].output).read_bytes()
            == Path(full.sources[1].output).read_bytes())
