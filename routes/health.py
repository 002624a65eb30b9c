"""Liveness for load balancers and operators: no signature, no secrets."""

from __future__ import annotations

from flask import Blueprint

from routes.state import current_router

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the directory is loaded; 503 when only the built-in national line answers, so a
    monitor that reads status codes notices."""
    router = current_router()
    if router is None:
        return {"status": "degraded", "directory": "built-in national line only"}, 503
    return {"status": "ok", "directory": router.directory.name}, 200
