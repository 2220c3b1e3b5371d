"""Commitments as the tracker knows them, and their assignments to countries' ministries and to bodies."""
