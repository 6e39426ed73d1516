"""Evaluation of HubSpot CRM search requests: filter groups, one sort, offset paging.

Choices on points HubSpot does not document (UNVERIFIED, see FACTS §5):
- a filter on an unknown property sees no value (so only NEQ/NOT_IN/NOT_HAS_PROPERTY match);
- records without a value match NEQ, NOT_IN and NOT_CONTAINS_TOKEN;
- EQ/NEQ/IN/NOT_IN on a multi-select property test whether the option is among the chosen;
- records without a value for the sort property come last in either direction;
- `query` is a case-insensitive substring match over a few text properties per object type.
"""

import fnmatch
import re
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from hubspot_pipeline.simulator.catalog import QUERY_PROPERTIES
from hubspot_pipeline.simulator.property_spec import PropertySpec
from hubspot_pipeline.simulator.search_request import (
    RANGE_OPERATORS,
    Filter,
    SearchError,
    SearchRequest,
)
from hubspot_pipeline.simulator.store import ObjectStore
from hubspot_pipeline.simulator.timefmt import parse_to_ms

_NUMERIC_TYPES = {"number", "datetime", "date"}
_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")

Predicate = Callable[[int], bool]


def _is_numeric(store: ObjectStore, name: str) -> bool:
    spec = store.specs.get(name)
    return spec is not None and spec.type in _NUMERIC_TYPES


def _number(spec: PropertySpec, text: str) -> float:
    parsed = parse_to_ms(text) if spec.type in ("date", "datetime") else _float(text)
    if parsed is None:
        raise SearchError(f"{text!r} is not a valid {spec.type} value for {spec.name}.")
    return parsed


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _numeric_predicate(store: ObjectStore, flt: Filter) -> Predicate:
    spec = store.specs[flt.property_name]
    column = store.numeric(flt.property_name)
    op = flt.operator
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        wanted = op == "HAS_PROPERTY"
        return lambda pos: (column[pos] is not None) == wanted
    if op in ("IN", "NOT_IN"):
        targets = {_number(spec, value) for value in flt.values}
        if op == "IN":
            return lambda pos: column[pos] in targets
        return lambda pos: column[pos] is None or column[pos] not in targets
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        return _text_predicate(store, flt)
    target = _number(spec, str(flt.value))
    high = _number(spec, str(flt.high_value)) if op == "BETWEEN" else target
    compare: dict[str, Callable[[float], bool]] = {
        "EQ": lambda v: v == target,
        "NEQ": lambda v: v != target,
        "LT": lambda v: v < target,
        "LTE": lambda v: v <= target,
        "GT": lambda v: v > target,
        "GTE": lambda v: v >= target,
        "BETWEEN": lambda v: target <= v <= high,
    }
    test = compare[op]
    missing = op == "NEQ"
    return lambda pos: missing if column[pos] is None else test(column[pos])


def _text_predicate(store: ObjectStore, flt: Filter) -> Predicate:
    spec = store.specs.get(flt.property_name)
    records, name, op = store.records, flt.property_name, flt.operator
    # Filter values are case-insensitive except for enumerations (FACTS §5).
    fold = spec is None or spec.type != "enumeration"
    multi = spec is not None and spec.is_multi_select

    def values_of(pos: int) -> list[str] | None:
        raw = records[pos]["properties"].get(name) if spec else None
        if raw is None or raw == "":
            return None
        raw = raw.lower() if fold else raw
        return raw.split(";") if multi else [raw]

    def norm(text: str) -> str:
        return text.lower() if fold else text

    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        wanted = op == "HAS_PROPERTY"
        return lambda pos: (values_of(pos) is not None) == wanted
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        pattern = str(flt.value).lower()
        negate = op == "NOT_CONTAINS_TOKEN"

        def has_token(pos: int) -> bool:
            raw = records[pos]["properties"].get(name) if spec else None
            tokens = _TOKEN_SPLIT.split(raw.lower()) if raw else []
            return any(fnmatch.fnmatchcase(token, pattern) for token in tokens if token)

        return (lambda pos: not has_token(pos)) if negate else has_token
    if op in ("IN", "NOT_IN", "EQ", "NEQ"):
        targets = {norm(v) for v in flt.values} if op in ("IN", "NOT_IN") else {norm(flt.value)}
        positive = op in ("IN", "EQ")

        def member(pos: int) -> bool:
            values = values_of(pos)
            if values is None:
                return not positive
            hit = any(value in targets for value in values)
            return hit if positive else not hit

        return member
    low = norm(str(flt.value))
    high = norm(str(flt.high_value)) if op == "BETWEEN" else low
    compare: dict[str, Callable[[str], bool]] = {
        "LT": lambda v: v < low,
        "LTE": lambda v: v <= low,
        "GT": lambda v: v > low,
        "GTE": lambda v: v >= low,
        "BETWEEN": lambda v: low <= v <= high,
    }
    test = compare[op]

    def ordered(pos: int) -> bool:
        values = values_of(pos)
        return values is not None and test(values[0])

    return ordered


def _predicate(store: ObjectStore, flt: Filter) -> Predicate:
    if _is_numeric(store, flt.property_name):
        return _numeric_predicate(store, flt)
    return _text_predicate(store, flt)


def _candidates(store: ObjectStore, group: tuple[Filter, ...]) -> list[int] | range:
    """Positions that can match a group: a slice of a sorted index when a range allows it.

    This is what keeps incremental syncs (a range on the last-modified property) fast.
    """
    for flt in group:
        index = store.indexes.get(flt.property_name)
        if index is None or flt.operator not in RANGE_OPERATORS:
            continue
        spec = store.specs[flt.property_name]
        low = _number(spec, str(flt.value))
        high = _number(spec, str(flt.high_value)) if flt.operator == "BETWEEN" else low
        bounds = {
            "EQ": (low, True, high, True),
            "BETWEEN": (low, True, high, True),
            "GT": (low, False, None, False),
            "GTE": (low, True, None, False),
            "LT": (None, False, high, False),
            "LTE": (None, False, high, True),
        }[flt.operator]
        return index.slice(*bounds)
    return range(len(store.records))


def _query_predicate(store: ObjectStore, query: str) -> Predicate:
    names = QUERY_PROPERTIES[store.object_type]
    records = store.records

    def hit(pos: int) -> bool:
        props = records[pos]["properties"]
        return any(query in (props.get(name) or "").lower() for name in names)

    return hit


def _matches(store: ObjectStore, request: SearchRequest) -> list[int]:
    """Positions of all matching records, in id order."""
    if request.groups:
        found: set[int] = set()
        for group in request.groups:
            tests = [_predicate(store, flt) for flt in group]
            found.update(
                pos for pos in _candidates(store, group) if all(test(pos) for test in tests)
            )
        positions = sorted(found)
    else:
        positions = list(range(len(store.records)))
    if request.query:
        hit = _query_predicate(store, request.query)
        positions = [pos for pos in positions if hit(pos)]
    return positions


def _order(store: ObjectStore, positions: list[int], name: str, descending: bool) -> list[int]:
    """Sort by one property, ties by id; records without a value come last."""
    if _is_numeric(store, name) or name == "hs_object_id":
        column: list = store.numeric(name)
    else:
        column = [
            (value.lower() if value is not None else None)
            for value in (record["properties"].get(name) for record in store.records)
        ]
    present = [pos for pos in positions if column[pos] is not None]
    missing = [pos for pos in positions if column[pos] is None]
    present.sort(key=column.__getitem__, reverse=descending)
    return present + missing


class SearchEngine:
    """Answers searches over a portal, caching ordered matches so paging stays cheap."""

    def __init__(self, cache_size: int = 64) -> None:
        self._cache: OrderedDict[tuple, list[int]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    def ordered_matches(self, store: ObjectStore, request: SearchRequest) -> list[int]:
        key = (store.object_type, store.version, *request.match_key)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        positions = _order(
            store, _matches(store, request), request.sort_property, request.descending
        )
        with self._lock:
            self._cache[key] = positions
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return positions
