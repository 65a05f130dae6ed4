"""Shared fixtures: the project's real sources, built once, and fresh real-Anki collections."""

from __future__ import annotations

import pytest

from ankigen.build import build
from ankigen.sources import load_manifest, resolve_sources
from helpers import SOURCES_DIR


def manifest_sources():
    return resolve_sources([str(SOURCES_DIR / name) for name in load_manifest(SOURCES_DIR)])


@pytest.fixture(scope="session")
def sources():
    return manifest_sources()


@pytest.fixture(scope="session")
def built(tmp_path_factory, sources):
    """(report, output folder) of one build of every source in sources/."""
    out = tmp_path_factory.mktemp("build")
    return build(sources, out), out


@pytest.fixture
def collection(tmp_path):
    """A fresh, empty Anki collection (the official backend), closed after the test."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


