"""Owners, pipelines, custom object schemas and v4 associations (FACTS §6, §8, §9).

Choices on UNVERIFIED points: a record's associations come in pages of 500 in v4 batch
read, with an opaque `after`; the owners `after` is the position as a string; the short
schemas path `/crm/v3/schemas` answers like `/crm-object-schemas/v3/schemas`.
"""

import base64
import binascii

from starlette.requests import Request
from starlette.responses import Response

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.associations import labels
from hubspot_pipeline.simulator.gate import HubSpotJSON, bad_request, error, handler, state_of
from hubspot_pipeline.simulator.objects import TYPES
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.routes_objects import _json_body, _now_iso, object_type_of

ASSOCIATION_PAGE = 500
ASSOCIATION_MAX_INPUTS = 1_000
OWNERS_MAX_LIMIT = 500


@handler("list_owners", scoped=False)
async def list_owners(request: Request, headers: dict[str, str]) -> Response:
    state = state_of(request)
    if "owners" in state.config.missing_scopes:
        raise error(errors.missing_scopes("crm.objects.owners.read"), 403, headers)
    params = request.query_params
    owners = state.portal.owners(archived=(params.get("archived") or "").lower() == "true")
    if params.get("email"):
        owners = [owner for owner in owners if owner["email"] == params["email"]]
    try:
        limit = int(params.get("limit", "100"))
        start = int(params.get("after", "0"))
    except ValueError:
        raise bad_request("limit and after must be integers.", headers) from None
    if not 1 <= limit <= OWNERS_MAX_LIMIT:
        raise bad_request(f"limit must be between 1 and {OWNERS_MAX_LIMIT}.", headers)
    body: dict = {"results": owners[start : start + limit]}
    if start + limit < len(owners):
        after = str(start + limit)
        body["paging"] = {
            "next": {"after": after, "link": str(request.url.include_query_params(after=after))}
        }
    return HubSpotJSON(body, headers=headers)


@handler("list_pipelines")
async def list_pipelines(request: Request, headers: dict[str, str]) -> Response:
    object_type = object_type_of(request, headers)
    found = state_of(request).portal.pipelines(object_type)
    if found is None:
        raise error(errors.unknown_object_type(object_type), 404, headers)
    pipeline_id = request.path_params.get("pipelineId")
    if pipeline_id is None:
        return HubSpotJSON({"results": found}, headers=headers)
    pipeline = next((p for p in found if p["id"] == pipeline_id), None)
    if pipeline is None:
        raise error(errors.object_not_found(pipeline_id), 404, headers)
    return HubSpotJSON(pipeline, headers=headers)


@handler("list_schemas", scoped=False)
async def list_schemas(request: Request, headers: dict[str, str]) -> Response:
    archived = (request.query_params.get("archived") or "").lower() == "true"
    schemas = [] if archived else state_of(request).portal.schemas()
    return HubSpotJSON({"results": schemas}, headers=headers)


@handler("get_schema", scoped=False)
async def get_schema(request: Request, headers: dict[str, str]) -> Response:
    wanted = request.path_params["objectType"]
    for schema in state_of(request).portal.schemas():
        if wanted in (schema["objectTypeId"], schema["fullyQualifiedName"], schema["name"]):
            return HubSpotJSON(schema, headers=headers)
    raise error(errors.unknown_object_type(wanted), 404, headers)


def _assoc_pair(
    request: Request, headers: dict[str, str], from_key: str = "fromObjectType"
) -> tuple[str, str]:
    names = (request.path_params[from_key], request.path_params["toObjectType"])
    resolved = tuple(Portal.resolve(name) for name in names)
    for name, object_type in zip(names, resolved, strict=True):
        if object_type is None:
            raise error(errors.unknown_object_type(name), 404, headers)
    missing = [t for t in resolved if t in state_of(request).config.missing_scopes]
    if missing:
        raise error(errors.missing_scopes(TYPES[missing[0]].scope), 403, headers)
    return resolved[0], resolved[1]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"assoc:{offset}".encode()).decode()


def _offset(after: str | None) -> int | None:
    if not after:
        return 0
    try:
        prefix, offset = base64.urlsafe_b64decode(after.encode()).decode().split(":")
        return int(offset) if prefix == "assoc" else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _to_entry(edge) -> dict:
    return {
        # A JSON number, as in HubSpot's docs (FACTS §6: the spec says string).
        "toObjectId": int(edge.to_id),
        "associationTypes": [
            {"category": category, "typeId": type_id, "label": label}
            for category, type_id, label in edge.types
        ],
    }


@handler("association_batch_read", scoped=False)
async def association_batch_read(request: Request, headers: dict[str, str]) -> Response:
    """`POST /crm/v4/associations/{from}/{to}/batch/read`, paged per record by 500."""
    started = _now_iso()
    from_type, to_type = _assoc_pair(request, headers)
    portal = state_of(request).portal
    inputs = (await _json_body(request, headers)).get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and "id" in i for i in inputs):
        raise bad_request("inputs must be a list of objects with an id.", headers)
    if len(inputs) > ASSOCIATION_MAX_INPUTS:
        raise bad_request(
            f"The maximum number of inputs supported is {ASSOCIATION_MAX_INPUTS}.", headers
        )
    results, missing = [], []
    for item in inputs:
        record_id = str(item["id"])
        offset = _offset(item.get("after"))
        if offset is None:
            raise bad_request(
                f"after is not a cursor from paging.next.after: {item['after']!r}", headers
            )
        if portal.store(from_type).find(record_id) is None:
            missing.append(record_id)
            continue
        edges = portal.associations.edges(from_type, to_type, record_id)
        entry: dict = {
            "from": {"id": record_id},
            "to": [_to_entry(edge) for edge in edges[offset : offset + ASSOCIATION_PAGE]],
        }
        if offset + ASSOCIATION_PAGE < len(edges):
            after = _cursor(offset + ASSOCIATION_PAGE)
            link = (
                f"{request.base_url}crm/v4/objects/{TYPES[from_type].type_id}/{record_id}"
                f"/associations/{TYPES[to_type].type_id}?after={after}"
            )
            entry["paging"] = {"next": {"after": after, "link": link}}
        results.append(entry)
    body: dict = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": _now_iso(),
    }
    if missing:
        body["numErrors"] = len(missing)
        body["errors"] = [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": f"No {TYPES[from_type].singular} is associated with id {record_id}.",
                "context": {"fromObjectId": [record_id]},
                "errors": [],
                "links": {},
            }
            for record_id in missing
        ]
    return HubSpotJSON(body, status_code=207 if missing else 200, headers=headers)


@handler("associations_of_record", scoped=False)
async def associations_of_record(request: Request, headers: dict[str, str]) -> Response:
    """`GET /crm/v4/objects/{type}/{id}/associations/{toType}`: one record, `limit` ≤ 500."""
    from_type, to_type = _assoc_pair(request, headers, from_key="objectType")
    record_id = request.path_params["objectId"]
    portal = state_of(request).portal
    if portal.store(from_type).find(record_id) is None:
        raise error(errors.object_not_found(record_id), 404, headers)
    try:
        limit = int(request.query_params.get("limit", str(ASSOCIATION_PAGE)))
    except ValueError:
        raise bad_request("limit must be an integer.", headers) from None
    offset = _offset(request.query_params.get("after"))
    if offset is None or not 1 <= limit <= ASSOCIATION_PAGE:
        raise bad_request(f"after must come from paging; limit 1 to {ASSOCIATION_PAGE}.", headers)
    edges = portal.associations.edges(from_type, to_type, record_id)
    body: dict = {"results": [_to_entry(edge) for edge in edges[offset : offset + limit]]}
    if offset + limit < len(edges):
        after = _cursor(offset + limit)
        link = str(request.url.include_query_params(after=after))
        body["paging"] = {"next": {"after": after, "link": link}}
    return HubSpotJSON(body, headers=headers)


@handler("association_labels", scoped=False)
async def association_labels(request: Request, headers: dict[str, str]) -> Response:
    from_type, to_type = _assoc_pair(request, headers)
    results = [
        {"category": category, "typeId": type_id, "label": label}
        for category, type_id, label in labels(from_type, to_type)
    ]
    return HubSpotJSON({"results": results}, headers=headers)
