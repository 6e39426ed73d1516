"""Records as the API returns them: only the requested properties, plus the fixed three."""

from hubspot_pipeline.simulator.catalog import DEFAULT_PROPERTIES, LAST_MODIFIED
from hubspot_pipeline.simulator.portal import ObjectStore


def split_names(values: list[str]) -> list[str]:
    """Property names from comma-separated and/or repeated parameters."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def property_names(store: ObjectStore, requested: list[str] | tuple[str, ...] | None) -> list[str]:
    """Names a response carries: the requested (or default) known ones, plus createdate,
    hs_object_id and the last-modified property, which HubSpot always adds (FACTS §3).

    Unknown names are ignored, as HubSpot does.
    """
    object_type = store.object_type
    names = set(requested or DEFAULT_PROPERTIES[object_type])
    names = {name for name in names if name in store.specs}
    names.update(("createdate", "hs_object_id", LAST_MODIFIED[object_type]))
    return sorted(names)


def render(record: dict, names: list[str]) -> dict:
    properties = record["properties"]
    return {
        "id": record["id"],
        "properties": {name: properties.get(name) for name in names},
        "createdAt": record["createdAt"],
        "updatedAt": record["updatedAt"],
        "archived": record["archived"],
    }
