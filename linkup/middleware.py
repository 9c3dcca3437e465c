from django.conf import settings
from django.http import HttpResponse


def security_headers() -> dict[str, str]:
    """The security headers every response carries, pages or not. Pages get
    them from Django's middleware, django-csp (with a nonce) and
    ``SecurityHeadersMiddleware``; responses made outside those (static
    files, the refusal of an abusive Cookie header) get these same values."""
    from csp.utils import build_policy

    return {
        "Content-Security-Policy": build_policy(),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
    }


def static_file_headers(headers, path, url) -> None:
    """whitenoise's ``add_headers_function``: static files carry the pages'
    security headers."""
    for name, value in security_headers().items():
        headers.setdefault(name, value)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself. Near the top
    of MIDDLEWARE, so redirects made by the middleware below it (HTTPS,
    trailing slash) carry them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class CookieHeaderLimitMiddleware:
    """Refuse an oversized or abusive ``Cookie`` header with a 400 before
    anything parses it. Unquoting a cookie value takes time quadratic in its
    backslashes on unpatched Pythons (CVE-2024-7592), so one header could tie
    up a worker for seconds; the portal's own cookies are short, few, and
    have no backslashes. First in MIDDLEWARE: ``request.COOKIES`` is parsed
    on first use, and nothing before this may use it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_COOKIE", "")
        if header and self.abusive(header):
            response = HttpResponse(
                b"" if request.method == "HEAD" else b"Bad request: the Cookie header is too large.\n",
                status=400,
                content_type="text/plain; charset=utf-8",
                headers=security_headers(),
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    @staticmethod
    def abusive(header: str) -> bool:
        return (
            len(header) > settings.COOKIE_HEADER_MAX_LENGTH
            or header.count(";") >= settings.COOKIE_HEADER_MAX_COOKIES
            or header.count("\\") > settings.COOKIE_HEADER_MAX_BACKSLASHES
        )


class HeadWithoutBodyMiddleware:
    """A response to HEAD has the headers of the GET and no body (RFC 9110).
    Django's development server takes the body off itself; gunicorn sends
    what the application gives, and a body a client did not expect on a
    kept-alive connection is read as the start of the next response. At the
    top of MIDDLEWARE (after the Cookie check, which sends no body to HEAD
    itself), so it sees the response last."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            response.close()  # the generator is never read
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
