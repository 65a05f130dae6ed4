"""Where records come from: the manifest (``sources/sources.toml``) and reading a source file.

A source named in the manifest gets its deck name, title and origin from there; any other
readable file gets a deck named after its file. The manifest's ``slug`` is the source's
identity: record ids (and so Anki GUIDs) derive from it, so renaming the file keeps them.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import reprlib
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import NO_SUCH_FILE, AnkigenError, ManifestError, SourceError
from .html_page import decode_html, html_lines, is_html
from .notebook import NotNotebook, is_notebook, notebook_lines

MANIFEST_NAME = "sources.toml"
MANIFEST_VERSION = 1
DEFAULT_PARENT_DECK = "ML Interview"
DEFAULT_SOURCES_DIR = Path("sources")
BINARY_SNIFF_BYTES = 8192
MAX_FILE_BYTES = 256 * 2**20
MAX_STRAYS_SHOWN = 5  # runs of bytes that are not UTF-8 named in the warning
LEGACY_PLAUSIBLE_SHARE = 0.9
UTF16_MIN_NUL_SHARE = 0.1  # of a sample's UTF-16 code units: a text's ASCII characters
UTF16_PRINTABLE_SHARE = 0.95


@dataclass(frozen=True)
class Source:
    path: str  # as given by the user, reported back verbatim
    slug: str
    deck: str  # full Anki deck name, "Parent::Child"
    title: str
    origin: str
    home: str = ""  # a manifest entry's folder: its lock lives there, whatever the file's folder


def is_web_address(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "source"


def clean_deck_part(name: str) -> str:
    """One level of a deck name: no '::' (it would create a subdeck) and no quote/brace chars."""
    name = re.sub(r'::|[{}"]', " ", name)
    return re.sub(r"\s+", " ", name).strip() or "Untitled"


MANIFEST_KEYS = ("version", "parent_deck", "source")
ENTRY_KEYS = ("file", "slug", "deck", "title", "origin", "retrieved")  # all strings


def load_manifest(directory: Path) -> dict[str, Source]:
    """Manifest entries keyed by file name; an absent manifest means no entries.

    A problem is named by its place, entries counted from 1: "source[2].slgu: unknown key"."""
    manifest = directory / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    where = str(manifest)
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ManifestError(where, f"not valid TOML ({reason}); fix the syntax") from None
    version = data.get("version", MANIFEST_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ManifestError(where, "version: expected a whole number from 1, got "
                            f"{reprlib.repr(version)}")
    if version > MANIFEST_VERSION:
        raise ManifestError(
            where, f"manifest version {reprlib.repr(version)} is newer than this ankigen "
            f"understands ({MANIFEST_VERSION}); upgrade ankigen")
    problem = _manifest_problem(data)
    if problem:
        raise ManifestError(where, problem)
    parent = clean_deck_part(data.get("parent_deck", DEFAULT_PARENT_DECK))
    entries: dict[str, Source] = {}
    owners: dict[tuple[str, str], int] = {}  # (slug or deck, its value) -> the entry giving it
    for index, entry in enumerate(data.get("source", []), start=1):
        file = entry["file"]
        try:
            inside = (directory / file).resolve().is_relative_to(directory.resolve())
        except RuntimeError as exc:  # a symlink loop
            raise ManifestError(where, f"source[{index}].file: {file!r} cannot be followed "
                                f"({exc}); point it at a file") from None
        if Path(file).is_absolute() or not inside:
            raise ManifestError(where, f"source[{index}].file: {file!r} is outside "
                                f"{directory}; copy the file into it")
        slug = slugify(entry.get("slug", Path(file).stem))
        deck = clean_deck_part(entry.get("deck", Path(file).stem))
        # Anki matches decks by name, whatever their case: two entries would fill one deck
        for what, value, key in (("slug", slug, slug), ("deck", deck, deck.casefold())):
            other = owners.setdefault((what, key), index)
            if other != index:
                merged = " (Anki would merge them)" if what == "deck" else ""
                raise ManifestError(where, f"source[{index}]: {what} {value!r} is "
                                    f"source[{other}]'s too{merged}; each source needs its "
                                    f"own {what}")
        entries[file] = Source(
            path=str(directory / file), slug=slug, deck=f"{parent}::{deck}",
            title=entry.get("title", deck), origin=entry.get("origin", ""),
            home=str(directory))
    return entries


def _manifest_problem(data: dict) -> str | None:
    """The first key of the manifest that is unknown or of the wrong type, and where, or None."""
    problem = _unknown_key("", data, MANIFEST_KEYS)
    if problem:
        return problem
    if not isinstance(data.get("parent_deck", ""), str):
        return f"parent_deck: expected a string, got {reprlib.repr(data['parent_deck'])}"
    sources = data.get("source", [])
    if not isinstance(sources, list):
        return f"source: expected [[source]] tables, got {reprlib.repr(sources)}"
    for index, entry in enumerate(sources, start=1):
        place = f"source[{index}]"
        if not isinstance(entry, dict):
            return f"{place}: expected a [[source]] table, got {reprlib.repr(entry)}"
        problem = _unknown_key(f"{place}.", entry, ENTRY_KEYS)
        if problem:
            return problem
        for key, value in entry.items():
            if not isinstance(value, str):
                return f"{place}.{key}: expected a string, got {reprlib.repr(value)}"
        if not entry.get("file"):
            state = "empty" if "file" in entry else "missing"
            return f"{place}.file: {state}; name the source file"
        if "\0" in entry["file"]:
            return f"{place}.file: contains a NUL character, which no file name can hold"
    return None


def _unknown_key(place: str, table: dict, known: tuple[str, ...]) -> str | None:
    """A key the manifest does not know, with the known key it was probably meant to be."""
    for key in table:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known keys: {', '.join(known)}"
            return f"{place}{key}: unknown key; {hint}"
    return None


class NoSourcesError(AnkigenError):
    """Nothing to build: no files named, and no manifest where ankigen looks for one."""


def find_sources_folder() -> Path | None:
    """The project's sources folder, found as git finds its repository: the current folder
    when it holds a sources.toml (ankigen run inside sources/), else the nearest sources/
    holding one, in the current folder or above it. Relative to the current folder, so
    paths in messages and reports read as the user would type them; None outside a project."""
    here = Path.cwd()
    if (here / MANIFEST_NAME).is_file():
        return Path(".")
    for folder in (here, *here.parents):
        if (folder / DEFAULT_SOURCES_DIR / MANIFEST_NAME).is_file():
            return Path(os.path.relpath(folder / DEFAULT_SOURCES_DIR))
    return None


def project_path(name: str) -> Path:
    """``name`` in the project's folder (the one holding its sources folder), wherever in the
    project ankigen runs; in the current folder outside a project."""
    found = find_sources_folder()
    return Path(os.path.relpath(found.resolve().parent / name)) if found else Path(name)


def resolve_sources(paths: list[str] | tuple[str, ...]) -> list[Source]:
    """The sources to process: the paths given, or every manifest entry of the project's
    sources folder (``find_sources_folder``)."""
    if not paths:
        folder = find_sources_folder()
        if folder is None:
            manifest = DEFAULT_SOURCES_DIR / MANIFEST_NAME
            raise NoSourcesError(f"no source files given, and no {manifest} in {Path.cwd()} or "
                                 "a folder above it: name the files to use (ankigen build "
                                 "page.txt), or run ankigen in a project folder")
        entries = load_manifest(folder)
        if not entries:
            raise ManifestError(str(folder / MANIFEST_NAME),
                                "no sources given and no manifest entries found; "
                                "pass source files or add [[source]] entries")
        return list(entries.values())
    resolved = []
    manifests: dict[Path, dict[str, Source]] = {}
    for given in paths:
        path = Path(given)
        directory = path.parent
        if directory not in manifests:
            manifests[directory] = load_manifest(directory)
        entry = manifests[directory].get(path.name)
        if entry is not None:
            resolved.append(Source(given, entry.slug, entry.deck, entry.title, entry.origin,
                                   entry.home))
        else:
            stem = path.stem
            resolved.append(Source(given, slugify(stem),
                                   f"{DEFAULT_PARENT_DECK}::{clean_deck_part(stem)}",
                                   stem, "local file (not in a manifest)"))
    first_with: dict[str, Source] = {}
    for source in resolved:  # one slug, one deck file and one set of identities per source
        other = first_with.setdefault(source.slug, source)
        if other is not source:
            raise ManifestError(source.path, f"makes the same deck name ({source.slug!r}) as "
                                f"{other.path}; rename one of them, or list both in a "
                                "sources.toml with a slug of its own")
    return resolved


@dataclass
class SourceText:
    lines: list[str]
    encoding: str
    warnings: list[str]
    # lines where the source itself starts a block (a notebook's cell), which plain text can
    # show only with a blank line
    block_starts: frozenset[int] = frozenset()


def read_source(path: str) -> SourceText:
    """The file's text as lines, newlines normalized so line numbers match what editors show.

    UTF-8 (with or without a BOM) is read as it is; UTF-32 with a BOM, UTF-16 with a BOM or
    plainly UTF-16 without one, and text that is not UTF-8 but reads plausibly as
    Windows-1252/Latin-1 are decoded so, with a warning; anything else (binary, an unknown
    encoding, a file too large to study) is refused with the reason. An HTML page is read as
    the Markdown lines of its main content (``html_page``), numbered as those lines.
    """
    p = Path(path)
    if not p.exists():
        raise SourceError(path, NO_SUCH_FILE)
    if p.is_dir():
        raise SourceError(path, "is a directory; pass the files inside it")
    if not p.is_file():
        raise SourceError(path, "is not a regular file (FIFO or device?); pass a text file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(path, f"is {size // 2**20} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                              "a source may have; split it into smaller files")
        with p.open("rb") as handle:  # at most the limit: the file may grow meanwhile
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise SourceError(path, f"is more than the {MAX_FILE_BYTES // 2**20} MB a source may "
                              "have; split it into smaller files")
    except OSError as exc:
        raise SourceError(path, f"cannot be read ({exc.strerror}); check its permissions") from None
    if is_html(path, raw):
        text, encoding = decode_html(raw)
        try:
            return SourceText(html_lines(text), encoding, [])
        except RecursionError:  # (a browser caps nesting too; real pages stay far below)
            raise SourceError(path, "an HTML page with elements nested too deeply to read "
                              "(hundreds of levels); save the page's main part alone") from None
    text, encoding, strays = decode(path, raw)
    warnings = []
    if encoding in ("utf-16", "utf-32"):
        warnings.append(f"not UTF-8: read as {encoding.upper()}; re-save it as UTF-8 to be sure")
    elif strays:
        # the bytes themselves and the characters the cards will show for them: a line number
        # alone leaves the maintainer hunting for an invisible byte
        where = ", ".join(f"line {line} {_bytes_named(run)} as {_as_cp1252(run)!r}"
                          for line, run in strays[:MAX_STRAYS_SHOWN])
        unnamed = len(strays) - MAX_STRAYS_SHOWN
        more = f" and {unnamed} more" if unnamed > 0 else ""
        warnings.append(f"not UTF-8, read as {encoding}: {where}{more}; re-save the file as "
                        "UTF-8 to be sure")
    # every line break Unicode knows (CRLF, CR, U+2028, U+0085, \v, \f ...) ends a line
    lines = text.removeprefix("\ufeff").splitlines()
    block_starts: frozenset[int] = frozenset()
    if is_notebook(path, lines):
        try:
            lines, numbered_as_file, block_starts = notebook_lines(lines)
        except NotNotebook as exc:
            warnings.append(f"{exc}: read as text")
        else:
            if not numbered_as_file:
                warnings.append("a notebook not written one line per string: line numbers "
                                "count the lines of its cells, not of the file")
    return SourceText(lines, encoding, warnings, block_starts)


def read_lines(path: str) -> list[str]:
    return read_source(path).lines


def decode(path: str, raw: bytes) -> tuple[str, str, list[tuple[int, str]]]:
    """(text, encoding name, the runs of bytes that were not UTF-8) of a source's bytes; each
    run is (its line, the run as surrogate escapes: U+DC80 + byte).

    A UTF-8 file with a few stray bytes (a character pasted from a Windows program) keeps its
    UTF-8 and reads only those bytes as Windows-1252; a file with no UTF-8 characters at all
    is read as Windows-1252 whole, where that reads plausibly."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec, []
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"damaged {codec.upper()} at byte {exc.start}; re-save "
                                  "it as UTF-8") from None
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        text = _utf16_without_bom(raw)
        if text is None:
            raise SourceError(path, "looks like a binary file (NUL bytes); pass a text file")
        return text, "utf-16", []
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        # each byte that is not UTF-8 as a lone surrogate, which no UTF-8 text holds: lines
        # split as read_source splits them, every stray byte is found on its line
        escaped = raw.decode("utf-8-sig", errors="surrogateescape")
        strays = [(n, run) for n, text in enumerate(escaped.splitlines(), start=1)
                  for run in _ESCAPED_BYTES.findall(text)]
        if any(ord(c) > 127 for c in _ESCAPED_BYTES.sub("", escaped)):  # real UTF-8 is there too
            text = _ESCAPED_BYTES.sub(lambda m: _as_cp1252(m.group()), escaped)
            return text, "Windows-1252", strays
        legacy = _legacy_text(raw)
        if legacy is not None:
            return legacy, "Windows-1252", strays
        raise SourceError(path, f"not valid UTF-8 (byte {exc.start}) nor plausibly Windows-1252/"
                          "Latin-1 text; re-save the file as UTF-8", line=strays[0][0]) from None


# UTF-32's first: little-endian UTF-32's FF FE 00 00 starts with UTF-16's FF FE
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a BOM, if the bytes are that: its ASCII characters (spaces,
    newlines, punctuation) put NULs at every other byte, odd ones in little-endian and even
    ones in big-endian, and the whole decodes to printable text."""
    sample = raw[:BINARY_SNIFF_BYTES]
    units = len(sample) // 2
    if len(raw) % 2 or not units:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    nuls, stray = max(even, odd), min(even, odd)
    if nuls < UTF16_MIN_NUL_SHARE * units or stray * 10 > nuls:
        return None
    try:
        text = raw.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    head = text[:units]
    printable = sum(1 for ch in head if ch.isprintable() or ch.isspace())
    return text if "\0" not in head and printable >= UTF16_PRINTABLE_SHARE * len(head) else None


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")  # bytes surrogateescape kept, in runs


def _stray_bytes(escaped: str) -> bytes:
    return bytes(ord(c) - 0xDC00 for c in escaped)


def _as_cp1252(escaped: str) -> str:
    """Stray bytes read one by one as Windows-1252 (Latin-1 where it has no character)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                   for b in _stray_bytes(escaped))


def _bytes_named(escaped: str) -> str:
    bad = _stray_bytes(escaped)
    return ("byte " if len(bad) == 1 else "bytes ") + bad.hex(" ").upper()


def _legacy_text(raw: bytes) -> str | None:
    """Windows-1252 text (a superset of Latin-1's printable range), if it reads as such: its
    non-ASCII characters are letters and common punctuation, not control codes or symbols."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    foreign = [ch for ch in text if ord(ch) > 127]
    plausible = sum(1 for ch in foreign
                    if unicodedata.category(ch)[0] in "LP" or ch in "€£©®°±×÷ ")
    return text if foreign and plausible >= LEGACY_PLAUSIBLE_SHARE * len(foreign) else None


def default_lock_folder(sources: list[Source]) -> Path:
    """Where identities live when no --lock is given: with the manifest of a manifest
    build, else beside the first source."""
    first = sources[0]
    return Path(first.home) if first.home else Path(first.path).parent
