from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class HeadWithoutBodyMiddleware:
    """A response to HEAD has the headers of the GET and no body (RFC 9110).
    Django's development server takes the body off itself; gunicorn sends
    what the application gives, and a body a client did not expect on a
    kept-alive connection is read as the start of the next response. First
    in MIDDLEWARE, so it sees the response last."""

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
