"""Read a body: decode its ``Content-Encoding`` and refuse it past a size cap, in bounded
memory, whatever the transport.

- The cap, :data:`MAX_BODY_BYTES` (64 MiB), counts bytes *after* decoding: a 1 MB gzip that
  inflates to 1 GiB stops at the cap, having inflated no more than that. A real record is a
  few KB; one with 20,000 provider attempts is ~3 MB; 50 MB bodies are still read.
- Codings: ``gzip`` (several members too), ``deflate`` (a zlib stream, or the raw DEFLATE
  some servers send under that name), ``identity``, stacked ones (``gzip, deflate``), and
  ``br`` when the optional ``brotli`` package is installed and can bound its output
  (brotli ≥ 1.2). :data:`ACCEPT_ENCODING` offers exactly what can be read.
- Decoding happens here only: transports pass the body on as it came off the wire, so a
  body is never decoded twice.

Memory: the decoded body (≤ the cap) plus one chunk per coding (:data:`CHUNK`).
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterable, Iterator
from typing import Any, Protocol

__all__ = [
    "ACCEPT_ENCODING",
    "CHUNK",
    "MAX_BODY_BYTES",
    "BodyError",
    "BodyTooLarge",
    "read_body",
]

MAX_BODY_BYTES = 64 * 1024 * 1024
"""Largest body accepted, counted after decoding (64 MiB)."""

CHUNK = 256 * 1024
"""Most bytes one decoding step may produce."""

_MAX_CODINGS = 4


class BodyError(ValueError):
    """The body cannot be read (unknown coding, corrupt compressed data)."""


class BodyTooLarge(BodyError):
    """The body is larger than the cap once decoded."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"answer too large: over {limit // (1024 * 1024)} MiB once decoded")
        self.limit = limit


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def finish(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip or deflate, in steps of at most :data:`CHUNK` output bytes."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        # deflate: a zlib stream, or (some servers) raw DEFLATE. Until the first output, the
        # bytes fed are kept, so that a zlib error can replay them as raw DEFLATE.
        self._started = coding != "deflate"
        self._replay = bytearray()
        self._pending = b""  # the first byte of a next gzip member, split across chunks
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        data, self._pending = self._pending + data, b""
        if not self._started:
            self._replay += data
        while data and not self._done:
            if self._inflater.eof:  # past the end of a stream: another gzip member?
                if self._coding == "gzip" and len(data) < 2:
                    self._pending = data
                    return
                if self._coding == "gzip" and data[:2] == b"\x1f\x8b":
                    self._inflater = zlib.decompressobj(self._wbits)
                else:
                    self._done = True  # trailing bytes after the stream are ignored
                    return
            try:
                out = self._inflater.decompress(data, CHUNK)
            except zlib.error as exc:
                if not self._started:  # not a zlib stream: raw DEFLATE, from the start
                    self._started = True
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    data, self._replay = bytes(self._replay), bytearray()
                    continue
                raise self._corrupt(exc) from None
            if not self._started and (out or len(self._replay) > CHUNK):
                self._started, self._replay = True, bytearray()
            if out:
                yield out
            inflater = self._inflater
            data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail

    def _corrupt(self, exc: zlib.error) -> BodyError:
        return BodyError(f"the {self._coding} data of the answer is corrupt ({exc})")

    def finish(self) -> Iterator[bytes]:
        if self._done or self._inflater.eof:
            return
        try:
            out = self._inflater.flush()
        except zlib.error as exc:
            raise self._corrupt(exc) from None
        if out:
            yield out


class _Brotli:
    """brotli (optional package), in steps of at most :data:`CHUNK` output bytes."""

    def __init__(self, brotli: Any) -> None:
        self._brotli = brotli
        self._inflater = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._inflater.process(data, output_buffer_limit=CHUNK)
            while True:
                if out:
                    yield out
                if self._inflater.can_accept_more_data():
                    return
                out = self._inflater.process(b"", output_buffer_limit=CHUNK)
        except self._brotli.error as exc:
            raise BodyError(f"the br data of the answer is corrupt ({exc})") from None

    def finish(self) -> Iterator[bytes]:
        return iter(())


def _brotli_module() -> Any:
    """The ``brotli`` module if it is installed and can bound its output, else None."""
    try:
        import brotli
    except ImportError:
        return None
    try:
        decompressor = brotli.Decompressor()
        decompressor.process(b"", output_buffer_limit=CHUNK)
        decompressor.can_accept_more_data()
    except Exception:  # an older brotli cannot bound its output: a bomb would get through
        return None
    return brotli


_BROTLI = _brotli_module()
ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI is not None else "gzip, deflate"
"""The ``Accept-Encoding`` to send: the codings :func:`read_body` can decode."""


def _decoders(content_encoding: str) -> list[_Decoder]:
    """One decoder per coding, in the order they must be undone (the last applied first)."""
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > _MAX_CODINGS:
        raise BodyError(f"the answer is encoded {len(codings)} times over ({content_encoding})")
    decoders: list[_Decoder] = []
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            decoders.append(_Zlib("gzip"))
        elif coding == "deflate":
            decoders.append(_Zlib("deflate"))
        elif coding == "br" and _BROTLI is not None:
            decoders.append(_Brotli(_BROTLI))
        else:
            raise BodyError(f"the answer is compressed with {coding!r}, which cannot be read here")
    return decoders


def _through(decoders: list[_Decoder], data: bytes, *, last: bool) -> Iterator[bytes]:
    """``data`` through every decoder in turn, one bounded piece at a time."""
    if not decoders:
        if data:
            yield data
        return
    first, rest = decoders[0], decoders[1:]
    for piece in first.feed(data):
        yield from _through(rest, piece, last=False)
    if last:
        for piece in first.finish():
            yield from _through(rest, piece, last=False)
        yield from _through(rest, b"", last=True)


async def read_body(
    chunks: AsyncIterable[bytes],
    content_encoding: str = "",
    *,
    content_length: int | None = None,
    limit: int = MAX_BODY_BYTES,
) -> bytearray:
    """The decoded body of ``chunks`` (raw bytes as they came off the wire).

    Raises :class:`BodyTooLarge` as soon as the decoded size passes ``limit`` (or when an
    unencoded body announces a larger ``content_length``), :class:`BodyError` for a coding
    that cannot be read.
    """
    decoders = _decoders(content_encoding)
    if not decoders and content_length is not None and content_length > limit:
        raise BodyTooLarge(limit)
    body = bytearray()
    async for chunk in chunks:
        for piece in _through(decoders, chunk, last=False):
            if len(body) + len(piece) > limit:
                raise BodyTooLarge(limit)
            body += piece
    for piece in _through(decoders, b"", last=True):
        if len(body) + len(piece) > limit:
            raise BodyTooLarge(limit)
        body += piece
    return body
