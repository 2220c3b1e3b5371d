"""Deployment tooling: the generator of manifests that follow from the project's declarations."""
