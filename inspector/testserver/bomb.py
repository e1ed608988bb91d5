"""A gzip decompression bomb, sent as a stream: ~1 MB on the wire, ~1 GiB once inflated.

The inflated body is ``filler`` spaces followed by ``payload`` (a valid JSON document, so
leading whitespace keeps the whole body valid JSON: a client without a size cap inflates
all of it and then parses it). Nothing near the inflated size is ever held in memory: one
1 MiB block of spaces is compressed once after a full flush (which resets the compressor,
so every such block compresses to the same bytes) and that block is sent again and again.
The gzip trailer (CRC-32 and size) is computed over the whole inflated body, so a strict
decoder accepts the stream. Building costs ~0.3 s once per process and size; then cached.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from inspector.testserver.exchange import Stream

BLOCK = 1 << 20  # inflated bytes per repeated block


@dataclass(frozen=True)
class GzipBomb:
    """The pieces of one bomb: ``head``, ``middle`` × ``repeats``, ``tail``."""

    head: bytes
    middle: bytes
    repeats: int
    tail: bytes
    inflated_size: int

    @property
    def length(self) -> int:
        """Bytes on the wire (the ``Content-Length``)."""
        return len(self.head) + len(self.middle) * self.repeats + len(self.tail)

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        for _ in range(self.repeats):
            yield self.middle
        yield self.tail

    def open(self) -> tuple[int | None, Iterator[bytes]]:
        return self.length, self.chunks()


def bomb_stream(filler: int, payload: bytes) -> Stream:
    """A :class:`Stream` sending :func:`gzip_bomb` (built on first use, then cached)."""
    return Stream(lambda: gzip_bomb(filler, payload).open())


@cache
def gzip_bomb(filler: int, payload: bytes) -> GzipBomb:
    """A bomb inflating to ``filler`` spaces (rounded up to whole MiB, at least 1) + ``payload``."""
    blocks = max(1, -(-filler // BLOCK))
    block = b" " * BLOCK
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip wrapper
    head = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    # The compressor has now seen 2 blocks; the trailer it would write is wrong for ours.
    tail = (packer.compress(payload) + packer.flush(zlib.Z_FINISH))[:-8]
    if blocks == 1:
        middle, repeats = b"", 0
    else:
        repeats = blocks - 1
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(payload, crc)
    inflated = blocks * BLOCK + len(payload)
    trailer = struct.pack("<II", crc, inflated & 0xFFFFFFFF)
    return GzipBomb(head, middle, repeats, tail + trailer, inflated)
