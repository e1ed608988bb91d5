"""The network edge: one HTTP request per call, bounded in time and size, typed errors.

- :mod:`.client` — :class:`GenerationClient` (``GET /generation``, ``GET /key``, models);
- :mod:`.record` — :class:`FetchResult`, :class:`KeyInfo` and the reader of a 200's ``data``;
- :mod:`.transport` — :class:`ThreadedTransport` (the app's and the one-shot CLI's);
  :mod:`.async_transport` — the CLI batch's; both
  route through :mod:`.proxy`, keep :mod:`.deadline` and take their TLS context from
  :mod:`.tls` (loaded once, in a thread);
- :mod:`.body` — reading and decoding a body with a size cap;
- :mod:`.errors` — an HTTP answer or a network failure as a typed error;
- :mod:`.ratelimit` — ``Retry-After`` and ``X-RateLimit-Reset``;
- :mod:`.redact` — the key and URL credentials kept out of messages and records.

``inspector.infra.client`` re-exports the public names.
"""

import sys as _sys

# httpx imports its own command-line tool (``httpx._main``: click, rich, pygments) whenever
# click is installed, on every ``import httpx``: about 20 ms of every ``orinspect get``
# for a tool we never run. Marking the module absent makes httpx fall back to its stub.
_sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
