"""The package's metadata agrees with itself: the version pyproject takes, the package's own
and the newest section of the changelog are one version, and the package names its authors."""

from __future__ import annotations

import re
import tomllib

import ankigen
from helpers import PROJECT


def test_the_changelog_s_newest_section_is_the_package_version():
    """The changelog had only "Unreleased" while the package said 0.1.0."""
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\S+)", changelog, re.MULTILINE).group(1)
    assert newest == ankigen.__version__


def test_pyproject_takes_the_package_version_and_names_authors():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "ankigen.__version__"}
    assert "version" in project["project"]["dynamic"]
    assert all(author.get("name") for author in project["project"]["authors"])
