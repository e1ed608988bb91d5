"""What the local OpenRouter knows: seeded records, scripted scenarios, model listings, bills.

Nothing is read or built at import time: the ids are plain strings, the samples in
``data/`` are read on first use, the 20,000-entry fallback chain and the 1 GiB bomb are
built the first time they are requested. Modules: ``ids`` (every fixed id and number),
``basics`` (samples, timestamps, record copies), ``builders``, ``odd_records`` and
``bill_records`` (records), ``scripts`` and ``hostile`` (scenario factories), ``listings``
(``/models`` and ``/endpoints``), ``bills`` (reconciled figures), ``wiring`` (seeding, ids
made at call time).

Records (``GET /generation`` answers 200 with them):

=========================  ==============================================================
``CHAT_ID``                the shared sample: a plain chat completion (OpenAI)
``FALLBACK_ID``            sample: two failed providers (429, 502) then Fireworks served it
``REASONING_CACHED_ID``    sample: streamed, reasoning tokens, cache reads, positive discount
``CANCELLED_ID``           sample: cancelled stream, most numbers null
``IMAGE_ID``               ``gen-img-…`` image generation, ``finish_reason`` ``complete``
``BYOK_ID``                bring-your-own-key: ``is_byok`` true, ``upstream_inference_cost`` set
``CACHE_HIT_ID``           served from the response cache (``response_cache_source_id``)
``OLD_RECORD_ID``          an early-2025 record with only the 32 older fields
``FUTURE_FIELDS_ID``       unknown keys, unknown provider and ``api_type``, ``total_cost`` as
                           the string ``"1.8e-05"`` (fails the closed schema on those only)
``HOSTILE_TEXT_ID``        markup, ANSI colours, an OSC title and C1 bytes in user strings
``HUGE_FALLBACK_ID``       20,000 ``provider_responses`` (built lazily)
``NEGATIVE_DISCOUNT_ID``   a cache write: negative ``cache_discount``
``NOT_FOUND_ID``           an old id with no record: always ``404 Generation … not found``
=========================  ==============================================================

Bill records (issue 12; each is in ``BILLS`` with its case and figures, see ``bills``):
``BYOK_FEE_ID`` (5 % fee), ``INSURED_ID`` (failed, billed 0), ``UNEXPLAINED_ID`` (25 % over
list), ``BATCH_ID`` (``gen-batch-…``, 50 %), ``LONG_CONTEXT_ID`` (``min_prompt_tokens``
tier), ``OFF_PEAK_ID`` (``utc_start``/``utc_end`` night price), ``DISCOUNTED_ID``
(endpoint ``discount``), ``TURBO_TAG_ID`` (a provider with two tags), ``PRIORITY_TIER_ID``
(``service_tier`` priority), ``CACHE_WRITE_ID`` (reads and writes), ``DELISTED_ID`` (model no
longer listed); ``MATCHES_LIST_ID`` = ``CHAT_ID``, ``CACHE_READ_ID`` = ``REASONING_CACHED_ID``.

Scenario ids (fixed, old timestamps; each also has a chat-like record for its 200s):

============================  ===========================================================
``RATE_LIMITED_ID``           429 ``Retry-After: 2`` (seconds), then 200
``RATE_LIMITED_DATE_ID``      429 ``Retry-After: <HTTP date now + 3 s>``, then 200
``RATE_LIMITED_RESET_ID``     429 with ``X-RateLimit-Reset`` (epoch ms, now + 2 s) as a header
                              and in ``error.metadata.headers``, then 200
``BAD_GATEWAY_HTML_ID``       502 with an HTML page, always
``EDGE_TIMEOUT_ID``           524 ``text/plain`` ``error code: 524``, always
``SERVER_ERROR_ID``           500 JSON, always
``UNAVAILABLE_ONCE_ID``       503 JSON once, then 200
``OVERLOADED_ID``             529 JSON, always
``BAD_REQUEST_ID``            400 in the Zod shape
``PAYMENT_REQUIRED_ID``       402 (with ``user_id``, like the sample)
``FORBIDDEN_ID``              403 JSON
``SLOW_ID``                   200 after ``SLOW_DELAY`` seconds
``TRUNCATED_ID``              200 whose ``Content-Length`` exceeds the bytes sent (a network
                              error for the client)
``CUT_JSON_ID``               200, a complete HTTP message whose JSON is cut off
``RESET_ID``                  connection reset (TCP RST) before any answer, always
``RESET_ONCE_ID``             connection reset once, then 200
``RESET_MID_BODY_ID``         headers and half the body, then a reset
``NON_JSON_ID``               200 ``text/html``
``NO_DATA_ID``                200 JSON without ``data``
``GZIP_ID`` / ``DEFLATE_ID``  200 compressed if ``Accept-Encoding`` allows it (deflate: zlib)
``DEFLATE_RAW_ID``            200 raw DEFLATE labelled ``deflate`` (a common server mistake)
``BROTLI_ID``                 200 ``br`` if the ``brotli`` package is installed, else plain
``GZIP_ALWAYS_ID``            200 gzip even when the client did not ask (a CDN)
``GZIP_ERROR_ID``             403 JSON, gzip if accepted; ``DEFLATE_ERROR_ID`` the same, deflate
``DRIP_ID``                   200 whose body comes at ``DRIP_RATE`` (4) bytes per second
``BOMB_ID``                   200 gzip, ~1 MB inflating to ``BOMB_FILLER`` (1 GiB) spaces and
                              then a valid record; ``Content-Length`` given; streamed
``DEEP_JSON_ID``              200 record with a ``"nested"`` key ``DEEP_JSON_DEPTH`` arrays deep
``DEEP_JSON_ERROR_ID``        400 JSON whose ``metadata`` is ``DEEP_JSON_DEPTH`` objects deep
``ECHO_KEY_ID``               200 record echoing the bearer token sent (``ECHO_FIELDS``)
``ECHO_KEY_ERROR_ID``         400 JSON echoing it in the message and ``metadata.headers``
``HUGE_INT_ID`` …             200 records with hostile values (raw tokens in
``LONG_STRING_ID``            ``HOSTILE_VALUES``): ints past 2^63, 1e308 and 1e999, denormals,
                              NaN/Infinity, lone surrogates, a 100,000-character string
============================  ===========================================================

``MISTYPED_FUTURE_ID`` (stamped in 2058) has no record: always 404.
The waits above are the values before the server's ``time_scale`` (0.01 turns 2 s into
``Retry-After: 0.02``); ``SLOW_DELAY`` and ``DRIP_RATE`` are not scaled.

Ids made at call time (see ``wiring``)::

    gen_id = catalog.pending_id(server, polls=3)   # young: 404 x3, then the record
    gen_id = catalog.future_id(server, ahead=6 * 3600)  # stamped in the future, never indexed
    gen_id = catalog.skewed_id(server, ahead=120)  # stamped 2 min ahead, resolves after 1 poll

Model listings (``/models``, ``/models/{author}/{slug}/endpoints``): see ``listings``;
``DELISTED_MODEL`` is not listed (404). ``DEMO_IDS`` lists (label, id) pairs for the demo's
empty state, ``BILL_DEMO_IDS`` the bills a demo shows.
"""

from inspector.testserver.catalog.basics import *  # noqa: F403
from inspector.testserver.catalog.bill_records import *  # noqa: F403
from inspector.testserver.catalog.bills import *  # noqa: F403
from inspector.testserver.catalog.builders import *  # noqa: F403
from inspector.testserver.catalog.hostile import *  # noqa: F403
from inspector.testserver.catalog.ids import *  # noqa: F403
from inspector.testserver.catalog.listing_shapes import *  # noqa: F403
from inspector.testserver.catalog.listings import *  # noqa: F403
from inspector.testserver.catalog.odd_records import *  # noqa: F403
from inspector.testserver.catalog.scripts import *  # noqa: F403
from inspector.testserver.catalog.wiring import *  # noqa: F403
from inspector.testserver.models_route import MODEL_NOT_FOUND as MODEL_NOT_FOUND
