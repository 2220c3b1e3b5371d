"""Public webhook subscription routes, served by notifier."""
