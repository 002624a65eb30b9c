"""Operator and developer commands. Never imported on the request path."""
