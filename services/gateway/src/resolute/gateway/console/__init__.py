"""The web console: the secretariat's and the ministries' pages, served by the gateway beside /v1.

Every page is rendered on the server from the public API itself, called in process with the signed-in
user's session (console/api.py): the same routes, scopes, rules and validation as for any API client.
"""
