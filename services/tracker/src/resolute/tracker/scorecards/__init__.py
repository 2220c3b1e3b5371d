"""Scorecards for portals: per country and per ministry, counts by status, overdue and due soon."""
