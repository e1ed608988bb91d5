"""Reading a body (inspector.infra.http.body) piece by piece: every coding, any split of the
bytes on the wire, the cap counted after decoding."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.infra.http.body import BodyError, BodyTooLarge, read_body

DATA = b'{"data": {"id": "gen-1790983685-vELIl0vh5b8ltNURLhyU", "text": "' + b"abc" * 5000 + b'"}}'


def gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def raw_deflate(data: bytes) -> bytes:
    return zlib.compress(data, wbits=-zlib.MAX_WBITS)


CODINGS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "identity": ("", lambda data: data),
    "gzip": ("gzip", gzip),
    "members": ("gzip", lambda data: gzip(data[:7]) + gzip(data[7:100]) + gzip(data[100:])),
    "deflate": ("deflate", zlib.compress),
    "deflate-raw": ("deflate", raw_deflate),
    "stacked": ("deflate, gzip", lambda data: gzip(zlib.compress(data))),
}


async def pieces(data: bytes, cuts: list[int]) -> AsyncIterator[bytes]:
    start = 0
    for cut in sorted(set(cuts)):
        if start < cut < len(data):
            yield data[start:cut]
            start = cut
    yield data[start:]


async def read(data: bytes, coding: str, cuts: list[int] | None = None, **kw: int) -> bytes:
    return bytes(await read_body(pieces(data, cuts or []), coding, **kw))


@pytest.mark.parametrize("name", sorted(CODINGS))
async def test_each_coding_byte_by_byte(name: str) -> None:
    coding, encode = CODINGS[name]
    wire = encode(DATA)
    assert await read(wire, coding) == DATA
    assert await read(wire, coding, list(range(len(wire)))) == DATA


@settings(max_examples=60, deadline=None, database=None)
@given(st.sampled_from(sorted(CODINGS)), st.lists(st.integers(min_value=0, max_value=20_000)))
async def test_any_split_of_the_wire_reads_the_same(name: str, cuts: list[int]) -> None:
    coding, encode = CODINGS[name]
    assert await read(encode(DATA), coding, cuts) == DATA


@pytest.mark.parametrize("name", sorted(CODINGS))
async def test_the_cap_counts_decoded_bytes(name: str) -> None:
    coding, encode = CODINGS[name]
    wire = encode(DATA)
    assert await read(wire, coding, limit=len(DATA)) == DATA
    with pytest.raises(BodyTooLarge, match="answer too large"):
        await read(wire, coding, limit=len(DATA) - 1)


async def test_a_declared_length_past_the_cap_is_refused_unread() -> None:
    async def never() -> AsyncIterator[bytes]:
        raise AssertionError("read although the length was announced too large")
        yield b""  # pragma: no cover

    with pytest.raises(BodyTooLarge):
        await read_body(never(), "", content_length=11, limit=10)
    # A compressed body's length says nothing about its decoded size: it is read.
    assert bytes(await read_body(pieces(gzip(b"x"), []), "gzip", content_length=10**9)) == b"x"


@pytest.mark.parametrize(
    ("coding", "wire", "problem"),
    [
        ("zstd", b"\x28\xb5\x2f\xfd", "compressed with 'zstd'"),
        ("compress", b"\x1f\x9d", "compressed with 'compress'"),
        ("gzip", b"\x1f\x8b\x08\x00garbage-garbage", "gzip data of the answer is corrupt"),
        ("deflate", b"\xff\xff\xff\xff", "deflate data of the answer is corrupt"),
        ("gzip,gzip,gzip,gzip,gzip", gzip(b"x"), "encoded 5 times"),
    ],
)
async def test_unreadable_codings(coding: str, wire: bytes, problem: str) -> None:
    with pytest.raises(BodyError, match=problem):
        await read(wire, coding)


async def test_trailing_bytes_after_a_gzip_stream_are_ignored() -> None:
    assert await read(gzip(DATA) + b"\n\x00junk", "gzip") == DATA
