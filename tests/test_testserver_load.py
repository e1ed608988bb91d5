"""The local server under concurrent load: per-request latency and a rate-limit storm."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


def in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads started together; their results in order."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def get_gen(client: httpx.Client, gen_id: str = catalog.CHAT_ID) -> httpx.Response:
    return client.get("/generation", params={"id": gen_id})


# -- latency ------------------------------------------------------------------------------


def test_latency_delays_every_answer_without_holding_the_others(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> None:
    server = make_fake_server(latency=0.3)
    with httpx.Client(base_url=server.base_url, headers=AUTH) as c:
        sent = time.monotonic()
        assert get_gen(c).status_code == 200
        answered = time.monotonic()
        assert c.get("/key").status_code == 200  # every route, not only /generation
    assert answered - sent >= 0.3
    first = server.requests[0]
    assert sent <= first.at < sent + 0.1  # recorded on arrival, before the latency
    server.reset_counts()

    clients = [httpx.Client(base_url=server.base_url, headers=AUTH) for _ in range(8)]

    def one(index: int) -> float:
        started = time.monotonic()
        assert get_gen(clients[index]).status_code == 200
        return time.monotonic() - started

    started = time.monotonic()
    durations = in_parallel(8, one)
    total = time.monotonic() - started
    for client in clients:
        client.close()
    assert min(durations) >= 0.3
    assert total < 1.2  # one after another would take 2.4 s
    arrivals = [r.at for r in server.requests]
    assert len(arrivals) == 8 and max(arrivals) - min(arrivals) < 0.25


def test_stop_ends_the_latency_wait(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    server = make_fake_server(latency=30)
    errors: list[BaseException] = []

    def wait_for_answer() -> None:
        try:
            httpx.get(server.base_url + "/key", headers=AUTH, timeout=10)
        except httpx.TransportError as exc:
            errors.append(exc)

    thread = threading.Thread(target=wait_for_answer)
    thread.start()
    while not server.requests:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 3 and len(errors) == 1


# -- rate-limit storm ---------------------------------------------------------------------


def test_storm_answers_429_for_the_whole_window(fake_server: FakeOpenRouter) -> None:
    storm = fake_server.rate_limit_storm(window=0.6)
    with httpx.Client(base_url=fake_server.base_url, headers=AUTH) as c:
        first = get_gen(c)
        second = get_gen(c)
        assert c.get("/key").status_code == 200  # only /generation is limited
        time.sleep(0.65)
        after = get_gen(c)
    assert first.status_code == 429 and first.headers["retry-after"] == "0.6"
    assert first.json()["error"]["code"] == 429
    assert second.status_code == 429 and 0 < float(second.headers["retry-after"]) <= 0.6
    assert after.status_code == 200 and after.json()["data"]["id"] == catalog.CHAT_ID
    assert (storm.rejected, storm.in_flight + storm.inside, storm.passed) == (2, 1, 1)
    assert len(storm.windows) == 1
    assert fake_server.count(catalog.CHAT_ID) == 1  # the 429s never reached the route


def test_storm_starts_later_comes_in_bursts_and_can_announce_reset_ms(
    fake_server: FakeOpenRouter,
) -> None:
    storm = fake_server.rate_limit_storm(window=0.2, after=0.3, bursts=2, style="reset-ms")
    with httpx.Client(base_url=fake_server.base_url, headers=AUTH) as c:
        early = get_gen(c).status_code
        time.sleep(0.35)
        one = get_gen(c)
        time.sleep(0.25)
        two = get_gen(c)
        time.sleep(0.25)
        over = get_gen(c).status_code
    assert (early, one.status_code, two.status_code, over) == (200, 429, 429, 200)
    reset_ms = int(one.headers["x-ratelimit-reset"])
    assert abs(reset_ms / 1000 - (time.time() - 0.5 + 0.2)) < 0.5
    assert one.json()["error"]["metadata"]["headers"]["X-RateLimit-Reset"] == str(reset_ms)
    assert "retry-after" not in one.headers and len(storm.windows) == 2
    fake_server.end_storm()
    with httpx.Client(base_url=fake_server.base_url, headers=AUTH) as c:
        assert get_gen(c).status_code == 200


def hammer(server: FakeOpenRouter, workers: int, gate: bool) -> list[int]:
    """``workers`` threads, 6 lookups each; with ``gate`` they share one Retry-After gate."""
    lock = threading.Lock()
    reopen = [0.0]  # time.monotonic() before which nobody may send

    def work(_: int) -> list[int]:
        seen: list[int] = []
        with httpx.Client(base_url=server.base_url, headers=AUTH) as c:
            for _ in range(6):
                while True:
                    if gate:
                        with lock:
                            pause = reopen[0] - time.monotonic()
                        if pause > 0:
                            time.sleep(pause)
                    answer = get_gen(c)
                    seen.append(answer.status_code)
                    if answer.status_code != 429:
                        break
                    if gate:
                        with lock:
                            wait = float(answer.headers["retry-after"])
                            reopen[0] = max(reopen[0], time.monotonic() + wait)
        return seen

    return [code for codes in in_parallel(workers, work) for code in codes]


def test_a_storm_counts_requests_a_shared_gate_would_have_held(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> None:
    server = make_fake_server()
    storm = server.rate_limit_storm(window=0.5)
    codes = hammer(server, workers=4, gate=False)
    assert storm.inside > 0
    assert codes.count(429) == storm.rejected and codes.count(200) == 24
    late = storm.arrived_inside([r.at for r in server.requests])
    assert len(late) == storm.inside


@pytest.mark.parametrize("workers", [4])
def test_a_shared_gate_sends_nothing_inside_the_window(
    make_fake_server: Callable[..., FakeOpenRouter], workers: int
) -> None:
    server = make_fake_server()
    storm = server.rate_limit_storm(window=0.5, bursts=2)
    codes = hammer(server, workers=workers, gate=True)
    assert codes.count(200) == workers * 6
    assert storm.inside == 0 and storm.rejected >= 1
    assert storm.rejected == storm.in_flight + len(storm.windows)


def test_entry_point_refuses_a_negative_latency() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inspector.testserver", "--latency", "-1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "must not be negative" in result.stderr and "Traceback" not in result.stderr
