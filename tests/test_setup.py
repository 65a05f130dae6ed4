"""Set-up: the README's test command works for anyone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from helpers import PROJECT

README = PROJECT / "README.md"
MARKER = "<!-- the test command"


def readme_test_command() -> str:
    """The sh block under the README's marker, as a reader copies it."""
    text = README.read_text(encoding="utf-8")
    assert text.count(MARKER) == 1
    block = re.search(r"```sh\n(.*?)```", text[text.index(MARKER):], re.S)
    return block.group(1)


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
