"""Field validation with Django REST Framework's messages.

A ``Fields`` collects errors for every field (DRF reports all of them at once, which the Divio
CLI's one-field-at-a-time validation relies on: api-notes §5) and raises one 400 at the end.
Nested errors are flattened to strings per field, so every 400 body is DRF's field name to a
list of strings.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from divio_sandbox.bodies import MISSING, Body
from divio_sandbox.responses import field_errors

T = TypeVar("T")

REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."
NOT_A_STRING = "Not a valid string."
NOT_A_BOOLEAN = "Must be a valid boolean."
EMPTY_LIST = "This list may not be empty."
BAD_URL = "Enter a valid URL."
BAD_DATETIME = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)
_TRUE = {True, "1", "true", "True", "TRUE", "yes", "Yes", "on", "On", "y", "t"}
_FALSE = {False, "0", "false", "False", "FALSE", "no", "No", "off", "Off", "n", "f"}
_URL = re.compile(r"^(?:https?|ftps?)://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def parse_datetime(value: str) -> datetime:
    """ISO 8601 in UTC; naive values are UTC (Django's default). OverflowError near year 1/9999."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def does_not_exist(value: Any) -> str:
    """DRF's ``SlugRelatedField`` message for an unknown (or invisible) id."""
    return f"Object with uuid={value} does not exist."


def bad_list(value: Any) -> str:
    return f'Expected a list of items but got type "{type(value).__name__}".'


def bad_choice(value: Any) -> str:
    return f'"{value}" is not a valid choice.'


class Fields:
    """Reads and checks the fields of one request body, collecting DRF-style errors."""

    def __init__(self, body: Body) -> None:
        self.body = body
        self.errors: dict[str, list[str]] = {}
        #: DRF rejects a body that is not an object before looking at any field.
        self._invalid: str | None = None
        if not body.is_form and not isinstance(body.data, dict):
            kind = type(body.data).__name__
            self._invalid = f"Invalid data. Expected a dictionary, but got {kind}."
            self.body = Body({})

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def check(self) -> None:
        """Raise the collected errors as one 400 response, if there are any."""
        if self._invalid is not None:
            raise field_errors({"non_field_errors": [self._invalid]})
        if self.errors:
            raise field_errors(self.errors)

    def _present(self, name: str, value: Any, required: bool, allow_null: bool) -> bool:
        if value is MISSING:
            if required:
                self.error(name, REQUIRED)
            return False
        if value is None:
            if not allow_null:
                self.error(name, NULL)
            return False
        return True

    def string(
        self,
        name: str,
        *,
        required: bool = True,
        allow_blank: bool = False,
        allow_null: bool = False,
        default: str | None = None,
    ) -> str | None:
        value = self.body.get(name)
        if not self._present(name, value, required, allow_null):
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(name, NOT_A_STRING)
            return default
        text = str(value).strip()
        if not text and not allow_blank:
            self.error(name, BLANK)
            return default
        return text

    def choice(
        self, name: str, choices: tuple[str, ...], *, required: bool = False, default: str
    ) -> str:
        value = self.body.get(name)
        if not self._present(name, value, required, allow_null=False):
            return default
        if not isinstance(value, str) or value not in choices:
            self.error(name, bad_choice(value))
            return default
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.body.get(name)
        if not self._present(name, value, required=False, allow_null=False):
            return default
        try:
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
        except TypeError:  # unhashable JSON values (lists, objects)
            pass
        self.error(name, NOT_A_BOOLEAN)
        return default

    def datetime(self, name: str) -> datetime | None:
        """An optional, nullable datetime; naive values are taken as UTC (Django's default)."""
        value = self.body.get(name)
        if not self._present(name, value, required=False, allow_null=True):
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return parse_datetime(value)
        except (ValueError, OverflowError):
            self.error(name, BAD_DATETIME)
            return None

    def url(self, name: str) -> str | None:
        """An optional, nullable URL (Django's ``URLValidator``, simplified)."""
        value = self.string(name, required=False, allow_null=True, allow_blank=True)
        if value and not _URL.match(value):
            self.error(name, BAD_URL)
            return None
        return value or None

    def reference(
        self, name: str, lookup: Callable[[str], T | None], *, required: bool = True
    ) -> T | None:
        """An id of an object the caller may see; others are reported as not existing."""
        value = self.string(name, required=required)
        if value is None:
            return None
        found = lookup(value)
        if found is None:
            self.error(name, does_not_exist(value))
        return found

    def references(self, name: str, lookup: Callable[[str], T | None]) -> list[T]:
        """A required, non-empty list of ids of objects the caller may see."""
        raw = self.body.getlist(name)
        if not self._present(name, raw, required=True, allow_null=False):
            return []
        if not isinstance(raw, list):
            self.error(name, bad_list(raw))
            return []
        if not raw:
            self.error(name, EMPTY_LIST)
            return []
        found: list[T] = []
        for value in raw:
            if isinstance(value, bool) or not isinstance(value, str | int):
                self.error(name, NOT_A_STRING)
                continue
            item = lookup(str(value))
            if item is None:
                self.error(name, does_not_exist(value))
            else:
                found.append(item)
        return found

    def objects(self, name: str, key: str) -> list[str]:
        """A required, non-empty list of ``{key: string}`` objects; returns the strings."""
        raw = self.body.getlist(name)
        if not self._present(name, raw, required=True, allow_null=False):
            return []
        if self.body.is_form or not isinstance(raw, list):
            self.error(name, bad_list(raw if not self.body.is_form else ""))
            return []
        if not raw:
            self.error(name, EMPTY_LIST)
            return []
        values: list[str] = []
        for item in raw:
            if not isinstance(item, dict):
                kind = type(item).__name__
                self.error(name, f"Invalid data. Expected a dictionary, but got {kind}.")
            elif not isinstance(item.get(key), str) or not item[key].strip():
                self.error(name, f"{key}: {REQUIRED}")
            else:
                values.append(item[key].strip())
        return values
