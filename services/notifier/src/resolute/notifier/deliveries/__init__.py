"""Deliveries: one signed webhook message per subscription and event, retried until it lands or dies."""
