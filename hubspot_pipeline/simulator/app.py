"""The ASGI app: HubSpot's CRM endpoints over the generated portal, plus test-only stats.

Unknown object types answer 404 OBJECT_NOT_FOUND (UNVERIFIED choice). Each route module
says which undocumented points it decided and how.
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from hubspot_pipeline.simulator import routes_changes as changes
from hubspot_pipeline.simulator import routes_meta as meta
from hubspot_pipeline.simulator import routes_objects as objects
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.gate import RAW_SEND, FaultPlan, HubSpotJSON, SimulatorState
from hubspot_pipeline.simulator.limits import RateLimiter
from hubspot_pipeline.simulator.oauth import TokenRegistry, token_endpoint
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.search import SearchEngine

__all__ = ["SimulatorState", "create_app"]

OBJECTS = "/crm/v3/objects/{objectType}"
ASSOC_V4 = "/crm/v4/objects/{objectType}/{objectId}/associations"


class SimulatorApp(Starlette):
    """Starlette, keeping the server's own `send` in the scope for the connection faults.

    Starlette's middleware wraps `send`; only the server's original can reach the socket.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[RAW_SEND] = send
        await super().__call__(scope, receive, send)


async def simulator_stats(request: Request) -> Response:
    """Test-only counters; needs no token and counts toward no limit."""
    with_stamps = request.query_params.get("timestamps", "").lower() == "true"
    return JSONResponse(request.app.state.simulator.limiter.stats(include_timestamps=with_stamps))


async def reset_simulator_stats(request: Request) -> Response:
    request.app.state.simulator.limiter.reset_stats()
    return JSONResponse({"status": "reset"})


async def _not_found(request: Request, exc: Exception) -> Response:
    return HubSpotJSON({"message": "resource not found"}, status_code=404)


def create_app(config: SimulatorConfig, portal: Portal | None = None) -> Starlette:
    """An ASGI app answering like HubSpot for `config`; pass `portal` to reuse data."""
    routes = [
        Route(OBJECTS, objects.list_objects, methods=["GET"]),
        Route(OBJECTS, changes.create_object, methods=["POST"]),
        Route(f"{OBJECTS}/search", objects.search_objects, methods=["POST"]),
        Route(f"{OBJECTS}/batch/read", objects.batch_read, methods=["POST"]),
        Route(f"{OBJECTS}/merge", changes.merge_objects, methods=["POST"]),
        Route(f"{OBJECTS}/{{objectId}}", objects.get_object, methods=["GET"]),
        Route(f"{OBJECTS}/{{objectId}}", changes.update_object, methods=["PATCH"]),
        Route(f"{OBJECTS}/{{objectId}}", changes.archive_object, methods=["DELETE"]),
        Route("/crm/v3/properties/{objectType}", objects.list_properties, methods=["GET"]),
        Route("/crm/v3/owners", meta.list_owners, methods=["GET"]),
        Route("/crm/v3/owners/", meta.list_owners, methods=["GET"]),
        Route("/crm/v3/pipelines/{objectType}", meta.list_pipelines, methods=["GET"]),
        Route("/crm/v3/pipelines/{objectType}/{pipelineId}", meta.list_pipelines, methods=["GET"]),
        Route("/crm/v3/schemas", meta.list_schemas, methods=["GET"]),
        Route("/crm-object-schemas/v3/schemas", meta.list_schemas, methods=["GET"]),
        Route("/crm-object-schemas/v3/schemas/{objectType}", meta.get_schema, methods=["GET"]),
        Route("/crm/v3/schemas/{objectType}", meta.get_schema, methods=["GET"]),
        Route(
            "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read",
            meta.association_batch_read,
            methods=["POST"],
        ),
        Route(
            "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels",
            meta.association_labels,
            methods=["GET"],
        ),
        Route(
            f"{ASSOC_V4}/default/{{toObjectType}}/{{toObjectId}}",
            changes.associate_default,
            methods=["PUT"],
        ),
        Route(
            f"{ASSOC_V4}/{{toObjectType}}/{{toObjectId}}",
            changes.associate_labeled,
            methods=["PUT"],
        ),
        Route(f"{ASSOC_V4}/{{toObjectType}}", meta.associations_of_record, methods=["GET"]),
        Route("/oauth/v1/token", token_endpoint, methods=["POST"]),
        Route("/_simulator/stats", simulator_stats, methods=["GET"]),
        Route("/_simulator/reset-stats", reset_simulator_stats, methods=["POST"]),
    ]
    app = SimulatorApp(routes=routes, exception_handlers={404: _not_found})
    app.state.simulator = SimulatorState(
        config=config,
        portal=portal or Portal(config),
        limiter=RateLimiter(config),
        search=SearchEngine(),
        tokens=TokenRegistry(config),
        faults=FaultPlan(config),
    )
    return app
