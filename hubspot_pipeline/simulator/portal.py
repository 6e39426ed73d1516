"""The simulated portal: generated records, the recycle bin, merges, associations, and the
changes tests make while it serves.

Records are never changed in place: a change builds a new `ObjectStore`, so a request that
already holds a store keeps a consistent view, and search can serve an older store to
mimic its index lag. Known shortcoming: every change re-sorts the whole object type
(O(n log n)); fine for tests that change a few hundred records, slow for thousands (an
incremental index would fix it).
"""

import random
import time
from collections import deque
from threading import RLock

from hubspot_pipeline.simulator import metadata
from hubspot_pipeline.simulator.associations import AssociationGraph
from hubspot_pipeline.simulator.catalog import LAST_MODIFIED, catalog
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.data import Pools, generate_archived, generate_object
from hubspot_pipeline.simulator.objects import OBJECT_TYPES, TYPES, resolve
from hubspot_pipeline.simulator.portal_changes import Listener, PortalChanges, PortalError
from hubspot_pipeline.simulator.store import ObjectStore


class Portal(PortalChanges):
    """One HubSpot account's data, generated from `config.seed`.

    `records()` hands out the stored dicts themselves (shallow list copy): read them, do not
    change them; use the change methods (`create`, `update`, `archive`, `merge`,
    `associate`) instead.
    """

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        pools = Pools.from_seed(config.seed)
        self._lock = RLock()
        self._version = 0
        self._stores: dict[str, ObjectStore] = {}
        self._archived: dict[str, list[dict]] = {}
        self._merged: dict[str, dict[str, str]] = {}
        # (visible from, store) per type, oldest first: what a lagging search index sees.
        self._history: dict[str, deque[tuple[float, ObjectStore]]] = {}
        self._listeners: list[Listener] = []
        self._next_id: dict[str, int] = {}

        for object_type in OBJECT_TYPES:
            generated = generate_object(object_type, config, pools)
            last_id = max((int(r["id"]) for r in generated.records), default=0)
            last_id = max(last_id, _id_floor(object_type))
            archived_count = round(config.archived_share * len(generated.records))
            archived = generate_archived(object_type, config, pools, last_id, archived_count)
            last_id = int(archived[-1]["id"]) if archived else last_id
            merged = _merge_ids(config, object_type, generated.records)
            self._archived[object_type] = archived
            self._merged[object_type] = merged
            self._next_id[object_type] = last_id + 1
            store = ObjectStore.build(
                object_type, generated.records, generated.created_ms, generated.updated_ms
            )
            self._stores[object_type] = store
            self._history[object_type] = deque([(0.0, store)])
        self._generated_ids = {
            name: [r["id"] for r in store.records] for name, store in self._stores.items()
        }
        # Records archived or merged away before the graph was first built.
        self._removed: list[tuple[str, str]] = []

        self._associations: AssociationGraph | None = None

    @property
    def associations(self) -> AssociationGraph:
        """The association graph, generated on first use: most runs never ask for it."""
        with self._lock:
            if self._associations is None:
                # From the generated ids, so changes made before first use do not alter it.
                self._associations = AssociationGraph.generate(
                    self.config.seed, self._generated_ids, self.config.hub_company_contacts
                )
                self._associations.forget(self._removed)
            return self._associations

    # Reading ------------------------------------------------------------------------------

    @staticmethod
    def resolve(object_type: str) -> str | None:
        """The object type name for a path segment (name, type id or FQN), None if unknown."""
        return resolve(object_type)

    def store(self, object_type: str) -> ObjectStore:
        return self._stores[object_type]

    def search_store(self, object_type: str) -> ObjectStore:
        """The store as search sees it: changes show up `search_lag_seconds` late."""
        cutoff = time.monotonic() - self.config.search_lag_seconds
        with self._lock:
            history = self._history[object_type]
            while len(history) > 1 and history[1][0] <= cutoff:
                history.popleft()
            return history[0][1]

    def records(self, object_type: str) -> list[dict]:
        """All live records of an object type, sorted by id, with every property."""
        return list(self._stores[object_type].records)

    def ids(self, object_type: str) -> set[str]:
        return {record["id"] for record in self._stores[object_type].records}

    def archived_records(self, object_type: str) -> list[dict]:
        """Records in the recycle bin, sorted by id, with `archivedAt`."""
        return list(self._archived[object_type])

    def merged_ids(self, object_type: str) -> dict[str, str]:
        """Merged-away id → id of the record that survived the merge."""
        return dict(self._merged[object_type])

    def find(self, object_type: str, record_id: str) -> dict | None:
        """A live record by id, following merges from a merged-away id to the survivor."""
        record = self._stores[object_type].find(record_id)
        if record is None and record_id in self._merged[object_type]:
            record = self._stores[object_type].find(self._merged[object_type][record_id])
        return record

    def properties(self, object_type: str) -> list[dict]:
        return catalog(object_type)

    def owners(self, archived: bool = False) -> list[dict]:
        return metadata.owners(archived)

    def pipelines(self, object_type: str) -> list[dict] | None:
        return metadata.pipelines(object_type)

    def schemas(self) -> list[dict]:
        return metadata.schemas()

    @staticmethod
    def last_modified_property(object_type: str) -> str:
        return LAST_MODIFIED[object_type]


def _id_floor(object_type: str) -> int:
    return TYPES[object_type].id_base


def _merge_ids(config: SimulatorConfig, object_type: str, records: list[dict]) -> dict[str, str]:
    """Merged-away ids pointing at survivors, which list them in `hs_merged_object_ids`.

    A merged-away id is the free id just after its survivor's (ids have gaps), so it is as
    old as the survivor. Survivors are ordinary records: hot days never change them.
    """
    rng = random.Random(f"{config.seed}:{object_type}:merged")
    records = records[: config.count(object_type)]
    with_gap = [
        pos
        for pos in range(len(records) - 1)
        if int(records[pos + 1]["id"]) - int(records[pos]["id"]) >= 2
    ]
    count = min(len(with_gap), round(config.merged_share * len(records)))
    merged: dict[str, str] = {}
    for pos in sorted(rng.sample(with_gap, count)):
        survivor = records[pos]
        merged_id = str(int(survivor["id"]) + 1)
        merged[merged_id] = survivor["id"]
        survivor["properties"]["hs_merged_object_ids"] = merged_id
    return merged


__all__ = ["Listener", "Portal", "PortalError"]
