"""Prefect flows: thin orchestration over the `nianbao` library."""
