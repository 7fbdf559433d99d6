"""Request bodies as DRF's default parsers accept them: JSON, form-urlencoded and multipart.

The result is a ``Body`` that answers ``get`` (last value, like ``QueryDict.get``) and
``getlist`` (every value of a repeated form key, or a JSON list) so validators do not care
which encoding the client chose.
"""

import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from divio_sandbox.responses import detail

MISSING: Any = object()


class Body:
    """Parsed request data: a JSON object, or a form's multi-valued fields."""

    def __init__(self, data: Any = None, form: list[tuple[str, str]] | None = None) -> None:
        self.data = {} if data is None and form is None else data
        self.form = form

    @property
    def is_form(self) -> bool:
        return self.form is not None

    def get(self, name: str) -> Any:
        if self.form is not None:
            values = [value for key, value in self.form if key == name]
            return values[-1] if values else MISSING
        return self.data.get(name, MISSING)

    def getlist(self, name: str) -> Any:
        if self.form is not None:
            values = [value for key, value in self.form if key == name]
            return values if values else MISSING
        return self.data.get(name, MISSING)


def parse_body(content_type: str, raw: bytes) -> Body:
    """Parse ``raw`` by its content type; DRF's 400 on malformed JSON, 415 on other types."""
    if not raw:
        return Body()
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    ):
        try:
            return Body(json.loads(raw))
        except (ValueError, RecursionError) as exc:
            raise detail(400, f"JSON parse error - {exc}") from None
    if media == "application/x-www-form-urlencoded":
        text = raw.decode("utf-8", errors="replace")
        return Body(form=parse_qsl(text, keep_blank_values=True))
    if media == "multipart/form-data":
        return Body(form=_multipart(content_type, raw))
    shown = content_type or "None"
    raise detail(415, f'Unsupported media type "{shown}" in request.')


def _multipart(content_type: str, raw: bytes) -> list[tuple[str, str]]:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(header + raw)
    if not message.is_multipart():
        raise detail(400, "Multipart form parse error - Invalid boundary in multipart: None")
    fields: list[tuple[str, str]] = []
    for part in message.iter_parts():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename() is not None:
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            fields.append((name, payload.decode("utf-8", errors="replace")))
    return fields
