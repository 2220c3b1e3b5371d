"""/docs served from this host: Swagger UI's assets from the fastapi-offline package, never from a CDN.

FastAPI's own /docs page loads its scripts from a public CDN, so in a ministry's closed network it is a blank
page. Every service serves the same page with the assets under /docs/assets instead. (fastapi-offline ships a
Swagger UI 5, which reads OpenAPI 3.1 as FastAPI writes it; only its files are used, not its app factory.)
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/assets"
SWAGGER_UI_FILES = Path(fastapi_offline.__file__).parent / "static"


def add_local_docs(app: FastAPI, title: str) -> None:
    """Swagger UI at /docs for the app's OpenAPI document, its files at /docs/assets."""
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title}: API documentation",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            # Swagger UI would otherwise show a badge fetched from validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        )
