"""The deadlines API's bodies: one item per assignment and date, self-describing (iCal feeds build on it).
The public models live in `resolute.shared.api.deadlines`, so the gateway documents exactly what is served."""

from __future__ import annotations

from resolute.shared.api.deadlines import DeadlineItem as DeadlineOut
from resolute.shared.api.deadlines import DeadlinePage

__all__ = ["DeadlineOut", "DeadlinePage"]
