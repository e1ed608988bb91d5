"""Small real servers for the network-edge tests, all on 127.0.0.1, port 0, in threads.

* :class:`RawServer` answers every request with one scripted :class:`Reply` (any status,
  headers, body pieces and pace: a drip, a decompression bomb, a compressed body) and
  records the request heads it read.
* :class:`Proxy` is an HTTP proxy: ``CONNECT host:port`` tunnels to an address of the test's
  choosing (or is refused with a status), other requests are recorded and refused. It
  records every byte the client sent it, so a test can prove the key never crossed it in
  clear.
* :class:`TlsFront` terminates TLS with a throw-away certificate and relays to a plain
  server (the local OpenRouter), so a CONNECT tunnel can carry a real https:// lookup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _read_head(conn: socket.socket) -> bytes:
    """Bytes up to and including the blank line that ends a request head."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    return data


class _Threaded:
    """Accepts connections on 127.0.0.1:0 and serves each in a daemon thread."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def start(self) -> Any:
        self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.add(conn)
            threading.Thread(target=self._serve_safely, args=(conn,), daemon=True).start()

    def _serve_safely(self, conn: socket.socket) -> None:
        try:
            self.serve(conn)
        except (OSError, ssl.SSLError):
            pass  # the client went away: that is what several tests do on purpose
        finally:
            with self._lock:
                self._conns.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Reply:
    """One scripted answer: ``pieces`` of body sent after the headers, ``drip`` bytes/s."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    pieces: Callable[[], Iterable[bytes]] = lambda: [b'{"data": {}}']
    length: int | None = None  # Content-Length; None: the sum of the pieces (computed)
    drip: float | None = None


class RawServer(_Threaded):
    """Answers every request on the connection with ``reply``; ``heads`` records requests."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply
        self.heads: list[bytes] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def serve(self, conn: socket.socket) -> None:
        head = _read_head(conn)
        if not head:
            return
        self.heads.append(head)
        reply = self.reply
        pieces = reply.pieces()
        if reply.length is None:
            pieces = list(pieces)
            length = sum(len(piece) for piece in pieces)
        else:
            length = reply.length
        lines = [f"HTTP/1.1 {reply.status} Scripted", f"Content-Length: {length}"]
        lines += [f"{name}: {value}" for name, value in reply.headers.items()]
        lines += ["Connection: close", "", ""]
        conn.sendall("\r\n".join(lines).encode("latin-1"))
        for piece in pieces:
            if reply.drip is None:
                conn.sendall(piece)
                continue
            step = max(1, int(reply.drip // 4))  # four sends per second
            for start in range(0, len(piece), step):
                if self._stop.wait(step / reply.drip):
                    return
                conn.sendall(piece[start : start + step])


def gzip_bytes(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


# ---- the proxy -----------------------------------------------------------------------------


@dataclass
class ProxyLog:
    """What one connection to the proxy carried from the client."""

    request_line: str = ""
    head: bytes = b""
    sent: bytearray = field(default_factory=bytearray)  # every byte, tunnel included


class Proxy(_Threaded):
    """``CONNECT`` tunnels to ``upstream`` (a ``(host, port)``; None: refused with
    ``refuse_status``); plain requests are recorded and answered 502."""

    def __init__(
        self, upstream: tuple[str, int] | None = None, *, refuse_status: int = 403
    ) -> None:
        super().__init__()
        self.upstream = upstream
        self.refuse_status = refuse_status
        self.logs: list[ProxyLog] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def everything_sent(self) -> bytes:
        return b"".join(bytes(log.sent) for log in self.logs)

    def serve(self, conn: socket.socket) -> None:
        log = ProxyLog()
        self.logs.append(log)
        head = _read_head(conn)
        log.head, log.request_line = head, head.split(b"\r\n", 1)[0].decode("latin-1")
        log.sent += head
        if not log.request_line.startswith("CONNECT ") or self.upstream is None:
            status = self.refuse_status if log.request_line.startswith("CONNECT ") else 502
            conn.sendall(f"HTTP/1.1 {status} Refused\r\nContent-Length: 0\r\n\r\n".encode())
            return
        upstream = socket.create_connection(self.upstream, timeout=10)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with upstream:
            back = threading.Thread(target=_pump, args=(upstream, conn, None), daemon=True)
            back.start()
            _pump(conn, upstream, log.sent)
            back.join(timeout=5)


def _pump(source: socket.socket, sink: socket.socket, record: bytearray | None) -> None:
    try:
        while piece := source.recv(65536):
            if record is not None:
                record += piece
            sink.sendall(piece)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


# ---- TLS -----------------------------------------------------------------------------------


def make_certificate(host: str, directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (``cert.pem``, ``key.pem`` in ``directory``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TlsFront(_Threaded):
    """Terminates TLS (``cert``/``key``) and relays the plain bytes to ``upstream``."""

    def __init__(self, cert: Path, key: Path, upstream: tuple[str, int]) -> None:
        super().__init__()
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self.upstream = upstream

    def serve(self, conn: socket.socket) -> None:
        with self._context.wrap_socket(conn, server_side=True) as tls:
            upstream = socket.create_connection(self.upstream, timeout=10)
            with upstream:
                back = threading.Thread(target=_pump, args=(upstream, tls, None), daemon=True)
                back.start()
                _pump(tls, upstream, None)
                back.join(timeout=5)


def elapsed(start: float) -> float:
    return time.monotonic() - start
