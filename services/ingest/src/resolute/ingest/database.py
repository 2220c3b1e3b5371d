"""Ingest's schema: its declarative base and the shared messaging tables on the same metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase

from resolute.shared.db import UtcDateTime, make_metadata
from resolute.shared.messaging import define_messaging_tables


class Base(DeclarativeBase):
    metadata = make_metadata()
    type_annotation_map = {datetime: UtcDateTime}


messaging_tables = define_messaging_tables(Base.metadata)
