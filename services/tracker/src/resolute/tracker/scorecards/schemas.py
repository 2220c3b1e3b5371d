"""Scorecard bodies. The public models live in `resolute.shared.api.scorecards`, so the gateway documents
exactly what is served."""

from __future__ import annotations

from resolute.shared.api.scorecards import (
    BodyScore,
    CountryScore,
    CountryScorecard,
    MinistryScore,
    MinistryScorecard,
    Score,
)

__all__ = ["BodyScore", "CountryScore", "CountryScorecard", "MinistryScore", "MinistryScorecard", "Score"]
