"""Records as the API returns them: only the requested properties, plus the fixed three,
and on request each property's history of values.
"""

import random

from hubspot_pipeline.simulator.catalog import DEFAULT_PROPERTIES, LAST_MODIFIED
from hubspot_pipeline.simulator.store import ObjectStore
from hubspot_pipeline.simulator.timefmt import ms_to_iso, parse_to_ms

_SOURCES = ("CRM_UI", "API", "IMPORT", "WORKFLOWS")


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


def history_names(store: ObjectStore, requested: list[str]) -> list[str]:
    """Known property names asked for in `propertiesWithHistory`; no defaults are added."""
    return sorted({name for name in requested if name in store.specs})


def render(record: dict, names: list[str], with_history: list[str] | None = None) -> dict:
    properties = record["properties"]
    rendered = {
        "id": record["id"],
        "properties": {name: properties.get(name) for name in names},
        "createdAt": record["createdAt"],
        "updatedAt": record["updatedAt"],
        "archived": record["archived"],
    }
    if "archivedAt" in record:
        rendered["archivedAt"] = record["archivedAt"]
    if with_history:
        rendered["propertiesWithHistory"] = {
            name: history(record, name, properties.get(name)) for name in with_history
        }
    return rendered


def history(record: dict, name: str, current: str | None) -> list[dict]:
    """Versions of one value, newest first; derived from the record, so always the same.

    The newest version is the current value, set when the record was last modified (the
    creation time for createdate); up to two older versions, set between creation and then,
    repeat the value (a re-import or workflow writing the same value, as real portals show).
    """
    if current is None:
        return []
    created = parse_to_ms(record["createdAt"]) or 0
    newest = created if name == "createdate" else (parse_to_ms(record["updatedAt"]) or created)
    rng = random.Random(f"{record['id']}:{name}:{newest}")
    count = 1 if name in ("createdate", "hs_object_id") else rng.randint(1, 3)
    stamps = [
        newest,
        *sorted((rng.randint(created, newest) for _ in range(count - 1)), reverse=True),
    ]
    versions = []
    for stamp in stamps:
        source = rng.choice(_SOURCES)
        version: dict = {
            "value": current,
            "timestamp": ms_to_iso(stamp),
            "sourceType": source,
        }
        if source == "CRM_UI":
            user = 9_100_001 + rng.randrange(20)
            version["sourceId"] = f"userId:{user}"
            version["updatedByUserId"] = user
        versions.append(version)
    return versions
