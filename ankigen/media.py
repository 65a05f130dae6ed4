"""Ground floor for the images a card shows: a page's local image read from beside its source,
checked as an image from its bytes, and named by its content as Anki media. Render finds the
images and package writes them into the deck; both use no other stage."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import AnkigenError

MAX_IMAGE_BYTES = 5 * 2**20  # a diagram or a photographed formula; more is no card's image
MAX_IMAGES_PER_SOURCE = 200  # a page of interview questions has a few; more is no such page
# the magic bytes of each kind of image a card may show, and the name ending Anki knows it by
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"))
# what would run, fetch or reach outside the image in an SVG shown on a card
_SVG_UNSAFE = re.compile(rb"(?i)<\s*script|<\s*foreignobject|\bon[a-z]{2,20}\s*=|javascript:"
                         rb"|<!entity|\b(?:xlink:)?href\s*=\s*[\"']\s*(?!#)|@import|url\s*\(\s*[\"']?\s*(?!#)")
# a media name this module gave: the only image source a card's HTML may hold
MEDIA_NAME = re.compile(r"ankigen-[0-9a-f]{20}\.(?:png|jpg|gif|webp|svg)")


# `ankigen add` and `refresh` keep a web page's images in media/<page file's stem>/ beside
# it, with this map from each image's address, as the page writes it, to its file there
IMAGE_MAP = "images.json"


def fetched_images_folder(source: Path) -> Path:
    return source.parent / "media" / source.stem


def fetched_images(source: Path) -> dict[str, str]:
    """The page's fetched images: {address as the page writes it: file name in their folder};
    none where nothing was fetched (or the map is unreadable: those images stay links)."""
    try:
        data = json.loads((fetched_images_folder(source) / IMAGE_MAP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {address: name for address, name in data.items() if isinstance(name, str)}


class ImageError(AnkigenError):
    """An image a page refers to that cannot go into a deck; the message says why."""


@dataclass(frozen=True)
class Image:
    name: str  # the media name in the deck, from the content: "ankigen-<hash>.png"
    path: str  # the file it was read from


def image_kind(data: bytes) -> str | None:
    """The file name ending of an image, known from its bytes; None for anything else."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096]:
        return "svg"
    return None


def media_name(data: bytes, kind: str) -> str:
    return f"ankigen-{hashlib.sha256(data).hexdigest()[:20]}.{kind}"


def resolve_image(folder: Path, address: str) -> Path:
    """The file a page's relative image ``address`` ("plots/loss.png") names within ``folder``
    (the source's): a page names no file outside it, so a fetched page cannot put a
    maintainer's other files into a deck. Raises ImageError with the reason there is none."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path:
        raise ImageError("not a file beside the source")
    relative = Path(unquote(parts.path))
    if relative.is_absolute():
        raise ImageError("an absolute path; only files beside the source are read")
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ImageError("outside the source's folder")
    return path


def load_image(path: Path) -> Image:
    """The image file as deck media; raises ImageError with the reason it cannot be one."""
    try:
        if not path.is_file():
            raise ImageError("no such file beside the source")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise ImageError(f"larger than {MAX_IMAGE_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot be read ({exc.strerror})") from None
    return Image(checked_name(data), str(path))


def current_name(path: str) -> str:
    """The media name the file at ``path`` would have now; "" if it could not be one."""
    try:
        return load_image(Path(path)).name
    except ImageError:
        return ""


def checked_name(data: bytes) -> str:
    """The media name of an image's bytes; raises ImageError with the reason they cannot be one."""
    kind = image_kind(data)
    if kind is None:
        raise ImageError("not a PNG, JPEG, GIF, WebP or SVG image")
    if kind == "svg" and (unsafe := _SVG_UNSAFE.search(data)):
        raise ImageError(f"an SVG with {unsafe.group().decode('ascii', 'replace').strip()!r}, "
                         "which could run or fetch something on a card")
    return media_name(data, kind)


def image_bytes(image: Image) -> bytes:
    """The image's bytes as they were when it was named; raises ImageError if the file has
    changed since (a deck must hold what its cards were rendered from)."""
    try:
        data = Path(image.path).read_bytes()
    except OSError as exc:
        raise ImageError(f"{image.path}: cannot be read ({exc.strerror})") from None
    if media_name(data, image.name.rsplit(".", 1)[-1]) != image.name:
        raise ImageError(f"{image.path}: changed while the deck was built; build again")
    return data
