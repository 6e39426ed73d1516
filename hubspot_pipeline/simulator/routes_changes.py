"""HubSpot's write endpoints, so a test can change the portal while a sync runs.

`POST /crm/v3/objects/{type}` (create), `PATCH .../{id}` (update), `DELETE .../{id}`
(archive, 204), `POST .../merge` and `PUT /crm/v4/objects/{from}/{id}/associations/...`
(FACTS §3, §6, §10). Batch writes are not simulated.
"""

from starlette.requests import Request
from starlette.responses import Response

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.associations import (
    DEFAULT_TYPES,
    HUBSPOT,
    AssocType,
    default_type,
    labels,
)
from hubspot_pipeline.simulator.gate import HubSpotJSON, bad_request, error, handler, state_of
from hubspot_pipeline.simulator.portal import Portal, PortalError
from hubspot_pipeline.simulator.render import render
from hubspot_pipeline.simulator.routes_objects import _json_body, object_type_of


def _answer(exc: PortalError, headers: dict[str, str]):
    return error(errors.error_body(exc.category, str(exc)), exc.status, headers)


def _full(record: dict) -> dict:
    return render(record, sorted(k for k, v in record["properties"].items() if v is not None))


def _properties(body: dict, headers: dict[str, str]) -> dict:
    properties = body.get("properties")
    if not isinstance(properties, dict):
        raise bad_request("properties must be an object of property names to values.", headers)
    return properties


@handler("create_object")
async def create_object(request: Request, headers: dict[str, str]) -> Response:
    object_type = object_type_of(request, headers)
    properties = _properties(await _json_body(request, headers), headers)
    try:
        record = state_of(request).portal.create(object_type, properties)
    except PortalError as exc:
        raise _answer(exc, headers) from None
    return HubSpotJSON(_full(record), status_code=201, headers=headers)


@handler("update_object")
async def update_object(request: Request, headers: dict[str, str]) -> Response:
    object_type = object_type_of(request, headers)
    properties = _properties(await _json_body(request, headers), headers)
    try:
        record = state_of(request).portal.update(
            object_type, request.path_params["objectId"], properties
        )
    except PortalError as exc:
        raise _answer(exc, headers) from None
    return HubSpotJSON(_full(record), headers=headers)


@handler("archive_object")
async def archive_object(request: Request, headers: dict[str, str]) -> Response:
    object_type = object_type_of(request, headers)
    state_of(request).portal.archive(object_type, request.path_params["objectId"])
    return Response(status_code=204, headers=headers)


@handler("merge_objects")
async def merge_objects(request: Request, headers: dict[str, str]) -> Response:
    object_type = object_type_of(request, headers)
    body = await _json_body(request, headers)
    primary, merged = body.get("primaryObjectId"), body.get("objectIdToMerge")
    if primary is None or merged is None:
        raise bad_request("primaryObjectId and objectIdToMerge are required.", headers)
    try:
        record = state_of(request).portal.merge(object_type, str(primary), str(merged))
    except PortalError as exc:
        raise _answer(exc, headers) from None
    return HubSpotJSON(_full(record), headers=headers)


def _pair(request: Request, headers: dict[str, str]) -> tuple[str, str]:
    from_type = Portal.resolve(request.path_params["objectType"])
    to_type = Portal.resolve(request.path_params["toObjectType"])
    if from_type is None or to_type is None:
        raise error(errors.unknown_object_type(request.path_params["toObjectType"]), 404, headers)
    return from_type, to_type


def _reverse_of(from_type: str, to_type: str, kinds: list[AssocType]) -> list[AssocType]:
    """The same association types seen from the other side."""
    forward = {kind[1]: kind for kind in labels(from_type, to_type)}
    backward = labels(to_type, from_type)
    reverse = []
    for kind in kinds:
        index = list(forward).index(kind[1]) if kind[1] in forward else 0
        reverse.append(backward[min(index, len(backward) - 1)] if backward else kind)
    return reverse


@handler("associate_default")
async def associate_default(request: Request, headers: dict[str, str]) -> Response:
    """`PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}` (unlabeled)."""
    from_type, to_type = _pair(request, headers)
    if (from_type, to_type) not in DEFAULT_TYPES:
        raise bad_request(f"No association type between {from_type} and {to_type}.", headers)
    await _associate(request, headers, from_type, to_type, [default_type(from_type, to_type)])
    return Response(status_code=200, headers=headers)


@handler("associate_labeled")
async def associate_labeled(request: Request, headers: dict[str, str]) -> Response:
    """`PUT /crm/v4/objects/{from}/{id}/associations/{to}/{toId}` with a list of types."""
    from_type, to_type = _pair(request, headers)
    body = await request.json()
    known = {(kind[0], kind[1]): kind for kind in labels(from_type, to_type)}
    kinds: list[AssocType] = []
    for item in body if isinstance(body, list) else []:
        key = (item.get("associationCategory", HUBSPOT), int(item.get("associationTypeId", -1)))
        if key not in known:
            raise bad_request(f"Unknown association type {key[1]} ({key[0]}).", headers)
        kinds.append(known[key])
    if not kinds:
        raise bad_request("The body must list association types.", headers)
    await _associate(request, headers, from_type, to_type, kinds)
    return Response(status_code=200, headers=headers)


async def _associate(
    request: Request,
    headers: dict[str, str],
    from_type: str,
    to_type: str,
    kinds: list[AssocType],
) -> None:
    params = request.path_params
    try:
        state_of(request).portal.associate(
            from_type,
            params["objectId"],
            to_type,
            params["toObjectId"],
            kinds,
            _reverse_of(from_type, to_type, kinds),
        )
    except PortalError as exc:
        raise _answer(exc, headers) from None
