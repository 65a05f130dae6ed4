"""Set-up: the README's test command works for anyone, and CI runs that very command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import yaml

from helpers import PROJECT

README = PROJECT / "README.md"
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
MARKER = "<!-- the test command"


def readme_test_command() -> str:
    """The sh block under the README's marker, as a reader copies it."""
    text = README.read_text(encoding="utf-8")
    assert text.count(MARKER) == 1
    block = re.search(r"```sh\n(.*?)```", text[text.index(MARKER):], re.S)
    return block.group(1)


def ci_test_command() -> str:
    """What .ci/run runs after its marker line: the rest of the script."""
    text = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    return text[text.index("# the test command\n") + len("# the test command\n"):]


def test_ci_runs_the_readme_test_command_itself():
    assert ci_test_command() == readme_test_command()
    steps = [step for workflow in WORKFLOWS
             for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values()
             for step in job.get("steps", [])]
    # no workflow has a copy of the command, or a browser of its own, beside .ci/run
    for step in steps:
        assert not re.search(r"pytest|apt-get|chrom|pip install -e '\.\[test\]'",
                             step.get("run", "")), step
    assert [step["run"] for step in steps if ".ci/run" in step.get("run", "")] == ["bash .ci/run"]
    release = yaml.safe_load((PROJECT / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    assert release["jobs"]["tests"]["uses"] == "./.github/workflows/tests.yml"
    assert release["jobs"]["release"]["needs"] == "tests"


def test_the_test_command_installs_chromium_without_its_recommends_and_names_venv():
    command = readme_test_command()
    assert re.search(r"apt-get update && apt-get install -y --no-install-recommends chromium\n",
                     command)
    assert "python3-venv" in README.read_text(encoding="utf-8")


def test_the_test_command_goes_on_without_chromium_and_root_apt_get():
    """A user who is not root, with apt-get on the PATH but no chromium, gets a note and the
    rest of the command (which here stops at python3, left off the PATH on purpose)."""
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # the other user below must reach its tools
        for tool in ("id", "apt-get"):  # apt-get only where the system has it
            if shutil.which(tool):
                os.symlink(shutil.which(tool), os.path.join(folder, tool))
        run_as = []
        if os.geteuid() == 0:  # as a real other user, not root
            run_as = [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups"]
        result = subprocess.run([*run_as, shutil.which("bash"), "-c", readme_test_command()],
                                cwd=folder, env={"PATH": folder}, capture_output=True, text=True)
    assert "the browser tests are skipped" in result.stdout
    # apt-get not even tried: the only missing command is python3, after the chromium step
    assert re.findall(r"(\S+): command not found", result.stderr) == ["python3"], result.stderr
