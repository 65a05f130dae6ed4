"""`ankigen add` and `ankigen refresh` against a web server on 127.0.0.1 (helpers' `web`):
each kind of answer gives one clear line, and nothing is stored from a failed or suspicious
fetch."""

from __future__ import annotations

import json
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from ankigen.fetch import Fetcher, user_agent
from ankigen.media import media_name
from ankigen.websources import STATE_NAME, refresh_sources
from helpers import SOURCES_DIR, web  # noqa: F401 (web: a fixture)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
QUESTIONS = ["What is a tensor?", "What is dropout?", "What is a learning rate?",
             "What is a batch?"]


def qa_page(answers: dict[str, str] | None = None) -> bytes:
    answers = answers or {}
    return "".join(f"Q: {q}\n\nA: {answers.get(q, 'It is explained in the course, ' + str(n))}.\n\n"
                   for n, q in enumerate(QUESTIONS)).encode()


# an HTML page with its images: some fetched, some that cannot be
HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Deep learning questions</title></head>
<body><header><a href="/"><img src="img/logo.png" alt="site logo"></a></header><main>
<h2>1. What is a tensor?</h2>
<p>A multi-dimensional array of numbers. <img src="img/tensor.png" alt="a tensor">
<img src="/img/missing.png" alt="gone"> <img src="img/page.png" alt="not an image">
<img src="img/huge.png" alt="too large"></p>
<h2>2. What is dropout?</h2>
<p>Randomly zeroing activations while training. <img src="data:image/png;base64,iVBORw0K" alt="x"></p>
<h2>3. What is a learning rate?</h2>
<p>The step size of gradient descent. <img src="img/tensor.png" alt="again"></p>
</main><footer><img src="/pixel.gif" alt=""></footer></body></html>
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (cwd) with the real manifest's layout and comments and no sources."""
    folder = tmp_path / "sources"
    folder.mkdir()
    manifest = (SOURCES_DIR / "sources.toml").read_text(encoding="utf-8")
    (folder / "sources.toml").write_text(manifest[:manifest.index("\n[[source]]") + 1], encoding="utf-8")
    (folder / "old.txt").write_text("Q: What is old?\n\nA: Not new.\n", encoding="utf-8")
    with (folder / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write('[[source]]\nfile = "old.txt"\nslug = "old"\ndeck = "Old"  # kept\n')
    monkeypatch.chdir(tmp_path)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def ankigen(*args: str):
    return CliRunner().invoke(main, list(args))


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def test_add_stores_the_page_its_images_and_its_entry_and_shows_what_it_gave(project, web,
                                                                          monkeypatch):
    monkeypatch.setenv("ANKIGEN_CONTACT", "https://example.org/decks")
    manifest_before = (project / "sources.toml").read_text(encoding="utf-8")
    web.routes.update({
        "/dl/questions.html": {"body": HTML_PAGE, "type": "text/html; charset=utf-8",
                               "etag": '"v1"'},
        "/dl/img/tensor.png": {"body": PNG, "type": "image/png"},
        "/dl/img/page.png": {"body": b"<html>sign in</html>", "type": "image/png"},
        "/dl/img/huge.png": {"body": PNG + bytes(5 * 2**20), "type": "image/png"}})
    result = ankigen("add", f"{web.url}/dl/questions.html", "--slug", "dl")
    assert result.exit_code == 0, result.output
    page = project / "dl.html"
    assert page.read_bytes() == HTML_PAGE  # as served
    media = project / "media" / "dl"
    assert json.loads((media / "images.json").read_text()) == {
        "img/tensor.png": media_name(PNG, "png")}
    assert (media / media_name(PNG, "png")).read_bytes() == PNG
    warnings = [line for line in result.stderr.splitlines() if "not fetched" in line]
    assert [w.split(": ", 3)[2] for w in warnings] == [
        "image /img/missing.png", "image img/page.png", "image img/huge.png",
        "image data:image/png;base64,iVBORw0K"]
    assert "HTTP 404" in warnings[0] and "not a PNG" in warnings[1]
    assert "more than the 5,242,880 bytes allowed" in warnings[2] and "http and https" in warnings[3]
    # tensor.png is fetched once though the page shows it twice; the chrome's images never
    fetched = [path for path, _, _ in web.log]
    assert fetched.count("/dl/img/tensor.png") == 1
    assert "/dl/img/logo.png" not in fetched and "/pixel.gif" not in fetched
    text = (project / "sources.toml").read_text(encoding="utf-8")
    assert text.startswith(manifest_before)  # the maintainer's lines and comments as they were
    entry = tomllib.loads(text)["source"][-1]
    assert entry["file"] == "dl.html" and entry["slug"] == "dl"
    assert entry["deck"] == entry["title"] == "Deep learning questions"
    assert entry["origin"] == f"{web.url}/dl/questions.html"
    assert entry["retrieved"].endswith("Z") and entry["retrieved"][4] == "-"
    assert json.loads((project / STATE_NAME).read_text())["dl.html"] == {"etag": '"v1"'}
    assert "ML Interview::Deep learning questions: 3 cards" in result.stdout
    assert "questions marked by" in result.stdout
    with zipfile.ZipFile(Path("build") / "dl.apkg") as deck:  # the card shows it
        assert json.loads(deck.read("media")) == {"0": media_name(PNG, "png")}
        assert deck.read("0") == PNG
    headers = {path: h for path, h, _ in web.log}
    # who fetches, with the contact the maintainer set (ANKIGEN_CONTACT, in the fixture's env)
    assert headers["/dl/questions.html"]["User-Agent"].startswith("ankigen/")
    assert headers["/dl/questions.html"]["User-Agent"].endswith(" (+https://example.org/decks)")


def test_add_follows_a_redirect_and_names_the_file_from_where_it_led(project, web):
    web.routes.update({"/old-place": {"status": 301, "headers": {"Location": "/qa"}},
                       "/qa": {"body": qa_page(), "type": "text/markdown"}})
    result = ankigen("add", f"{web.url}/old-place", "--deck", "Basics")
    assert result.exit_code == 0, result.output
    assert (project / "qa.md").read_bytes() == qa_page()
    assert "ML Interview::Basics: 4 cards" in result.stdout


def test_add_copies_a_local_file_and_refuses_a_slug_or_deck_taken(project, tmp_path):
    saved = tmp_path / "saved page.txt"
    saved.write_bytes(qa_page())
    assert ankigen("add", str(saved), "--slug", "old").exit_code == 1
    taken = ankigen("add", str(saved), "--deck", "old")
    assert errors(taken) == [f"Error: {Path('sources/sources.toml')}: deck 'old' is old.txt's "
                             "already (Anki would merge them); choose another with --deck"]
    result = ankigen("add", str(saved))
    assert result.exit_code == 0, result.output
    assert (project / "saved-page.txt").read_bytes() == qa_page()
    entry = tomllib.loads((project / "sources.toml").read_text())["source"][-1]
    assert entry["origin"] == "local file saved page.txt"
    assert not (project / STATE_NAME).exists()  # nothing to ask a server about


def test_a_page_that_gives_no_card_is_not_added(project, web):
    before = snapshot(project)
    web.routes["/cookies"] = {"body": b"<html><body><p>We value your privacy. Accept all "
                                      b"cookies?</p></body></html>", "type": "text/html"}
    result = ankigen("add", f"{web.url}/cookies")
    assert result.exit_code == 1
    assert len(errors(result)) == 1 and "Error: nothing added: " in errors(result)[0]
    assert snapshot(project) == before  # no page, entry, lock, images or state
    assert not (Path("build") / "cookies.apkg").exists()


@pytest.mark.parametrize("route, reason", [
    ({"status": 404, "body": b"gone"}, "HTTP 404"),
    ({"status": 500, "body": b"oops"}, "HTTP 500"),
    ({"status": 302, "headers": {"Location": "/page"}}, "redirect loop (http://127.0.0.1"),
    ({"body": PNG, "type": "image/png"}, "served as image/png, not a page of text"),
    ({"body": b"x" * (16 * 2**20 + 1), "length": False}, "more than the 16,777,216 bytes"),
], ids=["404", "500", "loop", "wrong-type", "oversized"])
def test_a_failed_fetch_adds_nothing_and_says_why_in_one_line(project, web, route, reason):
    before = snapshot(project)
    web.routes["/page"] = route
    result = ankigen("add", f"{web.url}/page")
    assert result.exit_code == 1
    (line,) = errors(result)
    assert reason in line, line
    assert snapshot(project) == before


def test_too_many_redirects_and_robots_and_other_schemes_are_refused(project, web):
    for n in range(7):
        web.routes[f"/r{n}"] = {"status": 307, "headers": {"Location": f"/r{n + 1}"}}
    assert "more than 5 redirects" in errors(ankigen("add", f"{web.url}/r0"))[0]
    assert "only http and https" in errors(ankigen("add", "ftp://127.0.0.1/page.txt"))[0]
    web.routes["/robots.txt"] = {"body": b"User-agent: *\nDisallow: /private/\n"}
    web.routes["/private/qa.txt"] = {"body": qa_page()}
    (line,) = errors(ankigen("add", f"{web.url}/private/qa.txt"))
    assert line.endswith("/private/qa.txt: the site's robots.txt disallows it")
    assert "/private/qa.txt" not in [path for path, _, _ in web.log]  # never asked for
    web.routes["/robots.txt"] = {"status": 503}
    (line,) = errors(ankigen("add", f"{web.url}/qa.txt"))
    assert line.endswith("/robots.txt: HTTP 503; the site does not say what robots may fetch")


def test_requests_to_a_host_are_a_second_apart(project, web):
    web.routes.update({"/a.txt": {"body": qa_page()}})
    fetcher = Fetcher()
    for _ in range(3):
        fetcher.get(f"{web.url}/a.txt")
    times = [when for _, _, when in web.log]  # robots.txt, then the page three times
    assert len(times) == 4
    assert all(later - earlier >= 0.99 for earlier, later in zip(times, times[1:]))


# --- refresh ---------------------------------------------------------------------------------

@pytest.fixture
def added(project, web):
    """A web page added to the project, its server's route to change: (folder, route)."""
    route = {"body": qa_page(), "etag": '"v1"'}
    web.routes["/qa.txt"] = lambda: route
    result = ankigen("add", f"{web.url}/qa.txt", "--slug", "qa")
    assert result.exit_code == 0, result.output
    return project, route


def test_refresh_sends_the_validators_and_an_unchanged_page_stays(added, web):
    folder, _ = added
    before = snapshot(folder)
    result = ankigen("refresh")
    assert result.exit_code == 0, result.output
    assert result.stdout == "qa.txt: unchanged\n"  # the local old.txt has no web origin
    assert web.log[-1][0] == "/qa.txt" and web.log[-1][1]["If-None-Match"] == '"v1"'
    assert snapshot(folder) == before


def test_refresh_keeps_a_changed_page_and_shows_the_questions_changed(added, web):
    folder, route = added
    route["body"] = qa_page({"What is dropout?": "Zeroing random activations while training"}) \
        .replace(b"Q: What is a batch?", b"Q: What is an epoch?")
    route["etag"] = '"v2"'
    retrieved = tomllib.loads((folder / "sources.toml").read_text())["source"][-1]["retrieved"]
    result = ankigen("refresh", "sources/qa.txt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "qa.txt: changed: 1 added, 1 changed, 1 removed"
    assert "  + What is an epoch?" in lines and "  - What is a batch?" in lines
    assert "  ~ What is dropout?" in lines
    assert any("[-It is explained in the course, 1.-] {+Zeroing random activations while "
               "training.+}" in line for line in lines)
    assert (folder / "qa.txt").read_bytes() == route["body"]
    assert json.loads((folder / STATE_NAME).read_text())["qa.txt"] == {"etag": '"v2"'}
    entry = tomllib.loads((folder / "sources.toml").read_text())["source"][-1]
    assert entry["retrieved"] >= retrieved


@pytest.mark.parametrize("change, reason", [
    ({"body": b"Q: What is a tensor?\n\nA: An array.\n\nQ: Do you accept our cookies?\n"},
     "the new copy gives 1 of the stored one's 4 cards"),
    ({"body": b"<html><body>Access denied</body></html>"}, "the new copy does not read"),
    ({"body": qa_page({"What is a tensor?": "An array"}), "type": "text/html"},
     "served as text/html now, not as the .txt stored"),
    ({"status": 500}, "HTTP 500"),
    ({"status": 301, "headers": {"Location": "/qa.txt"}}, "redirect loop"),
    ({"body": b"Q: x?\n" * 3_000_000, "length": False}, "more than the 16,777,216 bytes"),
], ids=["far-fewer", "unreadable", "wrong-type", "500", "loop", "oversized"])
def test_a_failed_or_suspicious_refresh_keeps_the_stored_copy(added, web, change, reason):
    folder, route = added
    route.pop("etag")  # no 304 for the changed page
    route.update(change)
    before = snapshot(folder)
    result = ankigen("refresh")
    assert result.exit_code == 1
    (line,) = errors(result)
    assert line.startswith("Error: qa.txt: failed: ") and reason in line, line
    assert line.endswith("; the stored copy is kept")
    assert snapshot(folder) == before


def test_a_slow_page_and_a_disallowed_one_fail_with_the_stored_copy_kept(added, web):
    folder, route = added
    route.pop("etag")
    route.update(body=qa_page().replace(b"tensor", b"matrix") * 20, drip=0.05)  # 3 minutes
    before = snapshot(folder)
    (slow,) = refresh_sources(folder, fetcher=Fetcher(timeout=1))
    assert slow.status == "failed" and "not sent within 1 s" in slow.detail
    web.routes["/robots.txt"] = {"body": b"User-agent: ankigen\nDisallow: /\n"}
    (forbidden,) = refresh_sources(folder)
    assert forbidden.status == "failed" and "robots.txt disallows it" in forbidden.detail
    assert snapshot(folder) == before


def test_refresh_says_when_no_source_is_on_the_web(project):
    result = ankigen("refresh")
    assert result.exit_code == 0
    assert result.stdout == (f"nothing to refresh: no source in {Path('sources/sources.toml')} "
                             "has an http(s) origin\n")


def test_refresh_names_a_source_it_cannot_refresh(added):
    result = ankigen("refresh", "sources/old.txt", "sources/nowhere.txt")
    assert result.exit_code == 1
    assert errors(result) == [
        "Error: sources/old.txt: failed: no http(s) origin; the stored copy is kept",
        f"Error: sources/nowhere.txt: failed: not in {Path('sources/sources.toml')}; the "
        "stored copy is kept"]


def test_refresh_fetches_a_changed_html_pages_images_again(project, web):
    route = {"body": HTML_PAGE, "type": "text/html"}
    web.routes.update({"/p.html": lambda: route,
                       "/img/tensor.png": {"body": PNG, "type": "image/png"}})
    assert ankigen("add", f"{web.url}/p.html", "--slug", "p").exit_code == 0
    other = PNG + b"2"
    web.routes["/img/new.png"] = {"body": other, "type": "image/png"}
    route["body"] = HTML_PAGE.replace(b'"img/tensor.png" alt="again"', b'"img/new.png" alt="new"')
    result = ankigen("refresh")
    assert result.stdout.startswith("p.html: changed: 0 added, 1 changed, 0 removed"), result.output
    media = project / "media" / "p"
    assert json.loads((media / "images.json").read_text()) == {
        "img/tensor.png": media_name(PNG, "png"), "img/new.png": media_name(other, "png")}
    assert sorted(p.name for p in media.iterdir()) == sorted(
        ["images.json", media_name(PNG, "png"), media_name(other, "png")])


def test_the_user_agent_names_a_contact_only_where_one_is_known(monkeypatch):
    monkeypatch.delenv("ANKIGEN_CONTACT", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    assert user_agent().startswith("ankigen/") and "(+" not in user_agent()  # none made up
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/decks")  # the release workflow's repository
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    assert user_agent().endswith(" (+https://github.com/someone/decks)")
