"""Content codings: read ``Accept-Encoding``, compress a body the way CDNs do.

``"deflate"`` is HTTP's deflate (a zlib stream, RFC 9110); ``"deflate-raw"`` sends a raw
DEFLATE stream under the same ``Content-Encoding: deflate`` label, as some servers wrongly
do. ``"br"`` needs the ``brotli`` package (see :func:`brotli_available`); it is not a
dependency of this project.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import zlib
from dataclasses import replace
from typing import Literal

from inspector.testserver.exchange import Answer

Encoding = Literal["gzip", "deflate", "deflate-raw", "br"]

_TOKENS: dict[str, str] = {
    "gzip": "gzip",
    "deflate": "deflate",
    "deflate-raw": "deflate",
    "br": "br",
}


def brotli_available() -> bool:
    """True when the optional ``brotli`` package is installed (checked without importing)."""
    return importlib.util.find_spec("brotli") is not None


def token(encoding: Encoding) -> str:
    """The ``Content-Encoding`` value sent for ``encoding``."""
    return _TOKENS[encoding]


def accepted_codings(accept_encoding: str) -> dict[str, float]:
    """``Accept-Encoding`` as {coding: q}, lower-cased (``"gzip;q=0.5, br"``)."""
    codings: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        codings[name.lower()] = q
    return codings


def accepts(accept_encoding: str, encoding: Encoding) -> bool:
    """Whether a client sending ``accept_encoding`` may be answered in ``encoding``."""
    codings = accepted_codings(accept_encoding)
    name = token(encoding)
    if name in codings:
        return codings[name] > 0
    return codings.get("*", 0.0) > 0


def compress(body: bytes, encoding: Encoding) -> bytes:
    """``body`` in ``encoding`` (``mtime`` 0, so the bytes are reproducible)."""
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    if encoding == "deflate":
        return zlib.compress(body, 6)
    if encoding == "deflate-raw":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()
    brotli = importlib.import_module("brotli")  # raises ModuleNotFoundError if not installed
    packed: bytes = brotli.compress(body)
    return packed


def encode_answer(answer: Answer, encoding: Encoding, *, force: bool, accept: str) -> Answer:
    """``answer`` with its body compressed, if the client accepts ``encoding`` (or ``force``).

    Left alone: answers already encoded, streamed, reset, and bodiless ones.
    """
    headers = {name.lower() for name in answer.headers}
    if "content-encoding" in headers or answer.stream is not None or answer.action == "reset":
        return answer
    if not answer.body or not (force or accepts(accept, encoding)):
        return answer
    extra = {"Content-Encoding": token(encoding), "Vary": "Accept-Encoding"}
    return replace(
        answer, body=compress(answer.body, encoding), headers={**answer.headers, **extra}
    )
