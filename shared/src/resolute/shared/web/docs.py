"""/docs served from this host: Swagger UI's assets from the swagger-ui-bundle package, never from a CDN.

FastAPI's own /docs page loads its scripts from a public CDN, so in a ministry's closed network it is a blank
page. Every service serves the same page with the assets under /docs/assets instead.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"


def add_local_docs(app: FastAPI, title: str) -> None:
    """Swagger UI at /docs for the app's OpenAPI document, its files at /docs/assets."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title}: API documentation",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
