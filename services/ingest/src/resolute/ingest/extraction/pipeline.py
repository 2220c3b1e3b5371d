"""The entry point: text in, the documents it holds out, each with its commitments.

Picks the family whose layout the text follows (NATO PA bundle, dash-item
resolution, prose declaration, press release) and falls back to general rules,
so any text yields documents and none is refused for its layout.
"""

from __future__ import annotations

from resolute.ingest.extraction import declarations, nato_pa, press, resolutions
from resolute.ingest.extraction.actors import actor_matcher
from resolute.ingest.extraction.generic import parse_generic
from resolute.ingest.extraction.layout import Layout, build_layout
from resolute.ingest.extraction.models import ExtractedDocument
from resolute.shared.actors import ActorRegistry, default_registry


def detect_family(text: str, registry: ActorRegistry | None = None) -> str:
    """Which family's rules read this text: nato_pa, resolution, declaration, press_release or generic."""
    return _family(text, build_layout(text), registry or default_registry())


def _family(text: str, layout: Layout, registry: ActorRegistry) -> str:
    if nato_pa.looks_like(layout):
        return "nato_pa"
    if resolutions.looks_like(layout):
        return "resolution"
    if declarations.looks_like(text, actor_matcher(registry)):
        return "declaration"
    if press.has_marker(text) or (press.looks_like(text) and not press.names_an_instrument(layout)):
        return "press_release"
    return "generic"


def extract_documents(
    text: str,
    *,
    source: str,
    title_hint: str | None = None,
    registry: ActorRegistry | None = None,
) -> list[ExtractedDocument]:
    """Every document in `text` (a bundle yields several), with spans indexing into `text` itself."""
    registry = registry or default_registry()
    layout = build_layout(text)
    family = _family(text, layout, registry)
    if family == "nato_pa":
        docs = nato_pa.parse_bundle(text, layout, source, registry)
    elif family == "resolution":
        docs = [resolutions.parse_resolution(text, layout, source, registry)]
    elif family == "declaration":
        docs = [declarations.parse_declaration(text, layout, source, registry)]
    elif family == "press_release":
        docs = [press.parse_press_release(text, layout, source, registry, actor_matcher(registry), title_hint)]
    else:
        docs = [parse_generic(text, layout, source, registry, title_hint)]
    for doc in docs:
        if doc.title is None and title_hint:
            doc.title = title_hint
    return docs
