"""The command line's text for facts and explanations from the application layer.

Nothing here decides a figure: :mod:`inspector.app.facts` chose every value and wrote
every text; this module only lays them out as aligned lines (and the TUI draws the same
facts as widgets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.app.explain import Explanation
    from inspector.app.facts import Fact, RecordFacts
    from inspector.app.lookup import Failed

SEP = " · "
KEY_HINT = "set OPENROUTER_API_KEY, or store a key with `orinspect key set`"


def _join(*parts: str | None) -> str:
    return SEP.join(part for part in parts if part)


def _with_note(fact: Fact) -> str:
    return f"{fact.text} ({fact.note})" if fact.note else fact.text


def _labelled(fact: Fact | None) -> str | None:
    return f"{fact.label} {fact.text}" if fact is not None else None


def cost_line(facts: RecordFacts) -> str:
    """``$0.0097364 · cache discount −$0.0147456 · $0.50 / M tok`` (+ BYOK spend)."""
    per_million = facts.per_million.text if facts.per_million else None
    if facts.true_per_million is not None:
        per_million = f"{facts.per_million.text if facts.per_million else '—'} billed"
    return _join(
        _with_note(facts.cost),
        _labelled(facts.cache),
        _labelled(facts.upstream),
        _labelled(facts.true_spend),
        per_million,
        f"{facts.true_per_million.text} true spend" if facts.true_per_million else None,
        _labelled(facts.usage),
    )


def token_line(facts: RecordFacts) -> str:
    """``prompt 18,432 (16,384 cached) · completion 1,210 (745 reasoning)``."""
    prompt = f"prompt {facts.prompt.text}"
    if facts.prompt.note:
        prompt += f" ({facts.prompt.note})"
    elif facts.prompt_cached is not None and facts.prompt_cached.value:
        prompt += f" ({facts.prompt_cached.text} cached)"
    completion = f"completion {facts.completion.text}"
    if facts.completion.note:
        completion += f" ({facts.completion.note})"
    elif facts.reasoning is not None and facts.reasoning.value:
        completion += f" ({facts.reasoning.text} reasoning)"
    return _join(prompt, completion, _labelled(facts.images))


def timing_line(facts: RecordFacts) -> str:
    return _join(
        _labelled(facts.latency),
        _labelled(facts.generation_time),
        _labelled(facts.moderation),
        facts.throughput.text if facts.throughput else None,
    )


def summary_text(facts: RecordFacts) -> str:
    """A few aligned lines: model, provider, created, outcome, cost, tokens, timing."""
    model = facts.model.text
    if facts.api_type.value:
        model += f"{SEP}{facts.api_type.text}"
    # the routing is worth a word only when some attempt failed
    provider = _join(facts.provider.text, facts.fallbacks.text if facts.fallbacks.value else None)
    created = facts.created.text
    if facts.created.note:
        created += f" ({facts.created.note})"
    finish = facts.finish.text
    if facts.finish.note:
        finish += f" ({facts.finish.note})"
    rows = [
        ("model", model),
        ("provider", provider),
        ("created", created),
        ("finish", _join(finish, *facts.flags)),
        ("cost", cost_line(facts)),
        ("tokens", token_line(facts)),
        ("timing", timing_line(facts)),
    ]
    if facts.cached_from is not None:
        rows.append(("cached from", facts.cached_from.text))
    if facts.other_fields:
        rows.append(("other fields", ", ".join(facts.other_fields)))
    return "\n".join([facts.gen_id, *(f"  {name:<12} {value}" for name, value in rows)])


def failure_line(outcome: Failed, explanation: Explanation) -> str:
    """One line for a final failure: the id, what the server said, what it means and what
    to do (the shared explanation), and how many attempts were made."""
    from inspector.core.errors import NetworkError

    error = outcome.error
    said = error.summary
    if isinstance(error, NetworkError):
        said = f"network error ({error.kind}): {said}"
    next_step = (
        KEY_HINT
        if explanation.action == "enter_key" and error.status is None
        else (explanation.next_step)
    )
    tries = f" (gave up after {outcome.attempts} attempts)" if outcome.attempts > 1 else ""
    text = f"{outcome.gen_id}: {said}{tries} — {explanation.cause} → {next_step}"
    return " ".join(text.split())
