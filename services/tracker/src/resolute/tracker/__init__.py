"""Resolute tracker."""
