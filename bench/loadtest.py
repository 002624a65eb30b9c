"""`make loadtest`: the router under a campaign's load, beside a hello-world Flask app.

Both apps are served by gunicorn on 127.0.0.1 (free ports chosen now, the same worker settings)
and driven from this process with the same mix of signed Twilio requests: texts and every call
step. The run alternates between them in rounds, so a busy neighbour on the machine slows both
alike. It reports requests per second, p50 and p99 latency, errors (any answer that is not a 200
with the expected body), the workers' CPU time per request and the growth of their memory after
warm-up, then the ratios.

Every loop is bounded in time and in count. Options: --seconds (per app, default 60), --rounds,
--concurrency, --workers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TOKEN = "loadtest-" + os.urandom(8).hex()
MAX_REQUESTS_PER_ROUND = 2_000_000
MEMORY_LIMIT = 0.05

# (weight, path, fields): the mix of a campaign day, mostly texts, calls through every step.
MIX: list[tuple[int, str, dict[str, str]]] = [
    (14, "/sms", {"Body": "WALES"}),
    (8, "/sms", {"Body": "scotland please"}),
    (6, "/sms", {"Body": "Men"}),
    (6, "/sms", {"Body": "I am in Northern Ireland and need help"}),
    (6, "/sms", {"Body": "HELP"}),
    (4, "/sms", {"Body": "wales or england"}),
    (4, "/sms", {"Body": "he took my phone and I do not know who to call tonight"}),
    (2, "/sms", {"Body": "STOP"}),
    (2, "/sms", {"Body": "x" * 1600}),
    (10, "/voice", {}),
    (8, "/voice/choose/0", {"Digits": "2"}),
    (5, "/voice/choose/0", {"SpeechResult": "Scotland please", "Confidence": "0.91"}),
    (4, "/voice/choose/1", {}),
    (3, "/voice/choose/0", {"Digits": "9"}),
    (4, "/voice/dialled/wales", {"DialCallStatus": "busy"}),
    (4, "/voice/dialled/england", {"DialCallStatus": "completed"}),
]


def build_requests(port: int, count: int = 400, seed: int = 7) -> list[bytes]:
    """`count` signed HTTP requests in the mix, each from its own caller and SID, as Twilio sends.
    The first ones are one of each kind, in the order of MIX."""
    rng = random.Random(seed)
    weights = [w for w, _, _ in MIX]
    built = []
    for n in range(count):
        _, path, extra = MIX[n] if n < len(MIX) else rng.choices(MIX, weights)[0]
        caller = f"+4477009{rng.randrange(10**5):05d}"
        if path.startswith("/sms"):
            fields = {"MessageSid": f"SM{n:032x}", "SmsSid": f"SM{n:032x}", "NumMedia": "0"}
        else:
            fields = {"CallSid": f"CA{n:032x}", "CallStatus": "in-progress", "Direction": "inbound"}
        params = {"AccountSid": "AC" + "1" * 32, "From": caller, "To": "+441632960000", **fields, **extra}
        url = f"http://{HOST}:{port}{path}"
        signature = RequestValidator(TOKEN).compute_signature(url, params)
        body = urlencode(params).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"X-Twilio-Signature: {signature}\r\nConnection: close\r\n\r\n"
        )
        built.append(head.encode() + body)
    return built


@dataclass
class Target:
    name: str
    app: str
    expect: bytes
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    requests: list[bytes] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    memory_start: dict[int, int] = field(default_factory=dict)
    memory_end: dict[int, int] = field(default_factory=dict)
    cpu_start: tuple[float, int] = (0.0, 0)  # workers' CPU seconds, and requests done, after warm-up
    cpu_end: tuple[float, int] = (0.0, 0)

    @property
    def done(self) -> int:
        return len(self.latencies)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(target: Target, workers: int, folder: Path) -> Iterator[Target]:
    """Run gunicorn for `target` until the block ends; its stdout (the figures) goes to a file."""
    target.port = free_port()
    target.log = folder / f"{target.name.split()[0]}.out"
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{HOST}:{target.port}",
               "--log-level", "warning", "--timeout", "30", target.app]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "HELPLINE_", "PUBLIC_BASE"))}
    with target.log.open("wb") as out:
        target.process = subprocess.Popen(command, cwd=ROOT, env={**env, **target.env}, stdout=out)
    try:
        wait_until_up(target, workers)
        yield target
    finally:
        target.process.send_signal(signal.SIGTERM)
        try:
            target.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            target.process.kill()
            target.process.wait(timeout=10)


def wait_until_up(target: Target, workers: int, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert target.process is not None
        if target.process.poll() is not None:
            raise SystemExit(f"{target.name}: gunicorn exited with {target.process.returncode}")
        if len(worker_pids(target)) == workers:
            try:
                with socket.create_connection((HOST, target.port), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise SystemExit(f"{target.name}: not answering on {HOST}:{target.port} after {limit:.0f} s")


def worker_pids(target: Target) -> list[int]:
    assert target.process is not None
    pid = target.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return sorted(int(c) for c in children)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used, from /proc."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_per_request_us(target: Target) -> float:
    (start, done_start), (end, done_end) = target.cpu_start, target.cpu_end
    return (end - start) / (done_end - done_start) * 1e6 if done_end > done_start else float("nan")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def drive(target: Target, seconds: float, concurrency: int) -> None:
    """Send the requests round and round from `concurrency` connections until time is up."""
    deadline = time.perf_counter() + seconds
    budget = MAX_REQUESTS_PER_ROUND
    next_index = random.randrange(len(target.requests))

    async def connection() -> None:
        nonlocal budget, next_index
        while budget > 0 and time.perf_counter() < deadline:
            budget -= 1
            payload = target.requests[next_index % len(target.requests)]
            next_index += 1
            started = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection(HOST, target.port)
                writer.write(payload)
                answer = await asyncio.wait_for(reader.read(), timeout=10)
                writer.close()
            except (TimeoutError, OSError):
                target.errors += 1
                continue
            if answer.startswith(b"HTTP/1.1 200 ") and target.expect in answer:
                target.latencies.append(time.perf_counter() - started)
            else:
                target.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    target.seconds += time.perf_counter() - started


def check_ready(target: Target) -> None:
    """One request of each kind before timing: a wrong token or URL would make every one an error."""

    async def one(payload: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(HOST, target.port)
        writer.write(payload)
        answer = await asyncio.wait_for(reader.read(), timeout=10)
        writer.close()
        return answer

    for payload, (_, path, extra) in zip(target.requests, MIX, strict=False):
        answer = asyncio.run(one(payload))
        if not (answer.startswith(b"HTTP/1.1 200 ") and target.expect in answer):
            raise SystemExit(f"{target.name}: {path} {extra} was answered {answer[:200]!r}")


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)


def memory_growth(target: Target) -> float:
    if set(target.memory_start) != set(target.memory_end):
        return float("inf")  # a worker died and was replaced: that is a failure, not a figure
    start, end = sum(target.memory_start.values()), sum(target.memory_end.values())
    return (end - start) / start if start else float("inf")


def figures_lines(target: Target) -> tuple[int, int]:
    """The router's per-request figures lines: how many, and how many are not well-formed."""
    assert target.log is not None
    lines = bad = 0
    with target.log.open("rb") as handle:
        for raw in handle:
            lines += 1
            try:
                record = json.loads(raw)
                bad += not ("_aws" in record and record.get("channel") in ("sms", "voice"))
            except ValueError:
                bad += 1
    return lines, bad


def report(hello: Target, router: Target, warm_requests: int) -> bool:
    rows = []
    for t in (hello, router):
        rps = t.done / t.seconds if t.seconds else 0.0
        ms = [x * 1000 for x in t.latencies]
        start, end = sum(t.memory_start.values()), sum(t.memory_end.values())
        rows.append((t.name, t.done, rps, percentile(ms, 50), percentile(ms, 99), cpu_per_request_us(t),
                     t.errors, f"{start / 1024:.1f} -> {end / 1024:.1f}", memory_growth(t)))  # fmt: skip
    print()
    print(f"{'':22} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU us':>7} {'errors':>6}"
          f" {'worker RSS MiB':>17} {'growth':>7}")  # fmt: skip
    for name, done, rps, p50, p99, cpu, errors, rss, growth in rows:
        print(f"{name:22} {done:9d} {rps:8.0f} {p50:7.2f} {p99:7.2f} {cpu:7.0f} {errors:6d} {rss:>17}"
              f" {growth:7.1%}")  # fmt: skip
    ratio = rows[1][2] / rows[0][2] if rows[0][2] else 0.0
    p50_ratio = rows[1][3] / rows[0][3] if rows[0][3] else float("inf")
    cpu_ratio = rows[1][5] / rows[0][5] if rows[0][5] else float("inf")
    print(f"{'ratio router/hello':22} {'':9} {ratio:7.2f}x {p50_ratio:6.2f}x {'':7} {cpu_ratio:6.2f}x")
    print("(CPU us: the workers' CPU time per request after the warm-up round, from /proc)")
    lines, bad = figures_lines(router)
    answered = router.done + warm_requests
    print(f"\nrouter figures lines: {lines} for {answered} requests answered, {bad} malformed")
    ok = (
        router.errors == hello.errors == bad == 0
        and lines == answered
        and memory_growth(router) < MEMORY_LIMIT
    )
    # throughput is reported beside the baseline, not a goal: on Lambda an instance answers one
    # request at a time, and the price is set by API Gateway and Twilio
    print(f"no errors, one figures line per request and memory growth < {MEMORY_LIMIT:.0%}: "
          f"{'ok' if ok else 'FAILED'}")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="driving time per app (default 60)")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds the time is split into")
    parser.add_argument("--concurrency", type=int, default=8, help="connections open at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app")
    args = parser.parse_args()
    seconds = max(1.0, min(args.seconds, 600.0))
    rounds = max(2, min(args.rounds, 60))

    hello = Target("hello-world Flask", "bench.hello:app", b"Hello, World!", {})
    router = Target("helpline router", "app:app", b"<Response", {"TWILIO_AUTH_TOKEN": TOKEN})
    print(f"gunicorn, {args.workers} sync workers each, on {HOST}; {args.concurrency} connections;"
          f" {seconds:.0f} s per app in {rounds} alternating rounds")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        folder = Path(tmp)
        with served(hello, args.workers, folder), served(router, args.workers, folder):
            for t in (hello, router):
                t.requests = build_requests(t.port)
                check_ready(t)
            per_round = seconds / rounds
            for n in range(rounds):
                order = (hello, router) if n % 2 == 0 else (router, hello)
                for t in order:
                    asyncio.run(drive(t, per_round, args.concurrency))
                    if n == 0:  # after warm-up: imports done, caches filled
                        t.memory_start = {pid: rss_kib(pid) for pid in worker_pids(t)}
                        t.cpu_start = (cpu_seconds(worker_pids(t)), t.done)
                rss = [sum(rss_kib(pid) for pid in worker_pids(t)) / 1024 for t in (hello, router)]
                print(f"  round {n + 1}/{rounds}: hello {hello.done} requests, workers {rss[0]:.1f} MiB;"
                      f" router {router.done} requests, workers {rss[1]:.1f} MiB", flush=True)  # fmt: skip
            for t in (hello, router):
                t.memory_end = {pid: rss_kib(pid) for pid in worker_pids(t)}
                t.cpu_end = (cpu_seconds(worker_pids(t)), t.done)
        # the first round is warm-up for memory only; its requests still count for speed;
        # the readiness check sent one request of each kind before the rounds
        return 0 if report(hello, router, warm_requests=len(MIX)) else 1


if __name__ == "__main__":
    sys.exit(main())
