"""Sources as the web serves them: ``ankigen add`` stores a page and ``ankigen refresh``
fetches it again.

A page is stored raw (HTML as served, text as served) as ``<slug>.<ext>`` in the sources
folder, with its ``[[source]]`` entry (``origin``: the address; ``retrieved``: when) and an
HTML page's images in ``media/<slug>/`` with ``images.json`` (each address as the page
writes it -> its file there), which render reads. The ETag and Last-Modified a server gave
each page live in ``fetch-state.json`` beside the manifest, not in it: they are the server's
bookkeeping, change with every fetch, and would bury the maintainer's own lines in review.

Nothing is stored from a failed or suspicious fetch: ``add`` builds the page before it is
kept (a page that gives no card is not added: every build would fail on it), and
``refresh`` builds the stored and the new copy side by side with a copy of the lock and
keeps the stored one when the new one reads worse (far fewer questions, no questions, or
another kind of file: the site changed its layout or served an error or consent page).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import tomlkit

from .apkg import read_package
from .build import BuildOptions, build
from .diff import diff_packages, format_diff
from .errors import NO_SUCH_FILE, AnkigenError, ManifestError, SourceError
from .fetch import MAX_PAGE_BYTES, Fetcher, FetchError, Response
from .files import write_atomic
from .html_page import content_images, decode_html
from .identity import LOCK_NAME
from .media import (IMAGE_MAP, MAX_IMAGE_BYTES, MAX_IMAGES_PER_SOURCE, ImageError, checked_name,
                    fetched_images_folder)
from .report import BuildReport, SourceReport
from .sources import (MANIFEST_NAME, MAX_FILE_BYTES, Source, clean_deck_part, is_web_address,
                      load_manifest, slugify)

STATE_NAME = "fetch-state.json"
# a refreshed page with fewer questions than this share of the stored one's is refused
KEPT_QUESTIONS_SHARE = 0.5
# the kinds of page a source may be, by the type the server names (and, for a local file or
# a server that names none or a generic one, the address's ending)
_TYPE_ENDINGS = {"text/html": "html", "application/xhtml+xml": "html", "text/markdown": "md",
                 "text/x-markdown": "md", "application/x-ipynb+json": "ipynb",
                 "text/plain": "txt"}
_PAGE_ENDINGS = {"html", "htm", "md", "markdown", "txt", "text", "rst", "ipynb"}
_SAME_ENDING = {"htm": "html", "markdown": "md", "text": "txt"}
_GENERIC_TYPES = {"", "text/plain", "application/octet-stream", "application/json"}


class AddError(AnkigenError):
    """A page that cannot be added; nothing of it is kept."""


def page_ending(content_type: str, address: str) -> str:
    """The file name ending a page is stored under: from the type the server named, the
    address's own ending where that type says little; raises AddError for what is no page."""
    suffix = PurePosixPath(urlsplit(address).path).suffix.lower().lstrip(".")
    if content_type in _GENERIC_TYPES and suffix in _PAGE_ENDINGS:
        return _SAME_ENDING.get(suffix, suffix)
    if content_type in _TYPE_ENDINGS:
        return _TYPE_ENDINGS[content_type]
    served = content_type or "no type"
    raise AddError(f"{address}: served as {served}, not a page of text (HTML, Markdown, plain "
                   "text or a notebook)")


# --- the manifest and the fetch state --------------------------------------------------------

def _append_entry(manifest: Path, entry: dict[str, str]) -> None:
    """Add a [[source]] table at the end, the file's own lines and comments as they are."""
    text = manifest.read_text(encoding="utf-8")
    lines = [f"{key} = {tomlkit.item(value).as_string()}" for key, value in entry.items()]
    text = text.rstrip("\n") + "\n\n[[source]]\n" + "\n".join(lines) + "\n"
    write_atomic(manifest, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _set_retrieved(manifest: Path, file: str, when: str) -> None:
    document = tomlkit.parse(manifest.read_text(encoding="utf-8"))
    for entry in document.get("source", []):
        if entry.get("file") == file:
            entry["retrieved"] = when
    text = tomlkit.dumps(document)
    write_atomic(manifest, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _load_state(folder: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # lost validators only cost a full fetch
        raise ManifestError(str(folder / STATE_NAME), f"unreadable ({exc}); delete it") from None
    return data if isinstance(data, dict) else {}


def _save_state(folder: Path, state: dict[str, dict[str, str]]) -> None:
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(folder / STATE_NAME, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _validators(response: Response) -> dict[str, str]:
    return {key: value for key, value in (("etag", response.etag),
                                          ("last_modified", response.last_modified)) if value}


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- images ----------------------------------------------------------------------------------

class _PageLinks(HTMLParser):
    """What fetching an HTML page needs of its head: its <base href> and <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "base" and values.get("href") and not self.base:
            self.base = values["href"]
        self._in_title = tag == "title" and not self.title

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _page_links(content: bytes) -> _PageLinks:
    links = _PageLinks()
    links.feed(content.decode("utf-8", "replace"))  # addresses are ASCII in any encoding
    links.close()
    return links


def fetch_images(fetcher: Fetcher, page_url: str, content: bytes, folder: Path) -> list[str]:
    """Fetch the images an HTML page shows into ``folder`` with its images.json; returns one
    line for each image that could not be (it stays a link on the card)."""
    links = _page_links(content)
    base = urljoin(page_url, links.base) if links.base else page_url
    found: dict[str, str] = {}
    problems = []
    for src in content_images(decode_html(content)[0]):  # the images the cards can show
        address = urljoin(base, src.strip())
        if not is_web_address(address):
            problems.append(f"image {src[:100]}: not fetched: only http and https images are")
            continue
        if len(found) == MAX_IMAGES_PER_SOURCE:
            problems.append(f"image {src[:100]}: not fetched: a page's deck holds at most "
                            f"{MAX_IMAGES_PER_SOURCE} images")
            continue
        try:
            data = fetcher.get(address, max_bytes=MAX_IMAGE_BYTES).content
            name = checked_name(data)
        except (FetchError, ImageError) as exc:
            problems.append(f"image {src[:100]}: not fetched: {exc}")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        found[src] = name
    if found:
        (folder / IMAGE_MAP).write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    return problems


# --- add -------------------------------------------------------------------------------------

@dataclass
class Built:
    """The build of one source."""

    report: BuildReport

    @property
    def entry(self) -> SourceReport:
        return self.report.sources[0]


@dataclass
class Added(Built):
    path: Path = Path()
    image_problems: list[str] = field(default_factory=list)


def add_source(given: str, folder: Path, out_dir: Path, slug: str = "", deck: str = "",
               title: str = "", fetcher: Fetcher | None = None) -> Added:
    """Store the page at ``given`` (an address, or a local file, copied) in ``folder`` with its
    manifest entry, and build it into ``out_dir``; a page that cannot be fetched or read, or
    gives no card, leaves nothing behind (AddError, with the build's report where it ran)."""
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        raise AddError(f"no {manifest} in {Path.cwd()} or a folder above it: run ankigen add "
                       "in a project folder")
    entries = load_manifest(folder)
    state = _load_state(folder)
    retrieved = _now()
    validators: dict[str, str] = {}
    if "://" in given and not is_web_address(given):
        raise FetchError(f"{given}: only http and https addresses are fetched")
    if is_web_address(given):
        fetcher = fetcher or Fetcher()
        response = fetcher.get(given)
        content, address = response.content, response.url
        ending = page_ending(response.content_type, address)
        validators = _validators(response)
    else:
        content, address = _local_page(given), given
        ending = page_ending("", given)
    page_title = _page_links(content).title.strip() if ending == "html" else ""
    slug = slugify(slug or title or page_title or _address_name(address))
    deck = clean_deck_part(deck or title or page_title or slug)
    _refuse_taken(entries, manifest, slug, deck)
    path = folder / f"{slug}.{ending}"
    images = fetched_images_folder(path)
    for taken in (path, images):
        if taken.exists():
            raise AddError(f"{taken} exists already; choose another --slug")
    lock = folder / LOCK_NAME
    kept = {p: p.read_bytes() for p in (manifest, lock) if p.exists()}
    try:
        path.write_bytes(content)
        problems = (fetch_images(fetcher, address, content, images)
                    if ending == "html" and fetcher else [])
        origin = given if is_web_address(given) else f"local file {Path(given).name}"
        entry = {"file": path.name, "slug": slug, "deck": deck,
                 "title": title or page_title or deck, "origin": origin, "retrieved": retrieved}
        _append_entry(manifest, {k: v for k, v in entry.items() if v})
        source = load_manifest(folder)[path.name]
        report = build([source], out_dir, BuildOptions(lock_path=lock))
        result = Added(report, path, problems)
        if result.entry.error or not result.entry.cards:
            why = result.entry.error or f"{path.name}: no question with an answer became a card"
            raise NotAdded(result, why)
        if validators:
            state[path.name] = validators
            _save_state(folder, state)
    except BaseException:
        _undo(path, images, kept, (manifest, lock), out_dir)
        raise
    return result


class NotAdded(AddError):
    """A page that was fetched and built but gives no card; its report says what it gave."""

    def __init__(self, added: Added, why: str):
        super().__init__(f"nothing added: {why}")
        self.added = added


def _undo(path: Path, images: Path, kept: dict[Path, bytes], files: tuple[Path, ...],
          out_dir: Path) -> None:
    """Leave the folder as it was before the page came: no page, images, entry or identities."""
    path.unlink(missing_ok=True)
    shutil.rmtree(images, ignore_errors=True)
    (out_dir / f"{path.stem}.apkg").unlink(missing_ok=True)
    for file in files:
        if file in kept:
            write_atomic(file, lambda tmp, data=kept[file]: tmp.write_bytes(data))
        else:
            file.unlink(missing_ok=True)


def _local_page(given: str) -> bytes:
    page = Path(given)
    if not page.is_file():
        raise SourceError(given, f"{NO_SUCH_FILE}, or give an http(s) address")
    if page.stat().st_size > MAX_FILE_BYTES:
        raise SourceError(given, f"more than the {MAX_FILE_BYTES // 2**20} MB a source may have")
    return page.read_bytes()


def _address_name(address: str) -> str:
    parts = urlsplit(address)
    stem = PurePosixPath(parts.path).stem
    return stem if stem and stem != "index" else (parts.hostname or stem)


def _refuse_taken(entries: dict[str, Source], manifest: Path, slug: str, deck: str) -> None:
    for file, source in entries.items():
        if source.slug == slug:
            raise AddError(f"{manifest}: slug {slug!r} is {file}'s already; choose another "
                           "with --slug")
        if source.deck.split("::", 1)[-1].casefold() == deck.casefold():
            raise AddError(f"{manifest}: deck {deck!r} is {file}'s already (Anki would merge "
                           "them); choose another with --deck")


# --- refresh ---------------------------------------------------------------------------------

@dataclass
class Refreshed:
    file: str
    status: str  # "unchanged", "changed" or "failed"
    detail: str = ""  # a failure's reason, or what changed
    diff: str = ""  # the questions added, changed and removed, as `ankigen diff` shows them
    image_problems: list[str] = field(default_factory=list)


def refresh_sources(folder: Path, files: list[str] | None = None,
                    fetcher: Fetcher | None = None, debug: bool = False) -> list[Refreshed]:
    """Fetch each web source of the manifest in ``folder`` again (``files``: only these; the
    default is every entry with an http(s) origin) and keep each new copy that reads as
    well as the stored one. With ``debug``, a page's error raises, for its traceback."""
    fetcher = fetcher or Fetcher()
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        raise ManifestError(str(manifest), f"not found in {Path.cwd()} or a folder above it: "
                            "run ankigen refresh in a project folder")
    entries = load_manifest(folder)
    state = _load_state(folder)
    chosen = files if files else [f for f, s in entries.items() if is_web_address(s.origin)]
    results = []
    for file in chosen:
        given = Path(file)  # a file of the folder, or its bare name
        inside = given.parent == Path(".") or given.parent.resolve() == folder.resolve()
        name = given.name if inside else file
        source = entries.get(name)
        if source is None or not is_web_address(source.origin):
            why = ("not in " + str(manifest)) if source is None else "no http(s) origin"
            results.append(Refreshed(file, "failed", why))
            continue
        try:
            result, validators = _refresh_one(fetcher, folder, source, state.get(name, {}))
        except AnkigenError as exc:  # the validators stay those of the stored copy
            if debug:
                raise
            results.append(Refreshed(name, "failed", str(exc)))
            continue
        results.append(result)
        state[name] = validators
        _save_state(folder, state)  # after each page: an interrupted run keeps its work
    return results


def _refresh_one(fetcher: Fetcher, folder: Path, source: Source, validators: dict[str, str]
                 ) -> tuple[Refreshed, dict[str, str]]:
    """What became of the source, and the validators of the copy now stored."""
    path = Path(source.path)
    name = path.name
    response = fetcher.get(source.origin, MAX_PAGE_BYTES, validators.get("etag", ""),
                           validators.get("last_modified", ""))
    if response.status == 304:
        return Refreshed(name, "unchanged"), validators
    if path.is_file() and path.read_bytes() == response.content:
        return Refreshed(name, "unchanged"), _validators(response)
    ending = page_ending(response.content_type, response.url)
    stored = path.suffix.lower().lstrip(".")
    if ending != _SAME_ENDING.get(stored, stored):
        raise FetchError(f"served as {response.content_type or 'no type'} now, not as the "
                         f"{path.suffix} stored: an error or consent page?")
    with tempfile.TemporaryDirectory(prefix="ankigen-refresh-") as scratch:
        staged = Path(scratch) / "new" / name
        staged.parent.mkdir()
        staged.write_bytes(response.content)
        images = fetched_images_folder(staged)
        problems = (fetch_images(fetcher, response.url, response.content, images)
                    if ending == "html" else [])
        before, after = _build_both(source, staged, folder, Path(scratch))
        if after.entry.error:
            raise FetchError(f"the new copy does not read ({after.entry.error}); the site may "
                             "have changed its layout")
        if after.entry.cards < before.entry.cards * KEPT_QUESTIONS_SHARE:
            raise FetchError(f"the new copy gives {after.entry.cards} of the stored one's "
                             f"{before.entry.cards} cards: the site may have changed its layout "
                             "or served an error or consent page")
        difference = diff_packages(read_package(before.entry.output),
                                   read_package(after.entry.output))
        write_atomic(path, lambda tmp: tmp.write_bytes(response.content))
        shutil.rmtree(fetched_images_folder(path), ignore_errors=True)
        if images.exists():
            shutil.copytree(images, fetched_images_folder(path))
    _set_retrieved(folder / MANIFEST_NAME, name, _now())
    counts = (f"{len(difference.added)} added, {len(difference.changed)} changed, "
              f"{len(difference.removed)} removed")
    return Refreshed(name, "changed", counts, format_diff(difference).partition("\n")[2],
                     problems), _validators(response)


def _build_both(source: Source, staged: Path, folder: Path, scratch: Path) -> tuple[Built, Built]:
    """The stored and the new copy built as the release would, each with its own copy of the
    lock (so a note keeps its GUID in both and the real lock is not touched)."""
    built = []
    for label, page in (("old", Path(source.path)), ("new", staged)):
        lock = scratch / f"{label}.lock"
        if (folder / LOCK_NAME).exists():
            shutil.copy(folder / LOCK_NAME, lock)
        copy = Source(str(page), source.slug, source.deck, source.title, source.origin)
        built.append(Built(build([copy], scratch / f"{label}-decks", BuildOptions(lock_path=lock))))
    return built[0], built[1]
