"""Reassignments that government reorganisations propose: kept apart from assignments, confirmed by an admin."""
