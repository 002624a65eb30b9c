"""Liveness for load balancers and operators: no signature, no secrets."""

from __future__ import annotations

from flask import Blueprint

from routes.state import current_router

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    router = current_router()
    if router is None:
        return {"status": "degraded", "directory": "built-in national line only"}, 200
    return {"status": "ok", "directory": router.directory.name}, 200
