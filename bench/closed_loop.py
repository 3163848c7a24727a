"""A closed-loop HTTP load generator: N concurrent clients, each with one keep-alive connection.

Runs in its own processes (not threads of the server), so the figures include what a real
client sees. Each client sends its next request when the previous answer arrives.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))]


def _client(port: int, path: str, headers: dict | Callable[[int, int], dict], make_body: Callable[[int, int], dict], client_id: int,
            clients: int, deadline: float, out: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, n = [], 0, 0
    while time.time() < deadline:
        body = json.dumps(make_body(client_id, n)).encode()
        sent = headers(client_id, n) if callable(headers) else headers
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=sent)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        n += 1
    out.put((latencies, errors))


def run(port: int, path: str, headers: dict | Callable[[int, int], dict], make_body: Callable[[int, int], dict], clients: int = 8,
        seconds: float = 20.0, warmup: float = 2.0) -> Result:
    """Drive `clients` concurrent clients for `seconds` (after a warm-up), in separate processes. `headers`: the same
    for every request, or made per request from (client, n) as the body is."""
    ctx = mp.get_context("fork")
    if warmup:
        q = ctx.Queue()
        procs = [ctx.Process(target=_client, args=(port, path, headers, make_body, 1000 + i, clients, time.time() + warmup, q))
                 for i in range(clients)]
        for p in procs:
            p.start()
        for _ in procs:
            q.get()
        for p in procs:
            p.join()
    q = ctx.Queue()
    started = time.time()
    procs = [ctx.Process(target=_client, args=(port, path, headers, make_body, i, clients, started + seconds, q))
             for i in range(clients)]
    for p in procs:
        p.start()
    latencies, errors = [], 0
    for _ in procs:
        lat, err = q.get()
        latencies += lat
        errors += err
    for p in procs:
        p.join()
    return Result(len(latencies), errors, time.time() - started, latencies)
