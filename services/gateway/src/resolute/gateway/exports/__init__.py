"""Bulk export: every document, commitment or assignment as NDJSON, one record a line."""
