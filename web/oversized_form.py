"""A need form sent with a photo too large to take (its body past web/photos.py's FORM_LIMIT): what was typed
is read, the files only counted, so that the form comes back with everything typed and the reason on the
photo, rather than an error page in place of the form (with htmx, in place of what was typed).

The body is still read to its end, up to DRAIN_LIMIT, because a browser still sending when the server
answers and closes may show a broken connection instead of the answer. The photo fields come last in the
form (need_form.html), so even past DRAIN_LIMIT every typed field has arrived before reading stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from server.needs.photos import MAX_BYTES
from web.csrf import TOO_LARGE

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

DRAIN_LIMIT = 8 * MAX_BYTES
TYPED_LIMIT = 1024 * 1024  # what a person types, all fields together: as an ordinary form takes
MAX_FIELDS = 1000


def declared_size(request: Request) -> int | None:
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


@dataclass
class _Part:
    name: str = ""
    is_file: bool = False
    data: bytearray = field(default_factory=bytearray)


@dataclass
class _Reading:
    """python-multipart's callbacks, keeping the typed fields and the size of the largest file."""

    fields: list[tuple[str, str | UploadFile]] = field(default_factory=list)  # FormData's own type: no file here
    largest_file: int = 0
    typed: int = 0
    part: _Part = field(default_factory=_Part)
    header: tuple[bytearray, bytearray] = field(default_factory=lambda: (bytearray(), bytearray()))
    disposition: bytes = b""
    file_size: int = 0

    def callbacks(self) -> MultipartCallbacks:
        return {"on_part_begin": self.begin, "on_header_field": self.header_name,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_done, "on_part_data": self.data, "on_part_end": self.end}

    def begin(self) -> None:
        self.part, self.disposition, self.file_size = _Part(), b"", 0

    def header_name(self, data: bytes, start: int, end: int) -> None:
        self.header[0].extend(data[start:end])

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.header[1].extend(data[start:end])

    def header_end(self) -> None:
        name, value = self.header
        if bytes(name).lower() == b"content-disposition":
            self.disposition = bytes(value)
        name.clear()
        value.clear()

    def headers_done(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.part.is_file = b"filename" in options

    def data(self, data: bytes, start: int, end: int) -> None:
        if self.part.is_file:
            self.file_size += end - start
            return
        self.typed += end - start
        if self.typed > TYPED_LIMIT or len(self.fields) >= MAX_FIELDS:
            raise HTTPException(413, TOO_LARGE)
        self.part.data.extend(data[start:end])

    def end(self) -> None:
        if self.part.is_file:
            self.largest_file = max(self.largest_file, self.file_size)
        else:
            self.fields.append((self.part.name, self.part.data.decode("utf-8", "replace")))


async def typed_fields(request: Request) -> tuple[FormData, int]:
    """The form's fields without its files, and the size of its largest file (at least what was read of it).
    A body that is not a multipart form gets the usual answer to a body too large: 413 and why."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if boundary is None:
        raise HTTPException(413, TOO_LARGE)
    reading = _Reading()
    parser = MultipartParser(boundary, reading.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            received += len(chunk)
            if received > DRAIN_LIMIT:
                break
    except FormParserError:
        raise HTTPException(413, TOO_LARGE) from None
    if reading.part.is_file:  # stopped inside a file: as large as it is so far, at least
        reading.largest_file = max(reading.largest_file, reading.file_size)
    return FormData(reading.fields), reading.largest_file
