"""The calendar API's bodies. The public models live in `resolute.shared.api.calendar`, so the gateway
documents and validates exactly what is served."""

from __future__ import annotations

from resolute.shared.api.calendar import (
    OccurrenceChangeOut,
    OccurrenceDetail,
    OccurrenceIn,
    OccurrenceOut,
    OccurrencePage,
    SeriesList,
    SeriesOut,
)

__all__ = [
    "OccurrenceChangeOut",
    "OccurrenceDetail",
    "OccurrenceIn",
    "OccurrenceOut",
    "OccurrencePage",
    "SeriesList",
    "SeriesOut",
]
