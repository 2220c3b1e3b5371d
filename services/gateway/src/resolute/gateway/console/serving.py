"""How the gateway serves the console beside /v1: its static files, and its errors as pages.

A console page's refusals are exceptions (console/pages.py); here they become what a person can act on: the
sign-in page (and back after), a 403 page, or the API problem's title and detail. Nothing the console shows
comes from another host: its scripts, styles and the API documentation's assets are all served from here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.staticfiles import StaticFiles

from resolute.gateway.console.api import ApiProblem
from resolute.gateway.console.pages import (
    Forbidden,
    SignInFirst,
    api_problem_page,
    problem_page,
    sign_in_redirect,
    translator,
)

STATIC = Path(__file__).parent / "static"
STATIC_PATH = "/console/static"
CONSOLE_UPLOAD_PATH = "/documents/upload"  # the upload form without JavaScript: several files in one post


def is_console_path(path: str) -> bool:
    """A console page (which takes HTML forms), not the API (which takes JSON and multipart only)."""
    return not (path == "/v1" or path.startswith("/v1/"))


def serve_console(app: FastAPI) -> None:
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="console-static")

    async def signed_out(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInFirst)
        return sign_in_redirect(exc)

    async def forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        return problem_page(request, 403, translator(request)("error.forbidden"), exc.detail)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        if exc.status == 401:  # the session ended while the page was being made (its key was revoked)
            return sign_in_redirect(SignInFirst(request.url.path))
        return api_problem_page(request, exc)

    app.add_exception_handler(SignInFirst, signed_out)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(ApiProblem, refused)
