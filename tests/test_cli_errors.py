"""Bad input and faults, through the command line: one clear line naming the file, the
documented exit status, no traceback, no partial file, and the good sources still built.

Two sources whose names make the same deck name would overwrite each other's deck and
identities: the build refuses them, naming both files, before it writes anything.

Sources that are no regular files never hang or exhaust a build: a device, a FIFO and a
huge sparse file are refused from their type and size, before they are read.
"""

from __future__ import annotations

import array
import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen import package
from ankigen.cli import main
from ankigen.sources import MAX_FILE_BYTES
from helpers import GOOD, error_lines, import_package, parse_elements, run_build, write


def assert_good_source_built(tmp_path: Path, out: str = "out") -> None:
    assert (tmp_path / out / "good.apkg").is_file()


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", "", "is empty (no text); add content or remove it"),
    ("blank.txt", "  \n\t\n\n", "is empty (no text); add content or remove it"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     "looks like a binary file (NUL bytes); pass a text file"),
    ("prose.txt", "Just some prose.\nNo questions here.\n",
     "no parser recognises this format (no pattern marks two questions"),
    # NULs at every other byte, but what they decode to is control codes, not text
    ("counts.txt", array.array("H", list(range(1, 32)) * 100).tobytes(),
     "looks like a binary file (NUL bytes); pass a text file"),
])
# the preview written with the build shows the same reading: its error is said once, not twice
@pytest.mark.parametrize("options", [(), ("--preview",)], ids=["build", "with-preview"])
def test_unusable_file_is_one_line_and_exit_1(tmp_path, name, content, message, options):
    path = write(tmp_path / name, content)
    result, report = run_build(tmp_path, path, options=options)
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    assert error_lines(result)[0].startswith(f"Error: {path}")
    assert message in error_lines(result)[0]
    assert report["sources"][0]["error"].startswith(path)
    assert_good_source_built(tmp_path)


def test_directory_and_missing_path(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    missing = str(tmp_path / "missing.txt")
    result, _ = run_build(tmp_path, str(folder), missing)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"Error: {folder}: is a directory; pass the files inside it",
        f"Error: {missing}: no such file; check the path"]
    assert_good_source_built(tmp_path)


def test_a_build_that_writes_no_deck_writes_no_lock(tmp_path):
    """`ankigen build /nonexistent` once left /ankigen.lock and asked for it to be committed."""
    missing = str(tmp_path / "missing.txt")
    result = CliRunner().invoke(main, ["build", missing, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: {missing}: no such file; check the path"]
    assert not (tmp_path / "ankigen.lock").exists()
    assert "lock" not in result.output


@pytest.mark.parametrize("encoded, warning", [
    ("Q: Qu’est-ce qu’un tenseur ?\n\nA: Un tableau à plusieurs dimensions.\n".encode("utf-16"),
     "not UTF-8: read as UTF-16; re-save it as UTF-8 to be sure"),
    ("Q: What is a café’s tensor?\n\nA: A multi-dimensional array – of numbers.\n".encode("cp1252"),
     "not UTF-8, read as Windows-1252: line 1 bytes E9 92 as 'é’', line 3 byte 96 as '–'; "
     "re-save the file as UTF-8 to be sure"),
    ("Q: Qu'est-ce qu'un tenseur ?\n\nA: Un tableau à plusieurs dimensions.\n".encode("latin-1"),
     "not UTF-8, read as Windows-1252: line 3 byte E0 as 'à'; re-save the file as UTF-8 to be "
     "sure"),
    # without a BOM: the NULs of its ASCII characters made it "binary"
    (GOOD.encode("utf-16-le"), "not UTF-8: read as UTF-16; re-save it as UTF-8 to be sure"),
    (GOOD.encode("utf-16-be"), "not UTF-8: read as UTF-16; re-save it as UTF-8 to be sure"),
    ("Q: Что такое тензор?\n\nA: Многомерный массив чисел.\n".encode("utf-16-le"),
     "not UTF-8: read as UTF-16; re-save it as UTF-8 to be sure"),
    # UTF-32's little-endian BOM starts with UTF-16's: it was read as UTF-16
    (GOOD.encode("utf-32"), "not UTF-8: read as UTF-32; re-save it as UTF-8 to be sure"),
    (codecs.BOM_UTF32_BE + GOOD.encode("utf-32-be"),
     "not UTF-8: read as UTF-32; re-save it as UTF-8 to be sure"),
])
def test_other_encodings_are_decoded_and_said_so(tmp_path, encoded, warning):
    path = write(tmp_path / "legacy.txt", encoded)
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}: {warning}" in result.stderr
    assert report["sources"][0]["warnings"] == [warning]
    assert report["sources"][0]["cards"] == 1


@pytest.mark.parametrize("line_break", ["\u2028", "\u2029", "\x85", "\v", "\f", "\r"])
def test_unicode_line_breaks_split_lines(tmp_path, line_break):
    """A page whose lines end in U+2028 was one line, and "no parser recognises" it."""
    path = write(tmp_path / "breaks.txt", GOOD.replace("\n", line_break))
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert report["sources"][0]["cards"] == 1


@pytest.mark.parametrize("line_break", [b"\n", b"\r", b"\x0c"])  # counted as lines are split
def test_undecodable_text_is_refused_with_its_line(tmp_path, line_break):
    content = b"Q: ok\n\nA: fine\n\x81\x8d\x8f\x90\x9d broken\n".replace(b"\n", line_break)
    path = write(tmp_path / "mixed.txt", content)
    result, _ = run_build(tmp_path, path)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"Error: {path}:4: not valid UTF-8 (byte 15) nor plausibly Windows-1252/Latin-1 text; "
        "re-save the file as UTF-8"]


def test_a_line_of_several_megabytes_is_left_out_and_the_rest_built(tmp_path):
    huge = "Q: What is minified?\n\nA: " + "x" * 5_000_000 + "\n\n" + GOOD
    path = write(tmp_path / "huge.txt", huge)
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}: line 3: longer than 100000 characters; left out" in result.stderr
    entry = report["sources"][0]
    assert entry["cards"] == 1  # the tensor question; the minified one has no answer left
    assert entry["skipped"][0]["reason"] == "no answer in source"


def test_hundreds_of_thousands_of_lines(tmp_path):
    body = "".join(f"Q: Question number {i}?\n\nA: " + "\n".join(
        f"Line {j} of the answer to question {i}." for j in range(98)) + "\n\n" for i in range(2000))
    path = write(tmp_path / "long.txt", body)
    assert body.count("\n") >= 200_000
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert report["sources"][0]["cards"] == 2000


def test_a_question_twice_in_a_source_is_one_note_and_across_sources_is_reported(tmp_path):
    first = write(tmp_path / "first.txt", GOOD + "\nQ: What is a tensor?\n\nA: An n-d array.\n")
    second = write(tmp_path / "second.txt", GOOD)
    result, report = run_build(tmp_path, first, second)
    assert result.exit_code == 0
    duplicate = next(d for d in report["duplicates"] if d["question"] == "what is a tensor")
    assert duplicate["places"] == [f"{first}:1", f"{second}:1", f"{tmp_path / 'good.txt'}:1"]
    from ankigen.apkg import plain_text, read_package

    (note,) = read_package(tmp_path / "out" / "first.apkg").notes  # both answers, one note
    answer = plain_text(note.fields["Answer"])
    assert answer.index("A multi-dimensional array of numbers.") < answer.index("An n-d array.")
    guids = [n.guid for name in ("first", "second", "good")
             for n in read_package(tmp_path / "out" / f"{name}.apkg").notes]
    assert len(guids) == len(set(guids)) == 3


def test_a_question_repeated_within_one_source_is_no_cross_source_duplicate(tmp_path):
    """A question that leans on its section stays one note per section; it was reported as
    found "in several sources" when both were in one."""
    path = write(tmp_path / "sections.txt", "## CNN\n\nQ: What are the advantages?\n\nA: Local "
                 "filters.\n\n## RNN\n\nQ: What are the advantages?\n\nA: Memory.\n")
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert report["sources"][0]["cards"] == 2
    assert report["duplicates"] == []
    assert "several sources" not in result.output


def test_a_deck_rebuilt_for_a_new_version_is_not_its_own_duplicate(tmp_path):
    """An unchanged source whose deck is rebuilt because another source moved the version
    counted its questions twice: once from its last report, once from its rebuild."""
    from ankigen.build import build
    from ankigen.sources import resolve_sources

    first = write(tmp_path / "first.txt", GOOD)
    second = write(tmp_path / "second.txt", GOOD.replace("tensor", "matrix"))
    sources = resolve_sources([first, second])
    out, lock = tmp_path / "out", tmp_path / "test.lock"
    build(sources, out, timestamp=1_800_000_000, lock_path=lock)
    write(tmp_path / "second.txt", GOOD.replace("tensor", "matrix").replace("numbers", "values"))
    report = build(sources, out, timestamp=1_800_086_400, lock_path=lock)
    assert report.sources[0].output and report.sources[1].changed == 1
    assert report.duplicates == []


def test_hostile_html_latex_and_template_syntax_are_neutralised(tmp_path):
    path = write(tmp_path / "hostile.txt", (
        "Q: Is <script>alert(1)</script> dangerous?\n\n"
        "A: See <img src=x onerror=alert(1)> and [this](javascript:alert(1)) and "
        "<iframe src=//evil></iframe> and <style>.card{display:none}</style>.\n\n"
        "Q: What about {{Answer}} and {{c1::cloze}}?\n\nA: The set \\(x_1 is broken.\n"))
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0
    from ankigen.apkg import read_package

    text = " ".join(" ".join(n.fields.values()) for n in
                    read_package(tmp_path / "out" / "hostile.apkg").notes)
    assert "{{" not in text
    for tag, attrs in parse_elements(text):  # the source's HTML shows as text, never as HTML
        assert tag in ("p", "a", "span")
        assert all(not name.startswith("on") and "javascript" not in (value or "")
                   for name, value in attrs)
    changes = [c for e in report["sources"][0]["changes"] for c in e["changes"]]
    assert "answer: unbalanced math delimiter '\\\\(' shown as text" in changes


def test_control_characters_of_a_manifest_reach_no_field(tmp_path, collection):
    """U+001F separates a note's fields in Anki: one in a title gave the note a ninth field,
    and Anki refused it while the build said ok."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "sources.toml").write_text(
        '[[source]]\nfile = "notes.txt"\ntitle = "Part\\u001fOne\\u0007\\tof two"\n'
        'origin = "https://example.org/\\u001f\\u0000page"\n', encoding="utf-8")
    path = write(folder / "notes.txt", GOOD)
    result = CliRunner().invoke(main, ["build", path, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    log = import_package(collection, tmp_path / "out" / "notes.apkg")
    assert len(log.new) == 1
    (note,) = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert len(note.fields) == 8
    assert note["Source"] == "PartOne\tof two"
    assert "tensor" in note["Question"]
    deck = collection.decks.by_name("ML Interview::notes")
    assert "PartOne\tof two" in deck["desc"] and "https://example.org/page" in deck["desc"]


@pytest.mark.parametrize("content, message", [
    ("version = 1\n[[source]\n", "not valid TOML"),
    ("version = 2\n", "manifest version 2 is newer than this ankigen understands (1); upgrade ankigen"),
    ('[[source]]\nfile = "notes.txt"\nslgu = "n"\n',
     "source[1].slgu: unknown key; did you mean 'slug'?"),
    ("version = 1.0\n", "version: expected a whole number from 1, got 1.0"),
    ("version = true\n", "version: expected a whole number from 1, got True"),
    ('[[source]]\nfile = "notes\\u0000.txt"\n', "source[1].file: contains a NUL character, which "
     "no file name can hold"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML (nested too deeply)"),
    ('[[source]]\nfile = "loop"\n', "source[1].file: 'loop' cannot be followed (Symlink loop"),
])
def test_bad_manifest_is_refused_and_reported(tmp_path, content, message):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "sources.toml").write_text(content, encoding="utf-8")
    (folder / "loop").symlink_to("loop")
    path = write(folder / "notes.txt", GOOD)
    result = CliRunner().invoke(main, ["build", path, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert error_lines(result)[0].startswith(f"Error: {folder / 'sources.toml'}: ")
    assert message in error_lines(result)[0]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert message in report["error"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "malformed lock file"),
    ('{"version": 9, "sources": {}}', "lock version 9 is newer than this ankigen understands"),
])
def test_bad_lock_file_is_refused_and_reported(tmp_path, content, message):
    lock = tmp_path / "test.lock"
    lock.write_text(content, encoding="utf-8")
    result, report = run_build(tmp_path)
    assert result.exit_code == 1
    assert error_lines(result) == [error_lines(result)[0]]
    assert error_lines(result)[0].startswith(f"Error: {lock}: {message}")
    assert report["error"].startswith(str(lock))
    assert lock.read_text(encoding="utf-8") == content  # left as it was


def test_output_folder_that_cannot_be_written(tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    result, _ = run_build(tmp_path, out="blocker/out")
    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: {tmp_path / 'blocker' / 'out'}: cannot write there "
                                   "(a file is where a folder should be); choose another output "
                                   "folder with -o"]


@pytest.mark.parametrize("fault", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_interrupted_or_full_disk_leaves_the_previous_build_intact(tmp_path, monkeypatch, fault):
    result, _ = run_build(tmp_path)
    assert result.exit_code == 0
    out = tmp_path / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    lock_before = (tmp_path / "test.lock").read_bytes()
    write(tmp_path / "good.txt", GOOD.replace("numbers", "values"))

    def failing_write(*args, **kwargs):
        raise fault

    monkeypatch.setattr(package, "_write_collection", failing_write)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "good.txt"), "-o", str(out),
                                       "--lock", str(tmp_path / "test.lock")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after.keys() == before.keys()  # no partial or temporary file
    assert after["good.apkg"] == before["good.apkg"]
    assert (tmp_path / "test.lock").read_bytes() == lock_before
    if isinstance(fault, KeyboardInterrupt):
        assert after == before  # the report too: the build never finished
    if isinstance(fault, OSError):
        assert error_lines(result) == [f"Error: {out / 'good.apkg'}: cannot write (No space left "
                                       "on device); nothing was replaced: check the free space "
                                       "and permissions there"]


def test_debug_shows_the_traceback_of_an_unexpected_error(tmp_path, monkeypatch):
    from ankigen.scrape import reader

    def broken(doc):
        raise ValueError("parser bug")

    monkeypatch.setattr(reader, "parse", broken)
    path = write(tmp_path / "notes.txt", GOOD)
    plain = CliRunner().invoke(main, ["build", path, "-o", str(tmp_path / "out")])
    assert plain.exit_code == 1
    assert error_lines(plain) == [f"Error: {path}: could not be parsed (ValueError: parser bug); "
                                  "please report this, with --debug for details"]
    debug = CliRunner().invoke(main, ["--debug", "build", path, "-o", str(tmp_path / "out")])
    assert isinstance(debug.exception, ValueError)


def test_a_stray_byte_in_a_utf8_file_leaves_its_utf8_alone(tmp_path):
    """One byte pasted from a Windows program: only it is read as Windows-1252, named by
    its line; the file's UTF-8 characters stay as they are (no mojibake on the card)."""
    utf8 = "Q: Qu’est-ce qu’un café ?\n\nA: Un tableau – déjà vu.\nQ: Et ça ?\n\nA: Oui, "
    path = write(tmp_path / "stray.txt", utf8.encode("utf-8") + b"c\x92est vrai.\n")
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert report["sources"][0]["warnings"] == [
        "not UTF-8, read as Windows-1252: line 6 byte 92 as '’'; re-save the file as UTF-8 to be "
        "sure"]
    records = CliRunner().invoke(main, ["scrape", path]).output
    assert "caf\\u00e9" in records or "café" in records
    assert "Ã" not in records and "\\u00c3" not in records
    assert "c’est vrai." in records or "c\\u2019est vrai." in records


def test_stray_bytes_are_named_with_what_the_card_shows_for_them(tmp_path):
    """"line 6: not UTF-8" sent the maintainer hunting for an invisible byte, while the card
    showed 'ÿþ' (a UTF-16 byte-order mark pasted into UTF-8): the warning names the bytes and
    the characters they became, and the card shows just those."""
    utf8 = "Q: Qu’est-ce qu’un café ?\n\nA: Un tableau – déjà vu.\nQ: Et ça ?\n\nA: "
    more = "".join(f"Q: Question {n}?\n\nA: Réponse {n}.\n" for n in range(3, 9))
    path = write(tmp_path / "bom.txt", utf8.encode("utf-8") + b"\xff\xfeOui.\n"
                 + more.encode("utf-8").replace(b"3.", b"3\x81.").replace(b"4.", b"4\x92."))
    result, report = run_build(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert report["sources"][0]["warnings"] == [
        "not UTF-8, read as Windows-1252: line 6 bytes FF FE as 'ÿþ', line 9 byte 81 as "
        "'\\x81', line 12 byte 92 as '’'; re-save the file as UTF-8 to be sure"]
    scraped = CliRunner().invoke(main, ["scrape", path]).output
    records = [json.loads(line) for line in scraped.splitlines()]
    assert [r["answer"] for r in records][1:4] == ["ÿþOui.", "Réponse 3\x81.", "Réponse 4’."]


@pytest.mark.parametrize("command", [["scrape"], ["preview", "-o", "PREVIEW"]])
def test_debug_shows_the_traceback_for_scrape_and_preview(tmp_path, monkeypatch, command):
    """The one-line message for a parser failure suggests --debug: it must then show it."""
    import ankigen.pipeline

    def broken(source, registry=None):
        raise ValueError("a parser bug")

    monkeypatch.setattr(ankigen.pipeline, "scrape_source", broken)
    path = write(tmp_path / "good.txt", GOOD)
    command = [str(tmp_path / "preview") if part == "PREVIEW" else part for part in command]
    quiet = CliRunner().invoke(main, [*command, path])
    assert quiet.exit_code == 1
    assert "please report this, with --debug for details" in quiet.stderr
    loud = CliRunner().invoke(main, ["--debug", *command, path])
    assert isinstance(loud.exception, ValueError)


@pytest.mark.parametrize("first, second", [
    ("x/notes.txt", "y/notes.txt"),
    ("My Notes.txt", "my-notes.txt"),
    ("вопросы.txt", "質問.txt"),  # no Latin letters at all: both would be "source"
])
def test_sources_with_the_same_deck_name_are_refused(tmp_path, first, second):
    paths = []
    for name in (first, second):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        paths.append(write(tmp_path / name, GOOD))
    result, report = run_build(tmp_path, *paths)
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    line = error_lines(result)[0]
    assert line.startswith(f"Error: {paths[1]}: ") and paths[0] in line
    assert not list((tmp_path / "out").glob("*.apkg"))
    assert not (tmp_path / "test.lock").exists()


BUILD = [sys.executable, "-c", "from ankigen.cli import main; main()", "build"]


def build(tmp_path, source: str) -> subprocess.CompletedProcess:
    good = write(tmp_path / "good.txt", GOOD)
    return subprocess.run([*BUILD, source, good, "-o", str(tmp_path / "out"),
                           "--lock", str(tmp_path / "test.lock")],
                          capture_output=True, text=True, timeout=120)


def test_a_device_is_refused_without_reading_it(tmp_path):
    result = build(tmp_path, "/dev/zero")
    assert result.returncode == 1
    assert "Error: /dev/zero: is not a regular file" in result.stderr
    assert (tmp_path / "out" / "good.apkg").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = build(tmp_path, str(fifo))
    assert result.returncode == 1
    assert "is not a regular file" in result.stderr


def test_a_huge_sparse_file_is_refused_from_its_size(tmp_path):
    sparse = tmp_path / "huge.txt"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 2**20)
    result = build(tmp_path, str(sparse))
    assert result.returncode == 1
    assert "more than the 256 MB a source may have" in result.stderr


# the command line as a Python without the official anki package imports it (None in
# sys.modules is how Python marks a module that cannot be imported)
WITHOUT_ANKI = [sys.executable, "-c",
                "import sys; sys.modules['anki'] = None; from ankigen.cli import main; main()"]


@pytest.mark.parametrize("command", ["check", "release"])
def test_without_anki_the_command_says_so_first_with_an_install_that_works(tmp_path, command):
    """`release` built every deck, then failed naming `check`; both suggested
    `pip install 'ankigen[check]'`, a name on no index (anyone could register it)."""
    good = write(tmp_path / "good.txt", GOOD)
    args = {"check": ["check", str(tmp_path / "good.apkg")],
            "release": ["release", good, "--previous", str(tmp_path / "previous"),
                        "--out", str(tmp_path / "dist"), "--first-release"]}[command]
    (tmp_path / "good.apkg").write_bytes(b"")  # refused before it is read
    result = subprocess.run([*WITHOUT_ANKI, *args], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: ankigen {command} needs the official 'anki' package to import decks into "
        "Anki: pip install -e '.[check]' in ankigen's checkout"]
    assert not (tmp_path / "dist").exists()  # nothing was built


@pytest.mark.parametrize("command", [
    ["build", "MISSING"], ["scrape", "MISSING"], ["tags", "MISSING"], ["preview", "MISSING"],
    ["add", "MISSING"], ["check", "MISSING"], ["check", "DECK", "--against", "MISSING"],
    ["diff", "MISSING", "DECK"], ["diff", "DECK", "MISSING"],
    ["release", "MISSING", "--previous", "previous", "--out", "dist", "--first-release"]])
def test_a_missing_input_file_is_one_error_line_and_status_1_in_every_command(
        tmp_path, monkeypatch, command):
    """`diff` and `check` gave click's "Invalid value ... does not exist" and status 2, the
    others "Error: X: no such file" and status 1, as the README's table of statuses says."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources").mkdir()  # a project folder, where `add` stores what it adds
    (tmp_path / "sources" / "sources.toml").write_text("", encoding="utf-8")
    good = write(tmp_path / "good.txt", GOOD)
    assert CliRunner().invoke(main, ["build", good, "-o", "deck"]).exit_code == 0
    missing = str(tmp_path / "missing.apkg")
    args = [{"MISSING": missing, "DECK": "deck/good.apkg"}.get(part, part) for part in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    errors = error_lines(result)
    assert len(errors) == 1 and f"{missing}: no such file; check the path" in errors[0]
    assert "Usage:" not in result.stderr


def project(tmp_path: Path) -> Path:
    """A project folder: sources/ with a manifest naming one source."""
    sources = tmp_path / "sources"
    (sources / "media" / "deep").mkdir(parents=True)
    write(sources / "good.txt", GOOD)
    (sources / "sources.toml").write_text('[[source]]\nfile = "good.txt"\nslug = "good"\n',
                                          encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("where", [".", "sources", "sources/media/deep"])
def test_a_bare_build_anywhere_in_a_project_finds_its_manifest_as_git_finds_its_repository(
        tmp_path, monkeypatch, where):
    """Inside sources/ a bare build said "no sources/sources.toml in .../sources", the
    manifest right there. Found from anywhere in the project, the decks, report and lock go
    where a build from the project folder puts them: nothing lands among the sources."""
    root = project(tmp_path)
    monkeypatch.chdir(root / where)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (root / "build" / "good.apkg").is_file() and (root / "build" / "report.json").is_file()
    assert (root / "sources" / "ankigen.lock").is_file()
    assert sorted(p.name for p in (root / "sources").iterdir()) == [
        "ankigen.lock", "good.txt", "media", "sources.toml"]


def test_debug_shows_the_traceback_of_a_manifest_error(tmp_path):
    """The README says --debug shows a traceback instead of the one-line message: it showed
    the one line for every error ankigen itself raises (a manifest's, a source's)."""
    root = project(tmp_path)
    (root / "sources" / "sources.toml").write_text('[[source]]\nfil = "good.txt"\n',
                                                   encoding="utf-8")
    command = [sys.executable, "-m", "ankigen"]
    plain = subprocess.run([*command, "build"], cwd=root, capture_output=True, text=True,
                           timeout=120)
    debug = subprocess.run([*command, "--debug", "build"], cwd=root, capture_output=True,
                           text=True, timeout=120)
    line = "sources/sources.toml: source[1].fil: unknown key; did you mean 'file'?"
    assert (plain.returncode, plain.stderr) == (1, f"Error: {line}\n")
    assert debug.returncode == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert debug.stderr.endswith(f"ankigen.errors.ManifestError: {line}\n")


@pytest.mark.parametrize("command, error", [
    (["build", "MISSING", "GOOD"], "SourceError"), (["scrape", "GOOD", "MISSING"], "SourceError"),
    (["tags", "MISSING"], "SourceError"), (["preview", "MISSING"], "SourceError"),
    (["diff", "MISSING", "MISSING"], "PackageError")])
def test_debug_raises_every_typed_error_where_it_happens(tmp_path, monkeypatch, command, error):
    monkeypatch.chdir(tmp_path)
    paths = {"MISSING": str(tmp_path / "missing.txt"), "GOOD": write(tmp_path / "good.txt", GOOD)}
    result = CliRunner().invoke(main, ["--debug", *[paths.get(p, p) for p in command]])
    assert type(result.exception).__name__ == error
    assert str(result.exception) == f"{paths['MISSING']}: no such file; check the path"
