"""Helpers shared by test modules: test modules import from here (or use conftest's fixtures),
never from each other."""

from __future__ import annotations

import json
import os
import shutil
import struct
import textwrap
import threading
import time
import zlib
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from ankigen.pipeline import Options, Pipeline, SourceResult
from ankigen.record import Record
from ankigen.scrape import ScrapeResult, build_registry, scrape_source
from ankigen.sources import Source

PROJECT = Path(__file__).resolve().parent.parent
SOURCES_DIR = PROJECT / "sources"

# a source every build can take, beside the bad ones a test gives it
GOOD = "Q: What is a tensor?\n\nA: A multi-dimensional array of numbers.\n"

# the sources a release test works on, copied by the `sources` fixture below
FILES = ["transformer-model-qa.txt", "transformers-part-6.txt"]


def import_package(col, path: Path):
    """Import with the options a fresh Anki profile uses by default; return the import log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(merge_notetypes=False, update_notes=0, update_notetypes=0,
                                       with_scheduling=False, with_deck_configs=False)
    request = ImportAnkiPackageRequest(package_path=os.fspath(Path(path).resolve()), options=options)
    return col.import_anki_package(request).log


def scrape_text(tmp_path, text: str, name: str = "excerpt.txt"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    return scrape_source(Source(str(path), "excerpt", "ML Interview::Excerpt", "Excerpt", ""),
                         build_registry(load_plugins=False))


def scrape_result(path: Path) -> SourceResult:
    """A page through the stages before rendering, with the fate of every line."""
    return Pipeline(Options(render=False), build_registry(load_plugins=False)).run(
        Source(str(path), path.stem, f"Dev::{path.stem}", path.stem, ""))


def scrape_records(path: Path) -> list[dict]:
    result = scrape_result(path)
    return [r.to_json() for r in result.cards + [record for record, _ in result.skipped]]


def finish(records: list[Record], render: bool = True) -> SourceResult:
    """Records a test made, through the stages after the scrape, as the pipeline runs them."""
    scraped = ScrapeResult(Source("s.txt", "s", "S", "S", ""), "inferred", records, {}, [], [])
    return Pipeline(Options(render=render)).finish(scraped)


def write(path: Path, content: str | bytes) -> str:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def run_build(tmp_path: Path, *sources: str, out: str = "out", options: tuple[str, ...] = ()):
    """Build the given sources plus a good one; return (result, report dict or None)."""
    good = write(tmp_path / "good.txt", GOOD)
    result = CliRunner().invoke(main, ["build", *sources, good, "-o", str(tmp_path / out),
                                       "--lock", str(tmp_path / "test.lock"), *options])
    report_path = tmp_path / out / "report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    assert "Traceback" not in result.output
    return result, report


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


@pytest.fixture
def sources(tmp_path):
    """A sources folder of FILES and the manifest, for a release test (import it by this name:
    it stands in for conftest's `sources` in that module)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in FILES + ["sources.toml"]:
        shutil.copy(SOURCES_DIR / name, folder / name)
        (folder / name).chmod(0o644)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def best_time(work, size: int) -> float:
    data = work(size)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        data[0](*data[1:])
        timings.append(time.perf_counter() - start)
    return min(timings)


def parse_elements(html: str) -> list[tuple[str, list]]:
    """The (tag, attributes) of every element in an HTML fragment, as a browser would see them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


class _Handler(BaseHTTPRequestHandler):
    """Answers each path as the test server's `routes` say; logs every request."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        server.log.append((self.path, dict(self.headers), time.monotonic()))
        route = server.routes.get(self.path, {"status": 404, "body": b"not found"})
        if callable(route):
            route = route()
        etag = route.get("etag")
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        body = route.get("body", b"")
        self.send_response(route.get("status", 200))
        self.send_header("Content-Type", route.get("type", "text/plain; charset=utf-8"))
        if etag:
            self.send_header("ETag", etag)
        for name, value in route.get("headers", {}).items():
            self.send_header(name, value)
        if route.get("length", True):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if route.get("drip"):  # a byte at a time, slower than any timeout a test sets
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(route["drip"])
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args) -> None:
        pass  # the test reads server.log


@pytest.fixture
def web():
    """A web server on 127.0.0.1 for fetching tests: set `web.routes[path]` to a dict
    (status, body, type, etag, headers, length, drip) or a function returning one; every
    request is in `web.log` as (path, headers, time). Nothing touches the internet."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {"/robots.txt": {"body": b"User-agent: *\nAllow: /\n"}}
    server.log = []
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def png(width: int, red: int = 255) -> bytes:
    """A real PNG of one colour, so each test image is an image and no fixture file is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([red, 0, 0]) * width for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
