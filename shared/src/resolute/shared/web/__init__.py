"""HTTP plumbing every service shares: app factory, problem+json errors, request ids, health and metrics."""
