"""Gateway's schema: API keys (it publishes no events, so it has no outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase

from resolute.shared.db import UtcDateTime, make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()
    type_annotation_map = {datetime: UtcDateTime}
