"""Public tracker routes: commitments, assignments, deadlines, calendar, actors and scorecards.

The gateway checks roles coarsely (`require_role`); the tracker checks them again and enforces ownership
(a ministry key may report only on its own assignments).
"""
