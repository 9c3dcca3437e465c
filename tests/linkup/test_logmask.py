"""Nothing personal in logs: tokens in signed links' paths and e-mail
addresses are masked in the access log and the application's log."""

import datetime
import logging
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import signing
from gunicorn.config import Config

from linkup.logmask import MaskingFormatter, mask

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
TOKEN = signing.dumps({"pk": 41, "v": 0}, salt="linkup.directory.listing.manage", compress=True)


def access_log_line(path: str, query: str = "", referer: str = "-") -> str:
    """One access-log line, as gunicorn writes it with the project's gunicorn.conf.py."""
    conf = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        cfg.set(name, conf[name])
    logger = cfg.logger_class(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(handler)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.10",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Test browser",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12))
    logger.access_log.removeHandler(handler)
    return lines[-1]


@pytest.mark.parametrize(
    "path",
    [
        f"/directory/manage/{TOKEN}/",
        f"/directory/manage/{TOKEN}/edit/",
        f"/directory/confirm/{TOKEN}/",
        f"/case-studies/share/change/{TOKEN}/",
        f"/directory/people/K7QM-4TZP/connect/confirm/{TOKEN}/",
        f"/directory/report/{TOKEN}/",
        f"/email-alerts/confirm/{TOKEN}/",
        f"/email-alerts/manage/{TOKEN}/",
        f"/email-alerts/unsubscribe/{TOKEN}/",
    ],
    # The token carries the time it was made: ids that do not, so every
    # test worker collects the same tests.
    ids=[
        "manage",
        "edit",
        "confirm",
        "change",
        "connect-confirm",
        "report",
        "alert-confirm",
        "alert-manage",
        "alert-unsubscribe",
    ],
)
def test_access_log_masks_tokens_in_signed_links(path):
    line = access_log_line(path)
    assert TOKEN not in line
    assert "[token]" in line
    assert '"GET /' in line and " 200 " in line


def test_access_log_masks_addresses_and_referrers():
    line = access_log_line(
        "/case-studies/check-your-submission/",
        query="email=jo.bloggs%40council.gov.uk",
        referer=f"https://linkup.example/directory/manage/{TOKEN}/",
    )
    assert "jo.bloggs" not in line and TOKEN not in line


def test_access_log_format_itself_masks_the_request_line():
    conf = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("access_log_format", "%(r)s %(q)s %(f)s %({referer}i)s")
    cfg.set("accesslog", "-")
    logger = conf["logger_class"](cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/status/?email=sam@example.gov.test",
        "PATH_INFO": "/status/",
        "QUERY_STRING": "email=sam@example.gov.test",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x.test/?email=sam@example.gov.test",
    }
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", sent=1, headers=[]),
        SimpleNamespace(headers=[("REFERER", "https://x.test/?email=sam@example.gov.test")]),
        environ,
        datetime.timedelta(0),
    )
    assert "sam@example.gov.test" not in " ".join(str(value) for value in atoms.values())


def configured_formatter() -> logging.Formatter:
    """The formatter of the handler the LOGGING setting gives the root logger."""
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, MaskingFormatter)]
    return handler.formatter


def test_application_log_masks_addresses_in_messages_and_tracebacks():
    logger = logging.getLogger("django.request")
    try:
        raise OSError("Recipient refused: {'kim.lee@example.nhs.test': (550, 'No such user')}")
    except OSError:
        record = logger.makeRecord(
            logger.name,
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            (f"/directory/confirm/{TOKEN}/",),
            exc_info=sys.exc_info(),
        )
    line = configured_formatter().format(record)
    assert "kim.lee@example.nhs.test" not in line and TOKEN not in line
    assert "Internal Server Error: /directory/confirm/[token]/" in line
    assert "OSError: Recipient refused" in line


def test_mask_leaves_ordinary_paths_alone():
    assert mask("/directory/people/K7QM-4TZP/") == "/directory/people/K7QM-4TZP/"
    assert mask("/case-studies/regions/east-midlands/") == "/case-studies/regions/east-midlands/"


def test_gunicorn_error_log_masks_paths_and_addresses():
    conf = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("errorlog", "-")
    logger = conf["logger_class"](cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.error_log.addHandler(handler)
    logger.error("Error handling request %s for %s", f"/directory/manage/{TOKEN}/", "kim@example.nhs.test")
    logger.error_log.removeHandler(handler)
    assert lines == ["Error handling request /directory/manage/[token]/ for [e-mail address]"]
