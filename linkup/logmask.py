"""Personal data kept out of logs: signed tokens in paths and e-mail
addresses are masked in every line the portal and gunicorn write.

The access log (gunicorn.conf.py) and the application's log handler
(``LOGGING`` in settings) both use ``mask()``. It imports nothing from
Django, as gunicorn loads it before the application.
"""

from __future__ import annotations

import logging
import re

LINK_MASK = "[token]"
EMAIL_MASK = "[e-mail address]"

# The paths that carry a signed link's token as their next segment.
TOKEN_PATH = re.compile(
    r"(/(?:case-studies/share/change|case-studies/edit|directory/manage|directory/confirm|directory/report"
    r"|directory/people/[0-9A-Za-z-]+/connect/confirm"
    r"|email-alerts/confirm|email-alerts/manage|email-alerts/unsubscribe)/)[^/?#\s\"]+"
)
# A value signed by django.core.signing anywhere else (payload:timestamp:signature).
SIGNED_VALUE = re.compile(r"[A-Za-z0-9_\-.]{8,}:[A-Za-z0-9]{4,}:[A-Za-z0-9_\-]{20,}")
# An e-mail address, as typed or percent-encoded in a query string.
EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.IGNORECASE
)


def mask(text: str) -> str:
    if not text:
        return text
    text = TOKEN_PATH.sub(rf"\g<1>{LINK_MASK}", text)
    text = SIGNED_VALUE.sub(LINK_MASK, text)
    return EMAIL_ADDRESS.sub(EMAIL_MASK, text)


class MaskingFormatter(logging.Formatter):
    """The whole formatted line, traceback included, masked: an exception
    from a mail server can name the address it refused."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class MaskingFilter(logging.Filter):
    """Masks a record's message as it is logged (for loggers whose handlers
    and formatters belong to someone else, such as gunicorn's error log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        return True


def gunicorn_logger_class():
    """gunicorn's logger with every access-log field masked (the path, the
    request line, the query string, the referrer, any header or environ
    value a format may name), and its error log's messages."""
    from gunicorn.glogging import Logger

    class MaskingLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            self.error_log.addFilter(MaskingFilter())

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()}

    return MaskingLogger
