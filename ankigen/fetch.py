"""Fetching a page or an image from the web for ``ankigen add`` and ``refresh``, politely.

Every request: http(s) only, a clear User-Agent with the project's address, robots.txt
obeyed, at most one request a second per host, a timeout for the whole response (a server
that drips bytes cannot hold a build), a size limit, redirects followed by hand within a
limit (a loop is refused), and the page's ETag / Last-Modified sent back so an unchanged
page costs the server nothing. Anything wrong is a FetchError whose message is one line.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3

from . import __version__
from .errors import AnkigenError



def user_agent() -> str:
    """"ankigen/<version> (+<contact>)": the contact is where a site's admin learns who fetches
    (ANKIGEN_CONTACT, a URL or address the maintainer sets, or in GitHub Actions the
    repository that runs the release); without one, no address is made up."""
    contact = os.environ.get("ANKIGEN_CONTACT", "").strip()
    if not contact and os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        contact = f"{server}/{os.environ['GITHUB_REPOSITORY']}"
    return f"ankigen/{__version__}" + (f" (+{contact})" if contact else "")

ROBOTS_AGENT = "ankigen"  # the name robots.txt rules address
TIMEOUT_SECONDS = 20.0  # for the whole response, not each read
MAX_PAGE_BYTES = 16 * 2**20  # a page of questions is far smaller; a bigger one is no page
MAX_REDIRECTS = 5
SECONDS_PER_REQUEST = 1.0  # per host
_CHUNK = 64 * 1024


class FetchError(AnkigenError):
    """A fetch that gave nothing to store; the message says why, in one line."""


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: no body)
    content: bytes = b""
    content_type: str = ""  # the media type alone, lower case: "text/html"
    etag: str = ""
    last_modified: str = ""


@dataclass
class Fetcher:
    """One run's client: its session, the hosts' robots.txt rules and when each host was
    last asked (so the one-request-a-second pace holds across pages and their images)."""

    timeout: float = TIMEOUT_SECONDS
    session: requests.Session = field(default_factory=requests.Session)
    _robots: dict[str, RobotFileParser] = field(default_factory=dict)
    _last_request: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent()
        self.session.trust_env = False  # no proxy or .netrc credentials from the environment

    def get(self, url: str, max_bytes: int = MAX_PAGE_BYTES, etag: str = "",
            last_modified: str = "") -> Response:
        """The page at ``url``; a 304 Response when the validators show it unchanged."""
        conditional = {k: v for k, v in (("If-None-Match", etag),
                                         ("If-Modified-Since", last_modified)) if v}
        seen = [url]
        while True:
            self._check_allowed(url)
            response = self._request(url, conditional)
            with response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("Location", ""))
                    if target in seen:
                        raise FetchError(f"{seen[0]}: redirect loop ({' -> '.join(seen + [target])})")
                    if len(seen) > MAX_REDIRECTS:
                        raise FetchError(f"{seen[0]}: more than {MAX_REDIRECTS} redirects")
                    seen.append(target)
                    url = target
                    continue
                if response.status_code == 304:
                    return Response(url, 304, etag=etag, last_modified=last_modified)
                if response.status_code != 200:
                    raise FetchError(f"{url}: HTTP {response.status_code} "
                                     f"{response.reason or ''}".rstrip())
                content = self._body(url, response, max_bytes)
                return Response(url, 200, content,
                                response.headers.get("Content-Type", "").split(";")[0]
                                .strip().lower(),
                                response.headers.get("ETag", ""),
                                response.headers.get("Last-Modified", ""))

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response:
        host = urlsplit(url).netloc.lower()
        wait = self._last_request.get(host, -SECONDS_PER_REQUEST) + SECONDS_PER_REQUEST \
            - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                    timeout=self.timeout)
        except requests.Timeout:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise FetchError(f"{url}: cannot connect ({type(exc).__name__})") from None
        finally:  # counted from the answer: the server had the request before it
            self._last_request[host] = time.monotonic()

    def _body(self, url: str, response: requests.Response, max_bytes: int) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{url}: {int(declared):,} bytes, more than the {max_bytes:,} "
                             "bytes allowed")
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        try:
            # read1 returns what has come (iter_content waits for a whole chunk, which a
            # server sending a byte at a time would stretch past any deadline)
            while chunk := response.raw.read1(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: more than the {max_bytes:,} bytes allowed")
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: not sent within {self.timeout:g} s")
                chunks.append(chunk)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(f"{url}: the response broke off ({type(exc).__name__})") from None
        return b"".join(chunks)

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http and https addresses are fetched")
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        if not self._robots[origin].can_fetch(ROBOTS_AGENT, url):
            raise FetchError(f"{url}: the site's robots.txt disallows it")

    def _read_robots(self, origin: str) -> RobotFileParser:
        """The site's rules; none where it has no robots.txt (4xx), all forbidden where it
        refuses us (401/403) or cannot say (5xx, no answer): we may not know we are welcome."""
        rules = RobotFileParser(f"{origin}/robots.txt")
        url = rules.url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._request(url, {})
            with response:
                if response.is_redirect:  # http -> https, often: robots of the same site
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                if response.status_code in (401, 403) or response.status_code >= 500:
                    raise FetchError(f"{url}: HTTP {response.status_code}; the site does not "
                                     "say what robots may fetch")
                if response.status_code != 200:  # no robots.txt: no rules
                    rules.allow_all = True
                    return rules
                text = self._body(url, response, MAX_PAGE_BYTES).decode("utf-8", "replace")
            rules.parse(text.splitlines())
            return rules
        raise FetchError(f"{rules.url}: more than {MAX_REDIRECTS} redirects")
