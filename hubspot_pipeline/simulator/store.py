"""One object type's records with the indexes that keep requests fast."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from hubspot_pipeline.simulator.catalog import LAST_MODIFIED, SPECS
from hubspot_pipeline.simulator.property_spec import PropertySpec
from hubspot_pipeline.simulator.timefmt import parse_to_ms

# Properties whose order is precomputed, so range filters and sorts on them need no scan.
INDEXED = ("createdate", "hs_object_id", "lastmodifieddate", "hs_lastmodifieddate")


@dataclass(slots=True)
class SortedIndex:
    """Record positions ordered by one numeric key (ties by id), with the keys alongside."""

    keys: list[int]
    positions: list[int]

    @classmethod
    def build(cls, values: list[int]) -> "SortedIndex":
        positions = sorted(range(len(values)), key=values.__getitem__)
        return cls([values[pos] for pos in positions], positions)

    def slice(
        self, low: float | None, low_inclusive: bool, high: float | None, high_inclusive: bool
    ) -> list[int]:
        """Positions whose key lies within the bounds (None = unbounded), in key order."""
        start = 0
        if low is not None:
            start = (bisect_left if low_inclusive else bisect_right)(self.keys, low)
        stop = len(self.keys)
        if high is not None:
            stop = (bisect_right if high_inclusive else bisect_left)(self.keys, high)
        return self.positions[start:stop]


@dataclass(slots=True)
class ObjectStore:
    """Records of one object type sorted by id, with numeric columns and sorted indexes."""

    object_type: str
    records: list[dict]
    id_ints: list[int]
    created_ms: list[int]
    updated_ms: list[int]
    specs: dict[str, PropertySpec]
    indexes: dict[str, SortedIndex]
    version: int = 0
    _numeric: dict[str, list[float | None]] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls, object_type: str, records: list[dict], version: int, previous: "ObjectStore"
    ) -> "ObjectStore":
        """A store over changed records; only records new since `previous` are parsed."""
        known = {
            id(record): (made, changed)
            for record, made, changed in zip(
                previous.records, previous.created_ms, previous.updated_ms, strict=True
            )
        }
        stamps = [
            known.get(id(record))
            or (parse_to_ms(record["createdAt"]) or 0, parse_to_ms(record["updatedAt"]) or 0)
            for record in records
        ]
        created = [made for made, _ in stamps]
        updated = [changed for _, changed in stamps]
        store = cls.build(object_type, records, created, updated)
        store.version = version
        return store

    def find(self, record_id: str) -> dict | None:
        """The live record with this id, or None."""
        if not record_id.isdigit():
            return None
        position = self.position_after(int(record_id))
        if position < len(self.records) and self.records[position]["id"] == record_id:
            return self.records[position]
        return None

    @classmethod
    def build(
        cls, object_type: str, records: list[dict], created: list[int], updated: list[int]
    ) -> "ObjectStore":
        id_ints = [int(record["id"]) for record in records]
        order = sorted(range(len(records)), key=id_ints.__getitem__)
        records = [records[pos] for pos in order]
        id_ints = [id_ints[pos] for pos in order]
        created = [created[pos] for pos in order]
        updated = [updated[pos] for pos in order]
        by_created = SortedIndex.build(created)
        by_updated = SortedIndex.build(updated)
        indexes = {
            "createdate": by_created,
            LAST_MODIFIED[object_type]: by_updated,
            "hs_object_id": SortedIndex(id_ints, list(range(len(records)))),
        }
        specs = {spec.name: spec for spec in SPECS[object_type]}
        return cls(object_type, records, id_ints, created, updated, specs, indexes)

    def position_after(self, after: int) -> int:
        """Position of the first record whose id is at least `after` (list paging)."""
        return bisect_left(self.id_ints, after)

    def numeric(self, name: str) -> list[float | None]:
        """A property's values as numbers (datetimes and dates as epoch ms), computed once."""
        if name in self._numeric:
            return self._numeric[name]
        if name == "createdate":
            column: list[float | None] = list(self.created_ms)
        elif name == LAST_MODIFIED[self.object_type]:
            column = list(self.updated_ms)
        elif name == "hs_object_id":
            column = list(self.id_ints)
        else:
            is_time = self.specs[name].type in ("date", "datetime")
            column = [
                _to_number(record["properties"].get(name), is_time) for record in self.records
            ]
        self._numeric[name] = column
        return column


def _to_number(value: str | None, is_time: bool) -> float | None:
    if value is None:
        return None
    if is_time:
        return parse_to_ms(value)
    try:
        return float(value)
    except ValueError:
        return None
