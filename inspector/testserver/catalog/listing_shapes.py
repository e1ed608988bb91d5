"""The shapes of model listings: a ``pricing`` object, an ``/endpoints`` entry, a listing."""

from __future__ import annotations

from typing import Any

__all__ = ["CHAT_PARAMS", "REASONING_PARAMS", "endpoint", "listing", "prices"]

CHAT_PARAMS = (
    "max_tokens",
    "temperature",
    "top_p",
    "stop",
    "frequency_penalty",
    "presence_penalty",
    "seed",
    "response_format",
    "structured_outputs",
    "tools",
    "tool_choice",
)
REASONING_PARAMS = (*CHAT_PARAMS, "reasoning", "include_reasoning")


def prices(prompt: str, completion: str, discount: float = 0, **more: Any) -> dict[str, Any]:
    """A ``pricing`` object in the samples' form (strings, ``request``/``image``/… ``"0"``)."""
    pricing: dict[str, Any] = {"prompt": prompt, "completion": completion}
    pricing.update({"request": "0", "image": "0", "web_search": "0"})
    pricing.update(more)
    pricing["discount"] = discount
    return pricing


def endpoint(
    provider: str,
    tag: str,
    model: str,
    model_name: str,
    pricing: dict[str, Any],
    *,
    context: int = 128_000,
    max_completion: int | None = 16_384,
    quantization: str = "unknown",
    latency: tuple[float, float, float, float] = (820, 1150, 1900, 4600),
    throughput: tuple[float, float, float, float] = (62.0, 51.5, 38.2, 17.9),
    uptime: tuple[float, float, float] = (99.6, 100, 99.4),
    caching: bool = True,
    params: tuple[str, ...] = CHAT_PARAMS,
) -> dict[str, Any]:
    """One ``/endpoints`` entry; ``uptime`` is (30 min, 5 min, 1 day) in %."""
    quartiles = ("p50", "p75", "p90", "p99")
    return {
        "name": f"{provider} | {model}",
        "model_id": model,
        "model_name": model_name,
        "context_length": context,
        "pricing": pricing,
        "provider_name": provider,
        "tag": tag,
        "quantization": quantization,
        "max_completion_tokens": max_completion,
        "max_prompt_tokens": None,
        "supported_parameters": list(params),
        "status": 0,
        "uptime_last_30m": uptime[0],
        "uptime_last_5m": uptime[1],
        "uptime_last_1d": uptime[2],
        "supports_implicit_caching": caching,
        "latency_last_30m": dict(zip(quartiles, latency, strict=True)),
        "throughput_last_30m": dict(zip(quartiles, throughput, strict=True)),
    }


def listing(
    model_id: str,
    name: str,
    created: int,
    description: str,
    tokenizer: str,
    endpoints: list[dict[str, Any]],
    *,
    inputs: tuple[str, ...] = ("text",),
    outputs: tuple[str, ...] = ("text",),
) -> dict[str, Any]:
    """The ``data`` of an ``/endpoints`` answer."""
    return {
        "id": model_id,
        "name": name,
        "created": created,
        "description": description,
        "architecture": {
            "tokenizer": tokenizer,
            "instruct_type": None,
            "modality": f"{'+'.join(inputs)}->{'+'.join(outputs)}",
            "input_modalities": list(inputs),
            "output_modalities": list(outputs),
        },
        "endpoints": endpoints,
    }
