"""Public commitment and assignment routes, served by tracker."""
