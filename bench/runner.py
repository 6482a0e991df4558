"""``python -m bench``: serve the bench database with gunicorn and measure.

Gunicorn runs with production settings (DEBUG off, a SECRET_KEY made for the
run, ALLOWED_HOSTS 127.0.0.1) except what loopback HTTP needs: no SSL
redirect, no secure-only cookies, no HSTS. The public form's hourly allowance
is raised for the run (one client address sends every request). Each
scenario gets a bounded load — at most ``--requests`` requests or
``--seconds`` seconds, whichever ends first — from ``--concurrency`` threads,
each with its own keep-alive ``requests.Session`` logged in as the scenario's
demo user. Latency is measured per request at the client; the SQL query count
comes from the ``X-QMS-Queries`` header of :mod:`bench.middleware`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qms_bench"
DEFAULT_PORT = 8105
OUT_DIR = BASE_DIR / "var" / "bench"
PASSWORD = "qms-demo-2026"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "qms.settings",
            "QMS_ENV_FILE": "/nonexistent",  # never the developer's .env
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_PROXY_SSL_HEADER": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(OUT_DIR / "static"),
            "EMAIL_URL": "dummymail://",
            "PUBLIC_FORM_RATE_PER_HOUR": str(10**9),
            "QMS_BENCH_QUERY_COUNT": "1",
        }
    )
    return env


# ---------------------------------------------------------------------------
# Fixtures: what the scenarios point at, read from the bench database
# ---------------------------------------------------------------------------


def fixtures() -> dict:
    """Case references, ids and terms the scenarios use (Django set up)."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from complaints.models import Case, Category
    from qms.models import Channel, OrgUnit

    fx: dict = {}
    # Case pages: the newest cases (what staff open most) and a spread over
    # the ten years.
    refs = list(
        Case.objects.order_by("-received_at").values_list("reference", flat=True)[:100]
    )
    bounds = Case.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is not None:
        ids = random.Random(10).sample(
            range(bounds["low"], bounds["high"] + 1),
            min(100, bounds["high"] - bounds["low"] + 1),
        )
        refs += Case.objects.filter(pk__in=ids).values_list("reference", flat=True)
    if refs:
        fx["case_references"] = refs
    fx["channel_phone"] = Channel.objects.get(code="phone").pk
    unit = OrgUnit.objects.filter(code="contact-centre").first()
    if unit:
        fx["unit_contact_centre"] = unit.pk
    parent = Category.objects.filter(code="billing").first()
    leaf = Category.objects.filter(code="billing-wrong-amount").first()
    if parent and leaf:
        fx["category_parent"], fx["category_leaf"] = parent.pk, leaf.pk
    fx["search_term"] = "pressure"
    fx["now_local"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    _later_area_fixtures(fx)
    return fx


def _later_area_fixtures(fx: dict) -> None:
    """Surveys, reports, promises: left out when the area has no data."""
    from django.db.models import Count

    from promises.models import Promise
    from reports.models import Report
    from surveys.models import Participant, Question, Response, Wave

    # Fresh personal links of a wave in fieldwork (each answers once; every
    # run takes the ones still unanswered).
    fieldwork = Wave.objects.filter(status=Wave.Status.FIELDWORK).order_by("-pk")
    wave = fieldwork.filter(participants__disposition="invited").first()
    if wave is not None:
        fx["survey_tokens"] = list(
            Participant.objects.filter(wave=wave, disposition="invited")
            .order_by("pk")
            .values_list("token", flat=True)[:20_000]
        )
        answer = {}
        for q in Question.objects.filter(questionnaire=wave.questionnaire_id):
            if q.scale:
                answer[q.code] = str(q.scale[1] - 1)
            elif q.type == Question.Type.SINGLE:
                option = q.options.order_by("value").first()
                if option is not None:
                    answer[q.code] = str(option.value)
            elif q.type == Question.Type.TEXT:
                answer[q.code] = "Quick and friendly help (bench)."
        fx["survey_answer"] = answer
    # The results page: the wave with the most responses.
    big = (
        Response.objects.values("wave")
        .annotate(n=Count("pk"))
        .order_by("-n", "wave")
        .first()
    )
    if big is not None:
        fx["big_wave"] = big["wave"]
    report = (
        Report.objects.filter(kind=Report.Kind.QUARTER, status=Report.Status.DRAFT)
        .order_by("-period_start", "-pk")
        .first()
    )
    if report is not None:
        fx["quarterly_report"] = report.pk
    # The first promise measured by events (the demo's phone promise): the
    # same one however many events there are.
    promise = (
        Promise.objects.filter(
            indicators__kind="time", indicators__events__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if promise is not None:
        fx["promise"] = promise.pk


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


@dataclass
class Result:
    key: str
    label: str
    status: str = "ok"  # ok / not available: … / failed: …
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    queries: list[int] = field(default_factory=list, repr=False)
    error_samples: list[str] = field(default_factory=list)
    target: dict = field(default_factory=dict)
    # CPU seconds the web workers spent on the scenario (from /proc): the
    # server's own cost per request, which contention on a shared machine
    # does not inflate the way it inflates wall-clock latency.
    worker_cpu_s: float | None = None

    def percentile(self, p: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    @property
    def rps(self) -> float | None:
        return self.requests / self.seconds if self.seconds else None

    def met(self) -> bool | None:
        if self.status != "ok" or not self.target:
            return None
        ok = self.errors == 0
        if self.target.get("p95_ms") is not None:
            ok = ok and (self.percentile(95) or 0) <= self.target["p95_ms"]
        if self.target.get("rps") is not None:
            ok = ok and (self.rps or 0) >= self.target["rps"]
        return ok

    def as_dict(self) -> dict:
        q = sorted(self.queries)
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1) if self.rps else None,
            "p50_ms": _r(self.percentile(50)),
            "p95_ms": _r(self.percentile(95)),
            "p99_ms": _r(self.percentile(99)),
            "worker_cpu_ms_per_request": round(
                self.worker_cpu_s * 1000 / self.requests, 1
            )
            if self.worker_cpu_s is not None and self.requests
            else None,
            "queries_min": q[0] if q else None,
            "queries_max": q[-1] if q else None,
            "target": self.target,
            "met": self.met(),
            "error_samples": self.error_samples[:5],
        }


def _r(value):
    return round(value, 1) if value is not None else None


class Client:
    """Logged-in sessions per demo user, against the running server."""

    def __init__(self, base: str) -> None:
        self.base = base

    def session(self, username: str | None):
        import requests

        s = requests.Session()
        s.headers["Referer"] = self.base + "/"
        if username is None:
            r = s.get(self.base + "/feedback/", timeout=30)
            r.raise_for_status()
            return s
        login = self.base + "/accounts/login/"
        r = s.get(login, timeout=30)
        token = CSRF_INPUT.search(r.text).group(1)
        r = s.post(
            login,
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            allow_redirects=False,
            timeout=30,
        )
        if r.status_code != 302:
            raise RuntimeError(f"login as {username} failed ({r.status_code})")
        return s


def run_scenario(scenario, url: str, fx: dict, client: Client, opts) -> Result:
    from django.urls import reverse

    from bench.middleware import HEADER

    base = client.base
    result = Result(scenario.key, scenario.label, target=_target(scenario))
    limit = scenario.max_requests or opts.requests
    sessions = [client.session(scenario.user) for _ in range(opts.concurrency)]
    lock = threading.Lock()
    issued = 0
    deadline = 0.0

    def one(session, n):
        csrf = session.cookies.get("csrftoken", "")
        kwargs: dict = {"timeout": 120, "allow_redirects": False}
        target = url
        if scenario.args_each is not None:
            target = base + reverse(scenario.url_name, args=scenario.args_each(fx, n))
        if scenario.method == "POST":
            body = scenario.data(fx, n)
            if scenario.json:
                kwargs["json"] = body
                kwargs["headers"] = {"X-CSRFToken": csrf}
            else:
                kwargs["data"] = {**body, "csrfmiddlewaretoken": csrf}
        else:
            kwargs["params"] = scenario.params(fx, n)
        started = time.perf_counter()
        response = session.request(scenario.method, target, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        return response, elapsed

    # Warm-up: first request per session (template and URL caches, CSRF cookie
    # for anonymous POSTs) is not measured.
    for number, session in enumerate(sessions):
        if scenario.method == "POST" and scenario.user is None:
            session.get(url, timeout=30)
        if scenario.method == "GET":
            one(session, -1 - number)

    def worker(session):
        nonlocal issued
        while True:
            with lock:
                if issued >= limit or time.perf_counter() > deadline:
                    return
                issued += 1
                n = issued
            try:
                response, elapsed = one(session, n)
            except Exception as error:
                with lock:
                    result.requests += 1
                    result.errors += 1
                    result.error_samples.append(repr(error)[:200])
                continue
            with lock:
                result.requests += 1
                result.latencies_ms.append(elapsed)
                if HEADER in response.headers:
                    result.queries.append(int(response.headers[HEADER]))
                if response.status_code not in scenario.ok:
                    result.errors += 1
                    result.error_samples.append(
                        f"{response.status_code} {response.text[:160]!r}"
                    )

    started = time.perf_counter()
    deadline = started + opts.seconds
    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


def _target(scenario) -> dict:
    return {
        k: v
        for k, v in (("p95_ms", scenario.target.p95_ms), ("rps", scenario.target.rps))
        if v is not None
    }


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    log = open(OUT_DIR / "gunicorn.log", "w")  # noqa: SIM115 — lives with the server
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "qms.wsgi:application",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {OUT_DIR / 'gunicorn.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start listening")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def setup_django(env: dict) -> None:
    """Set up Django in this process with the server's settings (the runner
    reads the bench database for fixtures and sizes)."""
    os.environ.update(env)
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the process's peak resident set size so far."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def data_size() -> dict:
    from django.db import connection

    from complaints.models import Case, Message, Transition
    from promises.models import FulfilmentEvent
    from qms.models import Customer
    from standards.models import Evaluation
    from surveys.models import Answer, Response, Wave

    sizes = {
        "customers": Customer.objects.count(),
        "cases": Case.objects.count(),
        "transitions": Transition.objects.count(),
        "messages": Message.objects.count(),
        "promise events": FulfilmentEvent.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "survey waves": Wave.objects.count(),
        "survey responses": Response.objects.count(),
        "survey answers": Answer.objects.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            )
            sizes["database"] = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            sizes["postgresql"] = cursor.fetchone()[0]
    return sizes


def table(results: list[Result], memory: dict) -> str:
    head = (
        f"{'scenario':<40} {'req':>5} {'err':>4} {'req/s':>7} {'p50':>7} "
        f"{'p95':>7} {'p99':>7} {'SQL':>7} {'CPU/req':>7}  target"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        if r.status != "ok":
            lines.append(f"{r.label:<40} {r.status}")
            continue
        d = r.as_dict()
        q = (
            f"{d['queries_min']}"
            if d["queries_min"] == d["queries_max"]
            else f"{d['queries_min']}-{d['queries_max']}"
        )
        want = ", ".join(
            f"p95≤{v:g}ms" if k == "p95_ms" else f"≥{v:g}/s"
            for k, v in r.target.items()
        )
        mark = {True: "met", False: "MISSED", None: ""}[r.met()]
        p50, p95, p99 = (d[k] or 0 for k in ("p50_ms", "p95_ms", "p99_ms"))
        lines.append(
            f"{r.label:<40} {d['requests']:>5} {d['errors']:>4} {d['rps'] or 0:>7.1f} "
            f"{p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {q:>7} "
            f"{d['worker_cpu_ms_per_request'] or 0:>7.1f}  {want} {mark}"
        )
    peaks = ", ".join(f"{mb:.0f} MB" for mb in memory.get("workers_peak_rss_mb", []))
    lines.append(f"peak RSS per worker (VmHWM): {peaks or 'n/a'} (target ≤ 300 MB)")
    lines.append(
        "latencies in ms at the client; SQL = queries per request (min-max); "
        "CPU/req = web workers' CPU ms per request"
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--concurrency", type=int, default=4, help="client threads")
    p.add_argument("--seconds", type=float, default=20, help="per scenario, at most")
    p.add_argument("--requests", type=int, default=1000, help="per scenario, at most")
    p.add_argument("--only", nargs="*", help="scenario keys to run")
    p.add_argument("--out", type=Path, default=None, help="JSON file to write")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    env = server_env(opts.database_url)
    # The runner itself reads the bench database (fixtures, sizes) with the
    # same settings as the server.
    setup_django(env)
    from django.urls import NoReverseMatch, reverse

    from bench.scenarios import SCENARIOS

    fx = fixtures()
    sizes = data_size()
    chosen = [s for s in SCENARIOS if not opts.only or s.key in opts.only]
    base = f"http://127.0.0.1:{opts.port}"
    print(f"bench: {sizes}", flush=True)
    server = start_server(env, opts.port, opts.workers)
    results: list[Result] = []
    try:
        client = Client(base)
        for scenario in chosen:
            try:
                url = base + reverse(scenario.url_name, args=scenario.args(fx))
            except NoReverseMatch:
                results.append(
                    Result(scenario.key, scenario.label, status="not available")
                )
                print(f"  {scenario.label}: not available")
                continue
            except KeyError as missing:
                results.append(
                    Result(
                        scenario.key,
                        scenario.label,
                        status=f"not available (no {missing.args[0]})",
                    )
                )
                continue
            try:
                before = cpu_seconds(worker_pids(server.pid))
                result = run_scenario(scenario, url, fx, client, opts)
                result.worker_cpu_s = cpu_seconds(worker_pids(server.pid)) - before
            except Exception as error:
                result = Result(scenario.key, scenario.label, status=f"failed: {error}")
            results.append(result)
            d = result.as_dict()
            print(
                f"  {scenario.label}: {d['requests']} req, {d['errors']} err, "
                f"p95 {d['p95_ms']} ms, {d['rps']} req/s, SQL {d['queries_max']}, "
                f"worker CPU {d['worker_cpu_ms_per_request']} ms/req",
                flush=True,
            )
        pids = worker_pids(server.pid)
        memory = {
            "workers": len(pids),
            "workers_peak_rss_mb": [round(peak_rss_mb(p) or 0, 1) for p in pids],
        }
    finally:
        stop_server(server)
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": sizes,
        "options": {
            "workers": opts.workers,
            "concurrency": opts.concurrency,
            "seconds": opts.seconds,
            "requests": opts.requests,
        },
        "memory": memory,
        "results": [r.as_dict() for r in results],
    }
    out = opts.out or OUT_DIR / (
        "results-"
        + datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        + ".json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print(table(results, memory))
    print(f"\nJSON: {out}")
    errors = sum(r.errors for r in results) + sum(
        1 for r in results if r.status.startswith("failed")
    )
    return 1 if errors else 0
