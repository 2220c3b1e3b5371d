"""The public API's bodies and query parameters, shared by the gateway (which declares them) and the services.

The gateway may not import service packages, and the services must not drift from what the gateway
documents: both import these models. A service answers with them (or with a compatible superset);
the gateway declares them as its routes' query, body and response schemas and forwards.
"""
