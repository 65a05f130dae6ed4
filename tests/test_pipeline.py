"""One pipeline for every command: ``build --preview`` reads and renders each source once, and
``tags`` tags through the same function as the build, with the same tags."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

from ankigen import pipeline
from ankigen.apkg import read_package
from ankigen.build import BuildOptions, build
from ankigen.cli import main
from ankigen.identity import LOCK_NAME
from ankigen.pipeline import Options, Pipeline
from ankigen.sources import resolve_sources
from conftest import SOURCES_DIR

SMALL = ["transformer-model-qa.txt", "transformers-part-6.txt"]


@pytest.fixture
def small(tmp_path):
    for name in SMALL:
        shutil.copy(SOURCES_DIR / name, tmp_path / name)
    return resolve_sources([str(tmp_path / name) for name in SMALL])


@pytest.fixture
def calls(monkeypatch):
    """How often the real scrape and render stages ran, by source and by record."""
    counted = {"scrape": Counter(), "render": Counter()}
    scrape, render = pipeline.scrape_source, pipeline.render_record

    def counting_scrape(source, registry=None):
        counted["scrape"][source.path] += 1
        return scrape(source, registry)

    def counting_render(record):
        counted["render"][record.id] += 1
        return render(record)

    monkeypatch.setattr(pipeline, "scrape_source", counting_scrape)
    monkeypatch.setattr(pipeline, "render_record", counting_render)
    return counted


def test_build_with_preview_reads_and_renders_each_source_once(tmp_path, small, calls):
    out = tmp_path / "out"
    options = BuildOptions(lock_path=tmp_path / LOCK_NAME, preview_dir=out / "preview")
    report = build(small, out, options)
    assert not report.failed and report.preview and not report.preview.errors
    assert calls["scrape"] == Counter({s.path: 1 for s in small})
    assert calls["render"] and set(calls["render"].values()) == {1}
    assert sum(calls["render"].values()) == sum(e.cards for e in report.sources)
    assert (out / "preview" / "index.html").is_file()

    calls["scrape"].clear()
    calls["render"].clear()
    build(small, out, options)  # decks kept: the preview still reads each source, once
    assert calls["scrape"] == Counter({s.path: 1 for s in small})
    assert set(calls["render"].values()) == {1}


def test_the_cli_build_with_preview_reads_each_source_once(tmp_path, small, calls):
    result = CliRunner().invoke(main, ["build", *(s.path for s in small), "-o",
                                       str(tmp_path / "out"), "--preview", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "preview" / "index.html").is_file()
    assert calls["scrape"] == Counter({s.path: 1 for s in small})


def test_tags_reads_and_tags_each_source_once(small, calls, monkeypatch):
    tagged = Counter()
    tag_record = pipeline.tag_record

    def counting_tag(record, source, parent_question=""):
        tagged[record.id] += 1
        return tag_record(record, source, parent_question)

    monkeypatch.setattr(pipeline, "tag_record", counting_tag)
    result = CliRunner().invoke(main, ["tags", "--explain", *(s.path for s in small)])
    assert result.exit_code == 0, result.output
    assert calls["scrape"] == Counter({s.path: 1 for s in small})
    assert tagged and set(tagged.values()) == {1}
    assert not calls["render"]  # tags are judged on the text


def test_tags_and_build_give_every_card_the_same_tags(tmp_path, small):
    report = build(small, tmp_path / "out", lock_path=None)
    built = {}
    for entry in report.sources:
        for note in read_package(entry.output).notes:
            built[note.fields["RecordId"]] = note.tags
    listed = {}
    for source in small:
        result = Pipeline(Options(render=False)).run(source)
        for record in result.cards:
            listed[record.id] = record.tags
            assert [t for t in record.tags if t.startswith("topic::")] == \
                result.decisions[record.id].tags
    assert listed.keys() == built.keys()
    assert all(sorted(listed[key]) == sorted(built[key]) for key in listed)


def test_the_fallback_topic_is_one_rule_for_records_and_decisions(small):
    for source in small:
        result = Pipeline(Options(render=False)).run(source)
        fallen = [r for r in result.records if result.decisions[r.id].fallback]
        assert all(r.tags[0] == result.decisions[r.id].tags[0] for r in fallen)
