"""Root conftest: the shared fixtures (PostgreSQL, databases per test, broker) for every test tier."""

pytest_plugins = ["resolute.shared.testing.fixtures"]
