"""Every fixed id the local OpenRouter knows, and the numbers its scenarios announce.

Plain strings and numbers (and no other public name: the catalog star-imports this module):
importing it builds and reads nothing. What each id answers
is listed in the package docstring (:mod:`inspector.testserver.catalog`).
"""

# -- record ids ---------------------------------------------------------------------------

CHAT_ID = "gen-1792504991-h7KpQ2sLw9XcVb3nRt6Y"
REASONING_CACHED_ID = "gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe"
CANCELLED_ID = "gen-1792505465-Kr8vB1mXq5NcT3wLz7Pd"
FALLBACK_ID = "gen-1792505729-Wt5qH9eLr2XbN6kPz3Dc"
IMAGE_ID = "gen-img-1794999012-PK3p1yfFcTXmxua5WQdI"
BYOK_ID = "gen-1795012345-Wdc7O526wzQToE5jXYuE"
CACHE_HIT_ID = "gen-1792509001-oLQCtVLGj3HgJNPJUXkZ"
OLD_RECORD_ID = "gen-1737842322-4DBcS57a3iX0PTy7TU9q"
FUTURE_FIELDS_ID = "gen-1795400000-egU8enn5ybZWPMd5S7T0"
HOSTILE_TEXT_ID = "gen-1795100000-wQzx2FL24G4YyqZZOgfL"
HUGE_FALLBACK_ID = "gen-1795200000-568mxvzjdNmmOO54rmRA"
NEGATIVE_DISCOUNT_ID = "gen-1795300000-cLjndnYHGbzCUYiK16po"
NOT_FOUND_ID = "gen-1790000000-pPW5tzKDyYAhRh6DFzNM"

HUGE_FALLBACK_COUNT = 20_000

# -- bill records (issue 12; figures in catalog.bills) -------------------------------------

BYOK_FEE_ID = "gen-1795600101-HPmT37GvoEbovAzFsvMQ"
INSURED_ID = "gen-1795600202-2WfQehcRXbpL1bjUkF29"
UNEXPLAINED_ID = "gen-1795600303-wWPicYHrLkoCmHHgrjXe"
BATCH_ID = "gen-batch-1795600404-a61aa711abf83a67f72c953f"
LONG_CONTEXT_ID = "gen-1795600505-6D1pifKuhT488iddctfl"
DISCOUNTED_ID = "gen-1795600606-e49pD1bjFluiPIbRMOAD"
TURBO_TAG_ID = "gen-1795600707-drJKarcXitpMbUxzMF4A"
PRIORITY_TIER_ID = "gen-1795600808-Anref2UgkmvEwDkE07rr"
CACHE_WRITE_ID = "gen-1795600909-V63bRQUsXv3iVhY52kxU"
DELISTED_ID = "gen-1795601010-1xTT0W4mrpjwPIxFUr2g"
OFF_PEAK_ID = "gen-1795650000-isCZz2TwLqRlcKe8WJm2"  # 23:40 UTC: DeepSeek's night window

# Existing records that are also bill cases, under the name of the case.
MATCHES_LIST_ID = CHAT_ID  # billed exactly the serving provider's list price
CACHE_READ_ID = REASONING_CACHED_ID  # cheaper than list by the cache reads

# -- scenario ids -------------------------------------------------------------------------

RATE_LIMITED_ID = "gen-1790000001-3wnEUQ45csjMojRcHbt5"
RATE_LIMITED_DATE_ID = "gen-1790000002-JvUEiUn5iVmp4OgEEUWg"
RATE_LIMITED_RESET_ID = "gen-1790000003-ghZCCNDJrB9Ivyi034c3"
BAD_GATEWAY_HTML_ID = "gen-1790000004-gzrKHgRoDTwBUYyZ5RwA"
EDGE_TIMEOUT_ID = "gen-1790000005-RQchACR8W67oGtDxWHOx"
SERVER_ERROR_ID = "gen-1790000006-hbPWYTQeFGWcCjKjsdHA"
UNAVAILABLE_ONCE_ID = "gen-1790000007-yaoSrisx39XkbHlutrZp"
OVERLOADED_ID = "gen-1790000008-CnbRA78uJXN1W7BIAngD"
BAD_REQUEST_ID = "gen-1790000009-pABu4pbUWMI1RlZYwwjX"
PAYMENT_REQUIRED_ID = "gen-1790000010-c7mpeDWImRCGB7u1xOtj"
FORBIDDEN_ID = "gen-1790000011-hwAym86U59UDYoAOqcv3"
SLOW_ID = "gen-1790000012-vECfzpPu9AqdK0Dxrgsq"
TRUNCATED_ID = "gen-1790000013-EUS6HmcdtiU52Gv3iQ1n"
CUT_JSON_ID = "gen-1790000014-P9g8JCf7TY6yM6Nre6kB"
RESET_ID = "gen-1790000015-LE9OVmZDlE16JJ7FM9zj"
RESET_ONCE_ID = "gen-1790000016-Cghk0PzrZMeyOrrflyPv"
RESET_MID_BODY_ID = "gen-1790000017-luboFbBTN0xSPjTmkvLl"
NON_JSON_ID = "gen-1790000018-0qHK3yQT6gsJ68fPF7Tv"
NO_DATA_ID = "gen-1790000019-0YXs5QO3HEhS7eWDn5ag"

# -- hostile-server scenario ids (issue 11; factories in catalog.hostile) ------------------

GZIP_ID = "gen-1790000020-f2NL0Hi5Y6losC9aLMUl"
DEFLATE_ID = "gen-1790000021-9N9DtNv0gLoADYR0LMEV"
DEFLATE_RAW_ID = "gen-1790000022-rDDP0msLhgZkHNKEf2ht"
BROTLI_ID = "gen-1790000023-qNyQTq98AWf3fxxjHCuV"
GZIP_ALWAYS_ID = "gen-1790000024-hcD549pjgkVxajF9Yo7m"
GZIP_ERROR_ID = "gen-1790000025-DRhctcjJBCLrHQsaiqPK"
DEFLATE_ERROR_ID = "gen-1790000026-0ix2dBZeDr3Ad1xaJrL2"
DRIP_ID = "gen-1790000027-rHPJrVpSFmGDE0Gzxz2o"
BOMB_ID = "gen-1790000028-FdQuUe2847koU2FruuSO"
DEEP_JSON_ID = "gen-1790000029-cpL3fmSImR1SoHL3gr2D"
DEEP_JSON_ERROR_ID = "gen-1790000030-O4AWeH25dPAZ7weQ3Hml"
ECHO_KEY_ID = "gen-1790000031-YQWnT4JTXX0dxkmtMYLJ"
ECHO_KEY_ERROR_ID = "gen-1790000032-pHQtSgKWVFR6MRbc4cfG"
HUGE_INT_ID = "gen-1790000033-58Br6MZY6KlDYXBq0ARO"
HUGE_FLOAT_ID = "gen-1790000034-GjqpQfUTjTKnWwNLRlP1"
DENORMAL_ID = "gen-1790000035-ATYuhGtELxQxgwayHQNC"
NAN_ID = "gen-1790000036-5iWseboBReiNdoS1EMRx"
LONE_SURROGATE_ID = "gen-1790000037-rc69gVmkgpVhsKFQ4pfj"
LONG_STRING_ID = "gen-1790000038-hbdMWdv1URy736zzBLni"

# CHAT_ID with its first digit mistyped: stamped in 2058, never indexed (always 404).
MISTYPED_FUTURE_ID = "gen-2792504991-h7KpQ2sLw9XcVb3nRt6Y"

# -- model ids: the /models ``id`` (URL form) of each listing (see catalog.listings) ------

CHAT_MODEL = "openai/gpt-4.1-mini"
GPT5_MINI_MODEL = "openai/gpt-5-mini"
HAIKU_MODEL = "anthropic/claude-haiku-4.5"
SONNET_MODEL = "anthropic/claude-sonnet-4.5"
DEEPSEEK_MODEL = "deepseek/deepseek-v3.2"
KIMI_MODEL = "moonshotai/kimi-k2-0905"
IMAGE_MODEL = "google/gemini-2.5-flash-image"
AURORA_MODEL = "aurora/aurora-1-mini"
# The permaslug of the model no longer listed (OLD_RECORD_ID's and DELISTED_ID's).
DELISTED_MODEL = "mistralai/mistral-7b-instruct-v0.3"

# -- numbers the scenarios use ------------------------------------------------------------

RATE_LIMIT_WAIT = 2.0  # seconds announced by RATE_LIMITED_ID / RATE_LIMITED_RESET_ID
RATE_LIMIT_DATE_WAIT = 3.0  # seconds ahead for the HTTP-date form (dates have 1 s precision)
SLOW_DELAY = 3.0  # seconds SLOW_ID takes to answer (not scaled by time_scale)
DRIP_RATE = 4.0  # bytes per second DRIP_ID sends its body at
BOMB_FILLER = 1 << 30  # spaces BOMB_ID inflates to before its record (1 GiB)
DEEP_JSON_DEPTH = 100_000  # nesting levels in DEEP_JSON_ID / DEEP_JSON_ERROR_ID
LONG_STRING_LENGTH = 100_000  # characters of LONG_STRING_ID's external_user
HUGE_INT = 2**64 + 1  # HUGE_INT_ID's tokens_prompt (past 2^63)

# -- groups -------------------------------------------------------------------------------

SAMPLE_IDS = (CHAT_ID, REASONING_CACHED_ID, CANCELLED_ID, FALLBACK_ID)
BILL_IDS = (
    BYOK_FEE_ID,
    INSURED_ID,
    UNEXPLAINED_ID,
    BATCH_ID,
    LONG_CONTEXT_ID,
    DISCOUNTED_ID,
    TURBO_TAG_ID,
    PRIORITY_TIER_ID,
    CACHE_WRITE_ID,
    DELISTED_ID,
    OFF_PEAK_ID,
)
RECORD_IDS = (
    *SAMPLE_IDS,
    IMAGE_ID,
    BYOK_ID,
    CACHE_HIT_ID,
    OLD_RECORD_ID,
    FUTURE_FIELDS_ID,
    HOSTILE_TEXT_ID,
    HUGE_FALLBACK_ID,
    NEGATIVE_DISCOUNT_ID,
    *BILL_IDS,
)
COMPRESSED_IDS = (
    GZIP_ID,
    DEFLATE_ID,
    DEFLATE_RAW_ID,
    BROTLI_ID,
    GZIP_ALWAYS_ID,
    GZIP_ERROR_ID,
    DEFLATE_ERROR_ID,
)
HOSTILE_VALUE_IDS = (
    HUGE_INT_ID,
    HUGE_FLOAT_ID,
    DENORMAL_ID,
    NAN_ID,
    LONE_SURROGATE_ID,
    LONG_STRING_ID,
)
HOSTILE_IDS = (
    *COMPRESSED_IDS,
    DRIP_ID,
    BOMB_ID,
    DEEP_JSON_ID,
    DEEP_JSON_ERROR_ID,
    ECHO_KEY_ID,
    ECHO_KEY_ERROR_ID,
    *HOSTILE_VALUE_IDS,
)
SCENARIO_IDS = (
    RATE_LIMITED_ID,
    RATE_LIMITED_DATE_ID,
    RATE_LIMITED_RESET_ID,
    BAD_GATEWAY_HTML_ID,
    EDGE_TIMEOUT_ID,
    SERVER_ERROR_ID,
    UNAVAILABLE_ONCE_ID,
    OVERLOADED_ID,
    BAD_REQUEST_ID,
    PAYMENT_REQUIRED_ID,
    FORBIDDEN_ID,
    SLOW_ID,
    TRUNCATED_ID,
    CUT_JSON_ID,
    RESET_ID,
    RESET_ONCE_ID,
    RESET_MID_BODY_ID,
    NON_JSON_ID,
    NO_DATA_ID,
    *HOSTILE_IDS,
)

DEMO_IDS: list[tuple[str, str]] = [
    ("Chat completion", CHAT_ID),
    ("Reasoning with cache reads", REASONING_CACHED_ID),
    ("Fallback chain (2 failed providers)", FALLBACK_ID),
    ("Cancelled stream", CANCELLED_ID),
    ("Image generation", IMAGE_ID),
    ("Bring your own key", BYOK_ID),
    ("Response-cache hit", CACHE_HIT_ID),
    ("Cache write (negative discount)", NEGATIVE_DISCOUNT_ID),
    ("Old record (32 fields)", OLD_RECORD_ID),
    ("Fields from the future", FUTURE_FIELDS_ID),
    ("Hostile text", HOSTILE_TEXT_ID),
    ("20,000 provider attempts", HUGE_FALLBACK_ID),
    ("Rate limited, then OK", RATE_LIMITED_ID),
    ("Upstream down (502 HTML)", BAD_GATEWAY_HTML_ID),
    ("Edge timeout (524)", EDGE_TIMEOUT_ID),
    ("Slow answer", SLOW_ID),
    ("Not found (old id)", NOT_FOUND_ID),
]
