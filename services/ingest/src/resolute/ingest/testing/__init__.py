"""Test support for ingest: documents in every format, built from a text (fpdf2 is a dev dependency)."""
