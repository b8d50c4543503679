"""gunicorn for Nämndrapport: ``gunicorn -c gunicorn.conf.py config.wsgi`` (docs/deploy.md).

Sized for the app as it is: requests are short and CPU-bound (a form page or a save costs a few
milliseconds; no request renders a PDF, the worker does that), so sync workers, about two per
core, and a timeout that only a stuck request meets. Every value can be changed by an
environment variable of the same name in capitals with the prefix GUNICORN_.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(f"GUNICORN_{name.upper()}", default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two sync workers per core: one computes while the other waits for PostgreSQL.
workers = _int("workers", 2 * (os.cpu_count() or 1))
worker_class = "sync"
# No request renders a document any more: 30 s is for a request that is stuck, not slow.
timeout = _int("timeout", 30)
graceful_timeout = _int("graceful_timeout", 30)
# Behind a reverse proxy that keeps connections to us open.
keepalive = _int("keepalive", 5)
# Recycle a worker now and then, so that a leak cannot grow without bound.
max_requests = _int("max_requests", 2000)
max_requests_jitter = _int("max_requests_jitter", 200)
# Load the app once and fork: less memory a worker, and a broken deploy fails at start.
preload_app = os.environ.get("GUNICORN_PRELOAD_APP", "true").lower() in {"1", "true", "yes"}
# The proxy's address, whose X-Forwarded-* headers gunicorn believes.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
wsgi_app = "config.wsgi:application"
