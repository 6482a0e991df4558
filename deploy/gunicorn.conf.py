"""Gunicorn configuration for QMS (example; used by deploy/qms-web.service).

    gunicorn -c deploy/gunicorn.conf.py qms.wsgi

Every value can be changed from the environment (the systemd unit reads
/etc/qms/qms.env), so the file itself stays the same on every server.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Behind nginx on the same host; nginx terminates TLS (deploy/nginx.conf.example).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# The usual rule of thumb for synchronous workers: 2 x cores + 1.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync"

# PDF reports (WeasyPrint) and CSV imports can take a while; nginx waits as long.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then so slow memory growth (matplotlib, WeasyPrint)
# cannot accumulate; the jitter keeps them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Logs go to stdout/stderr and from there to the journal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
    '"%(f)s" "%(a)s" %(M)sms'
)

# Only the local nginx may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

proc_name = "qms-web"
# Keep worker heartbeat files in memory rather than on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
