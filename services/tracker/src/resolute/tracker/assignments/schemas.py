"""The assignments API's bodies: assignments, status reports, reassignment, history. The public models live in
`resolute.shared.api.commitments`, so the gateway documents and validates exactly what is served."""

from __future__ import annotations

from resolute.shared.api.commitments import (
    AssignmentOut,
    AssignmentPage,
    HistoryEntry,
    HistoryOut,
    ReassignmentIn,
    StatusReportIn,
)

__all__ = ["AssignmentOut", "AssignmentPage", "HistoryEntry", "HistoryOut", "ReassignmentIn", "StatusReportIn"]
