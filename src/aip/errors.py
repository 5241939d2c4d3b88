"""One error hierarchy for aip.

Every error aip raises on purpose derives from :class:`AipError`; each leaf also
derives from the builtin a caller would naturally catch (as in pint's
``errors.py``), so ``except ValueError`` keeps working for code that does not
know aip.

Messages are one line and say four things: the field, the value, what is
allowed and how to fix it. :func:`field_error` builds such a message so that
every module words them the same way.

Examples
--------
>>> from aip.errors import ScenarioError, AipError
>>> err = ScenarioError.for_field("compute.count", -5, "an integer >= 0",
...                               "set a non-negative number of accelerators")
>>> str(err)
'compute.count = -5: must be an integer >= 0; fix: set a non-negative number of accelerators'
>>> isinstance(err, ValueError) and isinstance(err, AipError)
True
"""

from __future__ import annotations

import difflib
from typing import Any


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def field_error_message(field: str, value: Any, allowed: str, fix: str | None = None) -> str:
    """One-line message naming the field, the value, what is allowed and the fix."""
    message = f"{field} = {_show(value)}: must be {allowed}"
    if fix:
        message += f"; fix: {fix}"
    return message


class AipError(Exception):
    """Base class of every error aip raises on purpose."""


def one_line(exc: BaseException) -> str:
    """``exc`` as one line: its message, led by its type unless aip raised it on purpose.

    >>> one_line(ValueError("bad   value")), one_line(AipError("no plan"))
    ('ValueError: bad value', 'no plan')
    """
    text = " ".join(str(exc).split())
    return text if isinstance(exc, AipError) else f"{type(exc).__name__}: {text}"


class ScenarioError(AipError, ValueError):
    """A scenario (YAML, JSON or Python object) has an invalid field.

    Attributes
    ----------
    field : str or None
        Dotted path of the offending field, e.g. ``"site.latitude"``.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @classmethod
    def for_field(
        cls, field: str, value: Any, allowed: str, fix: str | None = None
    ) -> ScenarioError:
        """Build the error with the standard one-line message."""
        return cls(field_error_message(field, value, allowed, fix), field=field)


class UnknownNameError(ScenarioError):
    """A name (station, technology, accelerator, catalogue) is not known."""

    def __init__(self, kind: str, name: str, known: list[str], field: str | None = None) -> None:
        names = sorted(known)
        shown = ", ".join(names[:80]) + (f" and {len(names) - 80} more" if len(names) > 80 else "")
        guess = difflib.get_close_matches(str(name), names, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        where = field or kind
        super().__init__(
            f"{where} = {_show(name)}: unknown {kind}{hint}; known: {shown}",
            field=field,
        )
        self.name = name
        self.known = sorted(known)


class DataError(AipError, ValueError):
    """Input data (a weather file, a price series, a bundled table) is malformed."""


class WeatherFileError(DataError):
    """A weather file cannot be read or fails a sanity check."""


class OnlineDataError(AipError, ConnectionError):
    """An online data service could not be reached or answered with an error."""


class InfeasibleError(AipError, RuntimeError):
    """The campus model has no feasible plan; the message says what to relax."""


class SolverError(AipError, RuntimeError):
    """The solver stopped without an optimal plan (time limit, numerical trouble)."""
