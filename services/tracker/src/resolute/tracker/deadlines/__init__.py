"""Deadlines: resolving what the text says into dates, and the scheduler that fires each milestone once."""
