"""``python -m bench.soak``: a steady load for minutes, then three checks.

The bench server (gunicorn with production settings, see :mod:`bench.runner`)
gets a steady mix of requests at ``--rate`` per second for ``--minutes``:
complaints filed on the public form (one in ten submitted twice with the same
form token, as a double click does), cases created by staff and through the
API, the work queue and case pages. Then:

1. **no errors** — every request answered with its expected status;
2. **memory** — the web workers' resident memory in the last two minutes is
   at most ``--memory-growth-mb`` above the first two minutes (and under
   ``--memory-peak-mb``);
3. **exactly once** — every case the load created is in the database once:
   the cases whose subject carries the run's marker are counted afterwards and
   must equal the distinct successful submissions (a double submit of the
   public form counts once).

It prints the figures, writes JSON next to the benchmark results and exits
non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import queue
import secrets
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.runner import (
    DEFAULT_DB,
    DEFAULT_PORT,
    OUT_DIR,
    Client,
    fixtures,
    machine,
    server_env,
    setup_django,
    start_server,
    stop_server,
    worker_pids,
)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    p.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--rate", type=float, default=5, help="requests per second")
    p.add_argument("--concurrency", type=int, default=8, help="client threads")
    p.add_argument("--memory-growth-mb", type=float, default=64)
    p.add_argument("--memory-peak-mb", type=float, default=300)
    p.add_argument("--out", type=Path, default=None)
    return p.parse_args(argv)


class Load:
    """The request mix; each call of ``job(n)`` returns (session user, method,
    path, kwargs, expected status, created-case key or None)."""

    KINDS = ("public", "queue", "staff", "case", "api", "queue_filtered")

    def __init__(self, fx: dict, marker: str) -> None:
        from django.urls import reverse

        self.fx = fx
        self.marker = marker
        self.urls = {
            "public": reverse("complaints_public:case-create"),
            "staff": reverse("complaints:case-create"),
            "api": reverse("api:case-list"),
            "queue": reverse("complaints:case-list"),
        }
        self.refs = itertools.cycle(fx.get("case_references") or [None])

    def job(self, n: int):
        kind = self.KINDS[n % len(self.KINDS)]
        subject = f"{self.marker} {kind} {n}"
        if kind == "public":
            data = {
                "kind": "complaint",
                "name": "Soak Customer",
                "email": f"soak{n}@example.com",
                "subject": subject,
                "description": "Steady-load test complaint.",
                "consent": "on",
                "website": "",
                "submission_token": str(uuid.uuid4()),
            }
            repeat = 2 if n % 10 == 0 else 1
            return (
                None,
                "POST",
                self.urls["public"],
                {"data": data},
                (302,),
                subject,
                repeat,
            )
        if kind == "staff":
            data = {
                "kind": "complaint",
                "channel": self.fx["channel_phone"],
                "received_at": self.fx["now_local"],
                "language": "et",
                "subject": subject,
                "description": "Steady-load test complaint by phone.",
                "severity": "medium",
                "priority": "normal",
                "org_unit": self.fx["unit_contact_centre"],
                "category": self.fx["category_leaf"],
                "contact_name": "Soak Caller",
                "contact_phone": "+372 5555 0000",
            }
            return (
                "agent",
                "POST",
                self.urls["staff"],
                {"data": data},
                (302,),
                subject,
                1,
            )
        if kind == "api":
            body = {
                "kind": "complaint",
                "channel": "chatbot",
                "subject": subject,
                "description": "Steady-load test complaint through the API.",
                "contact_name": "Soak Client",
                "contact_email": "soak@example.com",
                "language": "en",
            }
            return (
                "quality",
                "POST",
                self.urls["api"],
                {"json": body},
                (201,),
                subject,
                1,
            )
        if kind == "case":
            ref = next(self.refs)
            if ref is None:
                return ("quality", "GET", self.urls["queue"], {}, (200,), None, 1)
            from django.urls import reverse

            url = reverse("complaints:case-detail", args=[ref])
            return ("quality", "GET", url, {}, (200,), None, 1)
        params = {}
        if kind == "queue_filtered":
            params = {"status": ["acknowledged", "investigating"]}
        return ("agent", "GET", self.urls["queue"], {"params": params}, (200,), None, 1)


def main(argv=None) -> int:
    opts = parse(argv)
    env = server_env(opts.database_url)
    setup_django(env)
    from complaints.models import Case

    fx = fixtures()
    marker = "SOAK-" + secrets.token_hex(4)
    load = Load(fx, marker)
    server = start_server(env, opts.port, opts.workers)
    base = f"http://127.0.0.1:{opts.port}"
    client = Client(base)
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "error_samples": []}
    created: set[str] = set()
    jobs: queue.Queue = queue.Queue(maxsize=opts.concurrency * 4)
    memory: list[tuple[float, list[float]]] = []
    stop = threading.Event()

    def worker():
        sessions = {}
        while True:
            job = jobs.get()
            if job is None:
                return
            user, method, path, kwargs, ok, subject, repeat = job
            if user not in sessions:
                sessions[user] = client.session(user)
            session = sessions[user]
            csrf = session.cookies.get("csrftoken", "")
            if "data" in kwargs:
                kwargs = {"data": {**kwargs["data"], "csrfmiddlewaretoken": csrf}}
            elif "json" in kwargs:
                kwargs = {**kwargs, "headers": {"X-CSRFToken": csrf}}
            for _ in range(repeat):
                try:
                    response = session.request(
                        method, base + path, timeout=60, allow_redirects=False,
                        **kwargs,
                    )  # fmt: skip
                    good = response.status_code in ok
                    sample = f"{method} {path} {response.status_code}"
                except Exception as error:
                    good, sample = False, repr(error)[:200]
                with lock:
                    stats["requests"] += 1
                    if good and subject:
                        created.add(subject)
                    if not good:
                        stats["errors"] += 1
                        if len(stats["error_samples"]) < 20:
                            stats["error_samples"].append(sample)

    def sample_memory(started):
        while not stop.wait(10):
            pids = worker_pids(server.pid)
            memory.append(
                (time.monotonic() - started, [rss_mb(p) or 0.0 for p in pids])
            )

    threads = [threading.Thread(target=worker) for _ in range(opts.concurrency)]
    try:
        for t in threads:
            t.start()
        started = time.monotonic()
        sampler = threading.Thread(target=sample_memory, args=(started,))
        sampler.start()
        total = int(opts.minutes * 60 * opts.rate)
        for n in range(total):
            # A steady rate: the n-th request is due at n / rate seconds.
            delay = started + n / opts.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            jobs.put(load.job(n))
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        stop.set()
        sampler.join()
    finally:
        stop.set()
        stop_server(server)

    stored = Case.objects.filter(subject__startswith=marker + " ").count()
    distinct = (
        Case.objects.filter(subject__startswith=marker + " ")
        .values("subject")
        .distinct()
        .count()
    )
    window = 120
    first = [max(m) for t, m in memory if t <= window and m]
    last = [max(m) for t, m in memory if t >= elapsed - window and m]
    peak = max((max(m) for _, m in memory if m), default=0.0)
    growth = (max(last) - max(first)) if first and last else 0.0
    checks = {
        "no errors": stats["errors"] == 0,
        "memory growth within bound": growth <= opts.memory_growth_mb,
        "memory peak within bound": peak <= opts.memory_peak_mb,
        "every case stored exactly once": stored == len(created) == distinct,
    }
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": {k: str(v) for k, v in vars(opts).items()},
        "marker": marker,
        "seconds": round(elapsed, 1),
        "requests": stats["requests"],
        "achieved_rate": round(stats["requests"] / elapsed, 1),
        "errors": stats["errors"],
        "error_samples": stats["error_samples"],
        "cases_submitted_distinct": len(created),
        "cases_stored": stored,
        "memory_first_2_min_mb": round(max(first), 1) if first else None,
        "memory_last_2_min_mb": round(max(last), 1) if last else None,
        "memory_growth_mb": round(growth, 1),
        "memory_peak_mb": round(peak, 1),
        "memory_samples": [(round(t), [round(x, 1) for x in m]) for t, m in memory],
        "checks": checks,
    }
    out = opts.out or OUT_DIR / (
        "soak-" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        + ".json"
    )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(
        f"soak {marker}: {report['requests']} requests in {report['seconds']} s "
        f"({report['achieved_rate']}/s), {report['errors']} errors; cases: "
        f"{len(created)} submitted, {stored} stored; worker memory "
        f"{report['memory_first_2_min_mb']} -> {report['memory_last_2_min_mb']} MB "
        f"(peak {report['memory_peak_mb']} MB)"
    )
    for name, passed in checks.items():
        print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    print(f"JSON: {out}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
