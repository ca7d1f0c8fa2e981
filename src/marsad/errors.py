"""One family of errors, each with a stable code and a one-line, actionable message.

Front ends turn a :class:`MarsadError` into one line (CLI) or a 4xx JSON body (web);
a traceback means a bug in marsad, never bad input.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of every error marsad raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, origin: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin
        self.line = line

    @property
    def where(self) -> str:
        """``file:line`` (or just ``file``) that the error is about, or ``""``."""
        if self.origin is None:
            return ""
        origin = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.origin)
        return f"{origin}:{self.line}" if self.line is not None else origin

    def one_line(self) -> str:
        """The message a user sees: code, place and problem on a single line."""
        where = f"{self.where}: " if self.where else ""
        text = " ".join(self.message.split())
        return f"error[{self.code}] {where}{text}"

    def __str__(self) -> str:
        return self.one_line()


class InputError(MarsadError):
    """An input document cannot be read; other documents in the same run are unaffected."""

    code = "E100"


class FileUnreadable(InputError):
    code = "E101"


class EmptyInput(InputError):
    code = "E102"


class BinaryInput(InputError):
    code = "E103"


class UndecodableInput(InputError):
    code = "E104"


class MojibakeInput(InputError):
    code = "E105"


class InputTooLarge(InputError):
    code = "E106"


class MalformedRecord(InputError):
    """A JSONL line that is not a JSON object with the fields of the input contract."""

    code = "E107"


class UnsupportedInput(InputError):
    code = "E108"


class StoreError(MarsadError):
    """The document store cannot be opened, migrated or written."""

    code = "E200"


class DocumentNotFound(StoreError):
    code = "E201"


class SchemaTooNew(StoreError):
    code = "E202"


class ConfigError(MarsadError):
    """A setting or option has a value marsad cannot use."""

    code = "E300"


class QueryError(ConfigError):
    """A filter, sort or page parameter has a value marsad cannot use (the web app answers 400)."""

    code = "E301"


class ReviewError(MarsadError):
    """An analyst's review cannot be applied (unknown event, field or value)."""

    code = "E600"


class ModelError(MarsadError):
    """A shipped or user model cannot be loaded (missing, corrupt, or trained for another marsad)."""

    code = "E500"


class PipelineError(MarsadError):
    """A pipeline component failed on a document (a bug: please report it with the document)."""

    code = "E400"
