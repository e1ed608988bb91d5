"""``python -m inspector.testserver [--port N] [--time-scale X] [--latency S] [--gzip]``.

Serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from inspector.testserver import catalog
from inspector.testserver.server import TEST_KEY, FakeOpenRouter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m inspector.testserver",
        description="A local fake of OpenRouter's /generation, /key, /models and /endpoints.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiply announced waits (Retry-After, X-RateLimit-Reset) by this",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="S",
        help="wait S seconds before answering each request (others are not held)",
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="gzip every answer, whether or not the client asks (like some CDNs)",
    )
    parser.add_argument(
        "--pending",
        type=int,
        default=0,
        metavar="N",
        help="also make N young ids that answer 404 three times, then 200",
    )
    return parser


def announce(server: FakeOpenRouter, pending: Sequence[str]) -> None:
    """Print what a human (or a tmux test) needs: the environment and some ids to try."""
    print(f"OPENROUTER_BASE_URL={server.base_url}")
    print(f"OPENROUTER_API_KEY={TEST_KEY}")
    for label, gen_id in catalog.DEMO_IDS:
        print(f"  {gen_id}  {label}")
    for gen_id in pending:
        print(f"  {gen_id}  Pending (404 x3, then 200)")
    print("Ctrl-C to stop.", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.latency < 0 or args.time_scale < 0:
        print("--latency and --time-scale must not be negative", file=sys.stderr)
        return 2
    server = FakeOpenRouter(
        host=args.host,
        port=args.port,
        time_scale=args.time_scale,
        latency=args.latency,
        encoding="gzip" if args.gzip else None,
        force_encoding=args.gzip,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        announce(server, [server.pending_id(polls=3) for _ in range(args.pending)])
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
