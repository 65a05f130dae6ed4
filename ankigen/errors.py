"""Small typed errors raised by the library; the CLI turns each into one line."""

from __future__ import annotations


# what every command says of an input file that is not there, after its path
NO_SUCH_FILE = "no such file; check the path"


class AnkigenError(Exception):
    """Base class: anything the user can fix by changing an input or an option."""


class SourceError(AnkigenError):
    """A source file that cannot be used; names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class UnknownFormatError(SourceError):
    """No registered parser recognises the content."""


class ManifestError(SourceError):
    """``sources.toml`` is malformed or names something that does not exist."""


class OutputError(AnkigenError):
    """The output folder cannot be written."""
