"""Test support shared by every service's tests: real PostgreSQL, real broker, apps run in-process."""
