"""The actors API's bodies: the registry as it stands, and admins' edits. The public models live in
`resolute.shared.api.actors`, so the gateway documents and validates exactly what is served."""

from __future__ import annotations

from resolute.shared.api.actors import (
    BodyIn,
    CountryIn,
    MinistryIn,
    RegistryOut,
    RevisionList,
    RevisionOut,
    SeriesIn,
)

__all__ = ["BodyIn", "CountryIn", "MinistryIn", "RegistryOut", "RevisionList", "RevisionOut", "SeriesIn"]
