"""A page's images: the ones beside its source go into the deck as Anki media and show on the
card (in real Anki and in the preview); any other is a stand-in that says what it shows, with
the reason in the report. None is dropped without a word."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ankigen import pipeline
from ankigen.build import build
from ankigen.media import MEDIA_NAME, image_kind
from ankigen.sources import Source
from helpers import import_package, png

PAGE = """# Plots

## 1. What does the loss curve show?

The loss falls, then flattens:

![Training loss](plots/loss.png)

The same plot again: <img src="plots/loss.png" alt="again">

## 2. What do the other files show?

Fake: ![fake](fake.png), script: ![script](evil.svg), a box: ![box](box.svg),
gone: ![gone](gone.png), elsewhere: ![elsewhere](../secret.png), web: ![web](https://example.com/w.png)
"""


@pytest.fixture
def page(tmp_path) -> Source:
    folder = tmp_path / "sources"
    (folder / "plots").mkdir(parents=True)
    (folder / "plots" / "loss.png").write_bytes(png(40))
    (folder / "fake.png").write_text("not an image")
    (folder / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    (folder / "box.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
                                    '<rect width="9" height="9" fill="red"/></svg>')
    (tmp_path / "secret.png").write_bytes(png(4))
    (folder / "page.md").write_text(PAGE, encoding="utf-8")
    return Source(str(folder / "page.md"), "plots", "Test::Plots", "Plots", "")


def _build(page: Source, out: Path):
    return build([page], out, lock_path=Path(page.path).parent / "ankigen.lock", timestamp=1e9)


def test_an_image_beside_the_source_shows_on_the_card_in_anki(page, tmp_path, collection):
    entry = _build(page, tmp_path / "out").sources[0]
    import_package(collection, Path(entry.output))
    card = collection.get_card(collection.find_cards('"Question:*loss curve*"')[0])
    names = MEDIA_NAME.findall(card.answer())
    assert len(names) == 2 and len(set(names)) == 1  # one file, shown twice
    stored = Path(collection.media.dir()) / names[0]
    assert stored.read_bytes() == (Path(page.path).parent / "plots" / "loss.png").read_bytes()
    assert 'alt="Training loss"' in card.answer()


def test_an_image_that_cannot_be_media_is_a_stand_in_with_its_reason(page, tmp_path):
    entry = _build(page, tmp_path / "out").sources[0]
    with zipfile.ZipFile(entry.output) as deck:
        media = deck.read("media").decode()
        assert media.count("ankigen-") == 2  # the PNG and the harmless SVG, nothing else
        assert {image_kind(deck.read(n)) for n in ("0", "1")} == {"png", "svg"}
    changes = "\n".join(c for e in entry.changes for c in e["changes"])
    for reason in ("image fake.png shown as its name: not a PNG, JPEG, GIF, WebP or SVG image",
                   "image evil.svg shown as its name: an SVG with 'onload='",
                   "image gone.png shown as its name: no such file beside the source",
                   "image ../secret.png shown as its name: outside the source's folder",
                   "image https://example.com/w.png shown as a link to it"):
        assert reason in changes


def test_a_rebuild_is_identical_and_a_changed_image_changes_the_deck(page, tmp_path):
    first = Path(_build(page, tmp_path / "one").sources[0].output).read_bytes()
    assert Path(_build(page, tmp_path / "two").sources[0].output).read_bytes() == first
    # the same folder again, with the image changed and a missing one added: the source's
    # text is as it was, yet the deck it keeps in the build cache is stale
    _build(page, tmp_path / "two")
    folder = Path(page.path).parent
    (folder / "plots" / "loss.png").write_bytes(png(40, red=10))
    (folder / "gone.png").write_bytes(png(5))
    rebuilt = Path(_build(page, tmp_path / "two").sources[0].output)
    with zipfile.ZipFile(rebuilt) as deck:
        assert deck.read("media").decode().count("ankigen-") == 3
        assert png(40, red=10) in {deck.read(str(n)) for n in range(3)}


def test_the_preview_shows_the_images_beside_its_pages(page, tmp_path):
    out = tmp_path / "out"
    build([page], out, preview_dir=out / "preview", timestamp=1e9)
    html = (out / "preview" / "deck-plots.html").read_text(encoding="utf-8")
    for name in set(MEDIA_NAME.findall(html)):
        assert image_kind((out / "preview" / name).read_bytes()) in ("png", "svg")
    assert "[image: fake]" in html and "[image: gone]" in html


def test_a_source_holds_so_many_images_and_lists_the_cards_past_them(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_IMAGES_PER_SOURCE", 2)
    for n in range(3):
        (tmp_path / f"{n}.png").write_bytes(png(n + 1))
    (tmp_path / "page.md").write_text("".join(
        f"## {n + 1}. What does plot {n} show?\n\nIt shows this: ![plot {n}]({n}.png)\n\n"
        for n in range(3)), encoding="utf-8")
    report = build([Source(str(tmp_path / "page.md"), "p", "T::P", "P", "")], tmp_path / "out")
    entry = report.sources[0]
    assert entry.cards == 2
    assert [s["question"] for s in entry.skipped] == ["What does plot 2 show?"]
    assert "more than the 2 a source's deck holds" in entry.skipped[0]["reason"]


def test_a_web_image_that_add_fetched_shows_from_its_folder_and_the_map_is_part_of_the_deck(
        tmp_path, collection):
    folder = tmp_path / "sources"
    fetched = folder / "media" / "page"
    fetched.mkdir(parents=True)
    (fetched / "roc.png").write_bytes(png(30))
    (tmp_path / "secret.png").write_bytes(png(3))
    (fetched / "images.json").write_text(
        '{"https://example.com/roc.png": "roc.png", "img/x.png": "../../../secret.png"}')
    (folder / "page.md").write_text(
        "## 1. What does the ROC curve show?\n\nThe trade-off: ![roc](https://example.com/roc.png)\n\n"
        "## 2. What is AUC?\n\nThe area under it. ![x](img/x.png) ![gone](https://example.com/gone.png)\n",
        encoding="utf-8")
    page = Source(str(folder / "page.md"), "page", "Test::Page", "Page", "https://example.com/")
    entry = _build(page, tmp_path / "out").sources[0]
    import_package(collection, Path(entry.output))
    card = collection.get_card(collection.find_cards('"Question:*ROC curve*"')[0])
    (name,) = MEDIA_NAME.findall(card.answer())
    assert (Path(collection.media.dir()) / name).read_bytes() == png(30)
    changes = "\n".join(c for e in entry.changes for c in e["changes"])
    assert "image img/x.png shown as its name: outside the source's folder" in changes
    assert "image https://example.com/gone.png shown as a link to it: not fetched" in changes
    # the map changes (refresh fetched another image): the deck kept by the build cache is stale
    (fetched / "gone.png").write_bytes(png(7))
    (fetched / "images.json").write_text(
        '{"https://example.com/roc.png": "roc.png", "https://example.com/gone.png": "gone.png"}')
    with zipfile.ZipFile(_build(page, tmp_path / "out").sources[0].output) as deck:
        assert deck.read("media").decode().count("ankigen-") == 2
