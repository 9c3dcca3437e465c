"""gunicorn settings, used by scripts/run and in production.

Every value can be overridden with GUNICORN_CMD_ARGS or the environment
variables below.
"""

import multiprocessing
import os
import sys

# The project's own modules, wherever gunicorn is started from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from linkup.logmask import gunicorn_logger_class

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core, plus one: the app waits on the database more than it computes.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# No recycling of workers by default: with threads, a worker leaving after
# max_requests resets connections it has accepted but not served (gunicorn
# issue 3038). Set GUNICORN_MAX_REQUESTS to recycle if a leak ever appears.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
# The longest request line gunicorn reads (its default is 4094 bytes): a
# pasted search of thousands of characters reaches the portal, which says
# it is too long, rather than getting a bare "Bad Request".
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
# No query strings in the access log: they can carry search terms and tokens.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
# Tokens in signed links' paths and e-mail addresses masked (linkup/logmask.py).
logger_class = gunicorn_logger_class()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
