"""Turn pages of HubSpot records into typed Arrow tables, typed by the property catalog.

HubSpot sends every property value as a string (or null), whatever the property's type. dlt's
Python normalizer would type them row by row and is far too slow for a large portal (see
DESIGN.md §6), so the batcher collects each column's strings and converts whole columns with
pyarrow compute kernels. Values that do not parse are kept aside as `RejectedValue`s rather
than failing the batch or vanishing.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from hubspot_pipeline.hubspot.models import PropertyDefinition

__all__ = ["RECORD_COLUMNS", "ArrowBatcher", "RejectedValue", "arrow_schema", "column_names"]

TIMESTAMP = pa.timestamp("ms", tz="UTC")

# Record-level fields, in the order they lead every table: column name, key in the record.
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("created_at", "createdAt"),
    ("updated_at", "updatedAt"),
    ("archived", "archived"),
    ("archived_at", "archivedAt"),
)
_RECORD_COLUMN_NAMES = frozenset(column for column, _ in RECORD_COLUMNS)

_EPOCH_MS = r"^\s*-?\d+\s*$"
_PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True, slots=True)
class RejectedValue:
    """A property value that could not be parsed as its catalog type; the column got null."""

    object_id: str
    property: str
    value: str
    reason: str


def _arrow_type(property_type: str) -> pa.DataType:
    if property_type == "number":
        # HubSpot numbers are arbitrary decimals in strings. float64 keeps about 15 significant
        # digits: fine for amounts and counts, lossy for long numeric ids stored in number
        # properties. A decimal column would need a precision HubSpot does not publish.
        return pa.float64()
    if property_type == "bool":
        return pa.bool_()
    if property_type == "datetime":
        return TIMESTAMP
    if property_type == "date":
        return pa.date32()
    # string, enumeration (multi-select stays ";"-joined), phone_number, json,
    # object_coordinates and any type HubSpot adds later load as text, losslessly.
    return pa.string()


def column_names(properties: Sequence[PropertyDefinition]) -> dict[str, str]:
    """Map each catalog property to its column name, keeping record-level columns unambiguous.

    A custom property may be called `id` or `archived`; it becomes `property_<name>` so that it
    cannot shadow the record's own field.
    """
    names = list(dict.fromkeys(prop.name for prop in properties))
    # Properties that do not collide keep their names first, so a real `property_id` property
    # is never displaced by a renamed `id`.
    used = _RECORD_COLUMN_NAMES | set(names)
    mapping: dict[str, str] = {}
    for name in names:
        column = name
        if name in _RECORD_COLUMN_NAMES:
            column = f"property_{name}"
            while column in used:
                column = f"property_{column}"
            used |= {column}
        mapping[name] = column
    return mapping


def arrow_schema(properties: Sequence[PropertyDefinition]) -> pa.Schema:
    """The Arrow schema of the tables the batcher yields for this catalog."""
    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("created_at", TIMESTAMP),
        pa.field("updated_at", TIMESTAMP),
        pa.field("archived", pa.bool_()),
        pa.field("archived_at", TIMESTAMP),
    ]
    names = column_names(properties)
    seen: set[str] = set()
    for prop in properties:
        if prop.name in seen:
            continue
        seen.add(prop.name)
        fields.append(pa.field(names[prop.name], _arrow_type(prop.type)))
    return pa.schema(fields)


def _string_array(values: list) -> pa.Array:
    """Build a string array; tolerate non-string values a client or fixture may hand us."""
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([_as_text(value) for value in values], pa.string())


def _record_strings(records: list[dict], key: str) -> pa.Array:
    return _string_array([record.get(key) for record in records])


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _iso_timestamp(values: pa.Array) -> pa.Array:
    # Parse at microseconds, then truncate: HubSpot sends milliseconds, but a value with
    # microseconds should not be rejected for its extra digits.
    parsed = pc.cast(values, pa.timestamp("us", tz="UTC"))
    return pc.cast(parsed, TIMESTAMP, safe=False)


def _epoch_ms(values: pa.Array) -> pa.Array:
    return pc.cast(pc.cast(pc.utf8_trim_whitespace(values), pa.int64()), TIMESTAMP)


def _only(mask: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(mask, values, pa.scalar(None, values.type))


def _to_timestamp(values: pa.Array) -> pa.Array:
    # Datetimes arrive as ISO-8601 (2026-07-21T16:02:41.090Z), but some endpoints and older
    # properties still send epoch milliseconds as a string.
    is_epoch = pc.match_substring_regex(values, _EPOCH_MS)
    if not pc.any(is_epoch).as_py():
        return _iso_timestamp(values)
    epoch = _epoch_ms(_only(is_epoch, values))
    iso = _iso_timestamp(_only(pc.invert(is_epoch), values))
    return pc.if_else(is_epoch, epoch, iso)


def _to_date(values: pa.Array) -> pa.Array:
    # Dates arrive as YYYY-MM-DD or as epoch milliseconds at midnight UTC. Both are read in
    # UTC so a date is never shifted by a time zone; a full timestamp keeps its UTC day.
    is_plain = pc.match_substring_regex(values, _PLAIN_DATE)
    if pc.all(is_plain).as_py() is not False:
        return pc.cast(values, pa.date32())
    plain = pc.cast(_only(is_plain, values), pa.date32())
    other = pc.cast(_to_timestamp(_only(pc.invert(is_plain), values)), pa.date32())
    return pc.if_else(is_plain, plain, other)


def _to_bool(values: pa.Array) -> pa.Array:
    lowered = pc.utf8_lower(values)
    unknown = pa.scalar(None, pa.bool_())
    return pc.if_else(
        pc.equal(lowered, "true"),
        True,
        pc.if_else(pc.equal(lowered, "false"), False, unknown),
    )


def _to_number(values: pa.Array) -> pa.Array:
    return pc.cast(values, pa.float64())


_CONVERTERS: dict[pa.DataType, Callable[[pa.Array], pa.Array]] = {
    pa.float64(): _to_number,
    pa.bool_(): _to_bool,
    TIMESTAMP: _to_timestamp,
    pa.date32(): _to_date,
}


def _convert_leniently(
    values: pa.Array, convert: Callable[[pa.Array], pa.Array], target: pa.DataType
) -> pa.Array:
    """Convert a whole column at once; fall back to one value at a time only if it fails.

    Arrow casts fail the whole array on one bad value, so a column with a bad value is
    converted element by element and the bad ones become null (the caller reports them).
    """
    try:
        return convert(values)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    converted: list = []
    for index in range(len(values)):
        try:
            converted.append(convert(values.slice(index, 1))[0].as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            converted.append(None)
    return pa.array(converted, target)


class ArrowBatcher:
    """Build typed Arrow tables of at most `batch_size` rows from pages of HubSpot records.

    Memory stays bounded by one batch whatever the size of the portal. Unparseable values
    collect in `rejected`; `records_seen` counts every record, duplicates included (the merge
    on `id` removes those).
    """

    def __init__(self, properties: Sequence[PropertyDefinition], batch_size: int = 5000) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.schema = arrow_schema(properties)
        self.batch_size = batch_size
        self.rejected: list[RejectedValue] = []
        self.records_seen = 0
        names = column_names(properties)
        self._properties = [
            (name, names[name], self.schema.field(names[name]).type) for name in names
        ]
        self._strings_struct = pa.struct([(name, pa.string()) for name in names])

    def tables(self, pages: Iterable[list[dict]]) -> Iterator[pa.Table]:
        """Yield one table per `batch_size` records, and the remainder at the end."""
        buffer: list[dict] = []
        for page in pages:
            buffer.extend(page)
            self.records_seen += len(page)
            while len(buffer) >= self.batch_size:
                yield self._build(buffer[: self.batch_size])
                del buffer[: self.batch_size]
        if buffer:
            yield self._build(buffer)

    def _build(self, records: list[dict]) -> pa.Table:
        ids = [str(record["id"]) for record in records]
        columns: list[pa.Array] = [
            pa.array(ids, pa.string()),
            self._typed(ids, "created_at", _record_strings(records, "createdAt"), TIMESTAMP),
            self._typed(ids, "updated_at", _record_strings(records, "updatedAt"), TIMESTAMP),
            pa.array([r.get("archived") in (True, "true") for r in records], pa.bool_()),
            self._typed(ids, "archived_at", _record_strings(records, "archivedAt"), TIMESTAMP),
        ]
        values_by_record = [record.get("properties") or {} for record in records]
        for (name, _column, arrow_type), strings in zip(
            self._properties, self._property_strings(values_by_record), strict=True
        ):
            columns.append(self._typed(ids, name, strings, arrow_type))
        return pa.Table.from_arrays(columns, schema=self.schema)

    def _property_strings(self, values_by_record: list[dict]) -> list[pa.Array]:
        """Every property's values as a string column, in catalog order.

        pyarrow reads the records' property dicts into one struct array in C++, ten times
        faster than a Python loop per property (a contacts batch has over a million values);
        it refuses a value that is not a string, and then the loop copes with it.
        """
        try:
            return pa.array(values_by_record, self._strings_struct).flatten()
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            return [
                _string_array([values.get(name) for values in values_by_record])
                for name, _column, _type in self._properties
            ]

    def _typed(
        self, ids: list[str], name: str, strings: pa.Array, arrow_type: pa.DataType
    ) -> pa.Array:
        if arrow_type == pa.string():
            return strings

        # HubSpot clears a value by setting it to "": for typed columns that is simply null.
        trimmed = pc.utf8_trim_whitespace(strings)
        present = pc.not_equal(trimmed, "")
        values = _only(present, trimmed)
        if values.null_count == len(values):
            return pa.nulls(len(values), arrow_type)

        typed = _convert_leniently(values, _CONVERTERS[arrow_type], arrow_type)
        lost = pc.and_(pc.is_valid(values), pc.is_null(typed))
        if pc.any(lost).as_py():
            reason = f"not a valid HubSpot {_TYPE_LABELS[arrow_type]}"
            for index in pc.indices_nonzero(lost).to_pylist():
                value = strings[index].as_py() or ""
                self.rejected.append(RejectedValue(ids[index], name, value, reason))
        return typed


_TYPE_LABELS = {
    pa.float64(): "number",
    pa.bool_(): "bool",
    TIMESTAMP: "datetime",
    pa.date32(): "date",
}
