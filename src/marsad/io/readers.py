"""Readers: files, directories and standard input to Documents, with reliable decoding.

A reader never stops a run for one bad input: :func:`read_documents` yields a
:class:`~marsad.errors.InputError` in place of each document it cannot read, naming the file
(and line) and the problem, and goes on with the rest.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Union

from marsad.document import Document, DocumentMeta, coerce_date
from marsad.errors import (
    BinaryInput,
    EmptyInput,
    FileUnreadable,
    InputError,
    InputTooLarge,
    MalformedRecord,
    MojibakeInput,
    UndecodableInput,
    UnsupportedInput,
)
from marsad.settings import settings

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

ReadResult = Union[Document, InputError]

# Signatures of common binary formats that people feed to text tools by mistake.
_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "a legacy Microsoft Office document",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# UTF-8 Arabic decoded as Windows-1252/Latin-1 ("Ø§Ù„") or as Windows-1256 ("ط§ظ„") and saved again.
_MOJIBAKE_LATIN = re.compile("[ØÙÚÛ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_MOJIBAKE_1256 = re.compile(
    "[طظ][\u0080-\u00bf\u060c\u061b\u061f\u2013-\u203a\u20ac\u2122\u0152\u0153\u0192\u02c6"
    "\u067e\u0679\u0686\u0698\u0688\u06af\u06a9\u0691\u06ba\u06be\u200c\u200d\u200e\u200f]"
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, origin: str, encoding: str | None = None) -> Decoded:
    """Decode a document's bytes: a BOM, else UTF-8, else Windows-1256 if it reads as Arabic.

    Raises a specific :class:`InputError` for empty, binary, undecodable and mojibake input.
    """
    if encoding:
        try:
            return _checked(data.decode(encoding), encoding, origin)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UndecodableInput(f"cannot decode as {encoding}: {exc}", origin=origin) from None
    if not data.strip():
        raise EmptyInput("empty document (no text)", origin=origin)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInput(f"binary file ({what}), not text", origin=origin)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom):].decode(codec.replace("-sig", "")), codec.replace("-sig", "") + " (BOM)", origin)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"starts with a {codec} byte-order mark but is not valid {codec} (byte {exc.start})",
                    origin=origin,
                ) from None
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess:
            return _checked(data.decode(guess), guess, origin)
        raise BinaryInput("binary file (contains NUL bytes), not text", origin=origin)
    try:
        return _checked(data.decode("utf-8"), "utf-8", origin)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1256", errors="replace")
    letters = len(_ARABIC_LETTER.findall(text))
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii and letters / non_ascii >= 0.8 and not _CONTROL.search(text):
        return _checked(text, "windows-1256", origin)
    raise UndecodableInput(
        f"not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}), "
        "UTF-16 or Windows-1256 Arabic text; give --encoding if you know it",
        origin=origin,
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` if the bytes look like UTF-16 text without a byte-order mark.

    In UTF-16 text the high byte of each code unit comes from a handful of Unicode blocks:
    0x00 for ASCII (spaces, digits, punctuation), 0x06 for Arabic, 0x20 for typographic
    punctuation, 0xFE/0xFB for presentation forms. Binary data does not look like that.
    """
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    text_blocks = (0x00, 0x06, 0x20, 0x08, 0xFB, 0xFE, 0x07, 0x05)
    for codec, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if not high:
            continue
        in_blocks = sum(high.count(b) for b in text_blocks)
        if in_blocks < 0.95 * len(high) or high.count(0) == 0 or low.count(0) > 0.02 * len(low):
            continue
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec
    return None


def _checked(text: str, encoding: str, origin: str) -> Decoded:
    if not text.strip():
        raise EmptyInput("empty document (only whitespace)", origin=origin)
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise BinaryInput(f"binary data ({controls} control characters), not text", origin=origin)
    for pattern, how in ((_MOJIBAKE_LATIN, "Windows-1252/Latin-1"), (_MOJIBAKE_1256, "Windows-1256")):
        hits = pattern.findall(text)
        if len(hits) >= 5 and len(hits) * 4 > len(_ARABIC_LETTER.findall(text)) + len(hits):
            sample = pattern.search(text).group()  # type: ignore[union-attr]
            raise MojibakeInput(
                f"garbled text (mojibake such as {sample!r}): UTF-8 Arabic that was decoded as {how} "
                "and saved again; re-export the source as UTF-8",
                origin=origin,
            )
    return Decoded(text, encoding)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLarge(
                f"file is {size:,} bytes, over the limit of {max_bytes:,} (set --max-bytes or MARSAD_MAX_BYTES)",
                origin=str(path),
            )
        return path.read_bytes()
    except InputError:
        raise
    except IsADirectoryError:
        raise FileUnreadable("is a directory", origin=str(path)) from None
    except FileNotFoundError:
        raise FileUnreadable("no such file", origin=str(path)) from None
    except PermissionError:
        raise FileUnreadable("permission denied", origin=str(path)) from None
    except OSError as exc:
        raise FileUnreadable(f"cannot read: {exc.strerror or exc}", origin=str(path)) from None


def _meta(origin: str, encoding: str, **fields: object) -> DocumentMeta:
    return DocumentMeta(origin=origin, encoding=encoding, **fields)  # type: ignore[arg-type]


def read_text(data: bytes, origin: str, doc_id: str, *, encoding: str | None = None) -> Document:
    decoded = decode_bytes(data, origin, encoding)
    return Document(decoded.text, id=doc_id, meta=_meta(origin, decoded.encoding))


def read_jsonl(data: bytes, origin: str, *, encoding: str | None = None) -> Iterator[ReadResult]:
    """One document per line; a bad line yields an error naming ``file:line`` and the rest go on."""
    try:
        decoded = decode_bytes(data, origin, encoding)
    except InputError as exc:
        yield exc
        return
    yield from _jsonl_records(decoded, origin)


def _jsonl_records(decoded: Decoded, origin: str) -> Iterator[ReadResult]:
    for number, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _record_to_document(line, origin, number, decoded.encoding)
        except InputError as exc:
            yield exc


def _record_to_document(line: str, origin: str, number: int, encoding: str) -> Document:
    def bad(message: str) -> MalformedRecord:
        return MalformedRecord(message, origin=origin, line=number)

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise bad(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise bad(f"expected a JSON object, got {type(record).__name__}")
    doc_id, text = record.get("id"), record.get("text")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        raise bad('missing "id"')
    if isinstance(doc_id, (int, float)) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str):
        raise bad(f'"id" must be a string, got {type(doc_id).__name__}')
    if text is None:
        raise bad(f'document {doc_id!r}: missing "text"')
    if not isinstance(text, str):
        raise bad(f'document {doc_id!r}: "text" must be a string, got {type(text).__name__}')
    if not text.strip():
        raise EmptyInput(f"document {doc_id!r}: empty text", origin=origin, line=number)
    fields: dict[str, object] = {}
    for key in ("title", "source", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise bad(f'document {doc_id!r}: "{key}" must be a string')
        fields[key] = value
    raw = record.get("published")
    warnings = []
    try:
        fields["published"] = coerce_date(raw)
    except ValueError:
        # Real feeds carry dates such as "16 نوفمبر/": keep the document, set the date aside.
        fields["published"] = None
        fields["published_raw"] = str(raw)
        warnings.append(
            f"warning {origin}:{number}: document {doc_id!r}: published {raw!r} is not YYYY-MM-DD or an "
            "ISO date-time; kept as published_raw, relative dates will not be resolved"
        )
    meta = _meta(f"{origin}:{number}", encoding, **fields)
    meta.warnings.extend(warnings)
    return Document(text, id=doc_id, meta=meta)


_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_MIN_ARTICLE_WORDS = 5  # fewer is a menu or a footer that the extractor fell back on, not an article
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def read_html(data: bytes, origin: str, doc_id: str, *, encoding: str | None = None) -> Document:
    """Main text of a saved article page, with its title and date when the page has them."""
    if not encoding:
        declared = _CHARSET_RE.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            if name in {"windows-1256", "cp1256", "utf-16"}:
                encoding = name
    decoded = decode_bytes(data, origin, encoding)
    import trafilatura  # heavy: loaded only for HTML input

    result = trafilatura.bare_extraction(
        decoded.text, with_metadata=True, include_comments=False, favor_precision=True
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or len(_WORD_RE.findall(text)) < _MIN_ARTICLE_WORDS:
        raise EmptyInput("no article text found in the HTML page", origin=origin)
    title = getattr(result, "title", None) or None
    try:
        published = coerce_date(getattr(result, "date", None))
    except ValueError:
        published = None
    source = getattr(result, "sitename", None) or None
    url = getattr(result, "url", None) or None
    return Document(
        text, id=doc_id,
        meta=_meta(origin, decoded.encoding, title=title, published=published, source=source, url=url),
    )


def _iter_paths(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Path | str | InputError]:
    for item in inputs:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                yield UnsupportedInput("directory holds no .txt, .jsonl or .html files", origin=str(path))
            yield from found
        else:
            yield path


def read_documents(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    encoding: str | None = None,
    max_bytes: int | None = None,
    published: object = None,
    stdin: BinaryIO | None = None,
) -> Iterator[ReadResult]:
    """Documents from files, directories (recursive) and ``-`` (standard input), in order.

    Yields a :class:`Document` for each readable document and an :class:`InputError` for
    each one that is not; never raises for bad input. ``published`` sets the publication
    date of documents that carry none.
    """
    limit = max_bytes if max_bytes is not None else settings().max_bytes
    default_published = coerce_date(published)
    for path in _iter_paths(inputs):
        if isinstance(path, InputError):
            yield path
            continue
        for result in _read_one(path, encoding, limit, stdin):
            if isinstance(result, Document) and result.meta.published is None:
                result.meta.published = default_published
            yield result


def _read_one(path: Path | str, encoding: str | None, limit: int, stdin: BinaryIO | None) -> Iterator[ReadResult]:
    if path == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(limit + 1)
        if len(data) > limit:
            yield InputTooLarge(f"standard input is over the limit of {limit:,} bytes", origin="<stdin>")
            return
        try:
            decoded = decode_bytes(data, "<stdin>", encoding)
        except InputError as exc:
            yield exc
            return
        if decoded.text.lstrip()[:1] == "{":  # JSONL, whatever the encoding or BOM
            yield from _jsonl_records(decoded, "<stdin>")
        else:
            yield Document(decoded.text, id="stdin", meta=_meta("<stdin>", decoded.encoding))
        return
    assert isinstance(path, Path)
    origin = str(path)
    try:
        data = _read_bytes(path, limit)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(data, origin, encoding=encoding)
        elif suffix in HTML_SUFFIXES:
            yield read_html(data, origin, path.stem, encoding=encoding)
        elif suffix in TEXT_SUFFIXES or suffix == "":
            yield read_text(data, origin, path.stem, encoding=encoding)
        else:
            # An explicitly named file of another type: read it as text if it is text.
            try:
                yield read_text(data, origin, path.stem, encoding=encoding)
            except (BinaryInput, UndecodableInput) as exc:
                yield UnsupportedInput(
                    f"unsupported file type {suffix!r} ({exc.message}); marsad reads .txt, .jsonl and .html",
                    origin=origin,
                )
    except InputError as exc:
        yield exc
