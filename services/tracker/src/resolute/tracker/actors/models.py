"""The actor registry, one validated document per revision: append-only, so every edit keeps who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resolute.tracker.database import Base


class RegistryRevision(Base):
    """The whole registry as of one revision; the latest is in force. `seed_hash` names the shipped seed it
    was built from, so a changed seed can be merged in without undoing admins' edits."""

    __tablename__ = "registry_revisions"

    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed_document: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
