"""Changes to the portal: create, update, archive, merge and associate, as HubSpot's write
endpoints make them, each told to listeners (the webhook sender).

Records are never changed in place: a change builds a new `ObjectStore` (see portal.py).
"""

import time
from collections import deque
from collections.abc import Callable
from threading import RLock

from hubspot_pipeline.simulator.associations import AssociationGraph, AssocType
from hubspot_pipeline.simulator.catalog import LAST_MODIFIED
from hubspot_pipeline.simulator.store import ObjectStore
from hubspot_pipeline.simulator.timefmt import ms_to_iso

# A change event for webhooks: subscription type suffix plus its fields (see webhooks.py).
Listener = Callable[[str, str, dict], None]


class PortalError(ValueError):
    """A change the portal refuses; `status` is the HTTP status HubSpot would answer."""

    def __init__(self, message: str, status: int = 400, category: str = "VALIDATION_ERROR"):
        super().__init__(message)
        self.status = status
        self.category = category


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class PortalChanges:
    """The change half of `Portal`; the state it works on is set up by `Portal.__init__`."""

    _lock: RLock
    _version: int
    _stores: dict[str, ObjectStore]
    _archived: dict[str, list[dict]]
    _merged: dict[str, dict[str, str]]
    _history: dict[str, deque[tuple[float, ObjectStore]]]
    _listeners: list[Listener]
    _next_id: dict[str, int]
    _associations: AssociationGraph | None
    _removed: list[tuple[str, str]]

    @property
    def associations(self) -> AssociationGraph:
        raise NotImplementedError

    def find(self, object_type: str, record_id: str) -> dict | None:
        raise NotImplementedError

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(object_type, event_kind, fields)` on every change (webhooks)."""
        self._listeners.append(listener)

    def create(self, object_type: str, properties: dict[str, str | None]) -> dict:
        """A new record with these properties, created and modified now."""
        with self._lock:
            self._check_names(object_type, properties)
            record_id = str(self._next_id[object_type])
            self._next_id[object_type] += 1
            stamp = ms_to_iso(_now_ms())
            values = {name: _text(value) for name, value in properties.items()}
            values.update(
                {
                    "createdate": stamp,
                    LAST_MODIFIED[object_type]: stamp,
                    "hs_object_id": record_id,
                }
            )
            record = {
                "id": record_id,
                "properties": values,
                "createdAt": stamp,
                "updatedAt": stamp,
                "archived": False,
            }
            self._replace(object_type, [*self._stores[object_type].records, record])
        self._emit(object_type, "creation", {"objectId": int(record_id), "changeFlag": "NEW"})
        return record

    def update(self, object_type: str, record_id: str, properties: dict[str, str | None]) -> dict:
        """Change properties of a record (a merged-away id updates the survivor; "" clears)."""
        with self._lock:
            self._check_names(object_type, properties)
            current = self._require(object_type, record_id)
            stamp = ms_to_iso(_now_ms())
            values = dict(current["properties"])
            for name, value in properties.items():
                values[name] = _text(value) or None
            values[LAST_MODIFIED[object_type]] = stamp
            record = {**current, "properties": values, "updatedAt": stamp}
            self._swap(object_type, current, record)
        for name, value in properties.items():
            self._emit(
                object_type,
                "propertyChange",
                {"objectId": int(record["id"]), "propertyName": name, "propertyValue": value},
            )
        return record

    def archive(self, object_type: str, record_id: str) -> None:
        """Move a record to the recycle bin; an unknown id is a no-op, as HubSpot's 204."""
        with self._lock:
            current = self._stores[object_type].find(record_id)
            if current is None:
                return
            stamp = ms_to_iso(_now_ms())
            archived = {
                **current,
                "properties": {**current["properties"], LAST_MODIFIED[object_type]: stamp},
                "updatedAt": stamp,
                "archived": True,
                "archivedAt": stamp,
            }
            records = [r for r in self._stores[object_type].records if r["id"] != record_id]
            self._replace(object_type, records)
            self._archived[object_type] = sorted(
                [*self._archived[object_type], archived], key=lambda r: int(r["id"])
            )
            self._remove_associations(object_type, record_id)
        self._emit(object_type, "deletion", {"objectId": int(record_id), "changeFlag": "DELETED"})

    def merge(self, object_type: str, primary_id: str, merged_id: str) -> dict:
        """Merge `merged_id` into `primary_id`: the primary survives with both ids."""
        with self._lock:
            primary = self._require(object_type, primary_id)
            merged = self._require(object_type, merged_id)
            if primary["id"] == merged["id"]:
                raise PortalError("A record cannot be merged into itself.")
            stamp = ms_to_iso(_now_ms())
            values = {k: v for k, v in merged["properties"].items() if v is not None}
            moved = sum(1 for k in values if primary["properties"].get(k) is None)
            values.update({k: v for k, v in primary["properties"].items() if v is not None})
            old_ids = [
                *(values.get("hs_merged_object_ids") or "").split(";"),
                *(merged["properties"].get("hs_merged_object_ids") or "").split(";"),
                merged["id"],
            ]
            values["hs_merged_object_ids"] = ";".join(sorted({i for i in old_ids if i}, key=int))
            values.update({"hs_object_id": primary["id"], LAST_MODIFIED[object_type]: stamp})
            survivor = {**primary, "properties": values, "updatedAt": stamp}
            records = [
                survivor if r["id"] == primary["id"] else r
                for r in self._stores[object_type].records
                if r["id"] != merged["id"]
            ]
            self._replace(object_type, records)
            redirects = self._merged[object_type]
            for old, target in list(redirects.items()):
                if target == merged["id"]:
                    redirects[old] = primary["id"]
            redirects[merged["id"]] = primary["id"]
            self._remove_associations(object_type, merged["id"])
        self._emit(
            object_type,
            "merge",
            {
                "objectId": int(primary["id"]),
                "primaryObjectId": int(primary["id"]),
                "mergedObjectIds": [int(merged["id"])],
                "newObjectId": int(primary["id"]),
                "numberOfPropertiesMoved": moved,
            },
        )
        return survivor

    def associate(
        self,
        from_type: str,
        from_id: str,
        to_type: str,
        to_id: str,
        forward: list[AssocType],
        reverse: list[AssocType],
    ) -> None:
        """Associate two live records with the given types in each direction."""
        with self._lock:
            self._require(from_type, from_id)
            self._require(to_type, to_id)
            self.associations.add(from_type, from_id, to_type, to_id, forward, reverse)
        self._emit(
            from_type,
            "associationChange",
            {
                "associationType": f"{_singular(from_type)}_TO_{_singular(to_type)}",
                "fromObjectId": int(from_id),
                "toObjectId": int(to_id),
                "associationRemoved": False,
                "isPrimaryAssociation": any(kind[2] == "Primary" for kind in forward),
            },
        )

    def _remove_associations(self, object_type: str, record_id: str) -> None:
        if self._associations is None:
            self._removed.append((object_type, record_id))
        else:
            self._associations.remove_record(object_type, record_id)

    def _check_names(self, object_type: str, properties: dict) -> None:
        specs = self._stores[object_type].specs
        unknown = sorted(name for name in properties if name not in specs)
        if unknown:
            raise PortalError(f"Property values were not valid: unknown properties {unknown}")

    def _require(self, object_type: str, record_id: str) -> dict:
        record = self.find(object_type, record_id)
        if record is None:
            raise PortalError(
                "Object not found.  objectId are usually numeric.", 404, "OBJECT_NOT_FOUND"
            )
        return record

    def _swap(self, object_type: str, old: dict, new: dict) -> None:
        records = [new if r is old else r for r in self._stores[object_type].records]
        self._replace(object_type, records)

    def _replace(self, object_type: str, records: list[dict]) -> None:
        self._version += 1
        previous = self._stores[object_type]
        store = ObjectStore.from_records(object_type, records, self._version, previous)
        self._stores[object_type] = store
        self._history[object_type].append((time.monotonic(), store))

    def _emit(self, object_type: str, kind: str, fields: dict) -> None:
        for listener in self._listeners:
            listener(object_type, kind, fields)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _singular(object_type: str) -> str:
    return {"companies": "COMPANY"}.get(object_type, object_type.rstrip("s").upper())
