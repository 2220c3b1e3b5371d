"""Public document routes, served by ingest."""
