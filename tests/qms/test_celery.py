"""Background tasks run inline without a broker and in a real worker through Redis."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.backends.redis import RedisBackend
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import AsyncResult
from kombu import Producer

from qms.celery import app
from qms.tasks import ping

BROKER_ENV = "CELERY_TEST_BROKER_URL"
REQUIRE_ENV = "QMS_REQUIRE_REDIS"
BASE_DIR = Path(__file__).resolve().parents[2]
RESULT_TIMEOUT = 60


def test_task_runs_inline_without_broker():
    assert app.conf.task_always_eager

    result = ping.delay("x").get()

    assert result["value"] == "x"
    assert result["pid"] == os.getpid()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(BROKER_ENV, "")
    if not url:
        reason = f"{BROKER_ENV} is not set, so no Redis is available for a worker"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}, but {REQUIRE_ENV}=1 requires this test to run")
        pytest.skip(reason)
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"{BROKER_ENV}={url} is set but Redis does not answer: {exc}")
    finally:
        client.close()
    return url


@contextmanager
def _sending_to(url: str) -> Iterator[tuple[Producer, RedisBackend]]:
    """Make apply_async publish again and yield a Redis producer and result backend.

    The producer and backend are built for this test rather than by changing the
    app's broker settings, because Celery caches its broker pools and backend on
    first use and would keep talking to the eager configuration.
    """
    saved = app.conf.task_always_eager
    app.conf.update(task_always_eager=False)
    backend = RedisBackend(app=app, url=url)
    try:
        with app.connection_for_write(url) as connection:
            yield connection.Producer(), backend
    finally:
        backend.result_consumer.stop()
        app.conf.update(task_always_eager=saved)


@contextmanager
def _worker(url: str, queue: str, log_path: Path) -> Iterator[subprocess.Popen]:
    celery_bin = Path(sys.executable).parent / "celery"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "DJANGO_SETTINGS_MODULE": "qms.settings_test",
        # The project's apps are top-level packages of the checkout.
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(BASE_DIR), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    command = [
        str(celery_bin),
        "-A",
        "qms",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "warning",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for(result: AsyncResult, process: subprocess.Popen, log_path: Path) -> dict:
    """Wait for the result, failing early with the worker's log if it dies."""
    deadline = time.monotonic() + RESULT_TIMEOUT
    while True:
        try:
            return result.get(timeout=2)
        except CeleryTimeoutError:
            if process.poll() is not None:
                pytest.fail(
                    f"worker exited with {process.returncode}:\n{log_path.read_text()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no result within {RESULT_TIMEOUT}s; worker log:\n"
                    f"{log_path.read_text()}"
                )


@pytest.mark.redis
def test_task_runs_in_a_worker_through_redis(redis_url, tmp_path):
    queue = f"qms-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"

    with (
        _sending_to(redis_url) as (producer, backend),
        _worker(redis_url, queue, log_path) as process,
    ):
        sent = ping.apply_async(args=["through-redis"], queue=queue, producer=producer)
        result = app.AsyncResult(sent.id, backend=backend)
        try:
            value = _wait_for(result, process, log_path)
        finally:
            result.forget()
            _delete_queue_keys(redis_url, queue)

    assert value["value"] == "through-redis"
    assert value["pid"] != os.getpid()


def _delete_queue_keys(url: str, queue: str) -> None:
    """Remove what the kombu Redis transport left for the one-off queue."""
    client = redis.Redis.from_url(url)
    try:
        client.delete(
            queue,
            f"_kombu.binding.{queue}",
            f"_kombu.binding_permanent.{queue}",
        )
    finally:
        client.close()
