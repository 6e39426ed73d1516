"""Parsing and validating CRM search request bodies the way HubSpot does (FACTS §5).

Choices on UNVERIFIED points: more than one sort rule is a 400; any page reaching past the
10,000th result (`after + limit > 10000`) is a 400 VALIDATION_ERROR.
"""

from dataclasses import dataclass

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
MAX_LIMIT = 200
# HubSpot's search returns at most 10,000 results per query; paging past them is a 400.
RESULT_CAP = 10_000

OPERATORS = {
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "BETWEEN",
    "IN",
    "NOT_IN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
}
RANGE_OPERATORS = {"EQ", "LT", "LTE", "GT", "GTE", "BETWEEN"}


class SearchError(ValueError):
    """A search request HubSpot would reject with 400 VALIDATION_ERROR."""


@dataclass(frozen=True, slots=True)
class Filter:
    property_name: str
    operator: str
    value: str | None = None
    high_value: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchRequest:
    groups: tuple[tuple[Filter, ...], ...]
    sort_property: str
    descending: bool
    query: str
    properties: tuple[str, ...] | None
    limit: int
    after: int

    @property
    def match_key(self) -> tuple:
        """What decides the ordered matches; paging and properties do not."""
        return (self.groups, self.sort_property, self.descending, self.query)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse_filter(raw: object) -> Filter:
    if not isinstance(raw, dict) or not raw.get("propertyName"):
        raise SearchError("Each filter needs a propertyName and an operator.")
    operator = str(raw.get("operator", "EQ")).upper()
    if operator not in OPERATORS:
        raise SearchError(f"Unknown filter operator {operator}.")
    values = raw.get("values") or ()
    if not isinstance(values, list | tuple):
        raise SearchError("Filter 'values' must be a list.")
    parsed = Filter(
        str(raw["propertyName"]),
        operator,
        _as_text(raw.get("value")),
        _as_text(raw.get("highValue")),
        tuple(str(_as_text(value)) for value in values),
    )
    if operator in RANGE_OPERATORS | {"NEQ", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"} and (
        parsed.value is None
    ):
        raise SearchError(f"Operator {operator} needs a value.")
    if operator == "BETWEEN" and parsed.high_value is None:
        raise SearchError("Operator BETWEEN needs a value and a highValue.")
    if operator in ("IN", "NOT_IN") and not parsed.values:
        raise SearchError(f"Operator {operator} needs values.")
    return parsed


def _parse_groups(raw: object) -> tuple[tuple[Filter, ...], ...]:
    groups = raw or []
    if not isinstance(groups, list):
        raise SearchError("filterGroups must be a list.")
    if len(groups) > MAX_GROUPS:
        raise SearchError(f"Too many filter groups ({len(groups)}); the maximum is {MAX_GROUPS}.")
    parsed = []
    for group in groups:
        filters = group.get("filters") or [] if isinstance(group, dict) else None
        if not isinstance(filters, list):
            raise SearchError("Each filter group needs a list of filters.")
        if len(filters) > MAX_FILTERS_PER_GROUP:
            raise SearchError(
                f"Too many filters in a group ({len(filters)}); "
                f"the maximum is {MAX_FILTERS_PER_GROUP}."
            )
        parsed.append(tuple(_parse_filter(item) for item in filters))
    total = sum(len(group) for group in parsed)
    if total > MAX_FILTERS:
        raise SearchError(f"Too many filters ({total}); the maximum is {MAX_FILTERS} in total.")
    return tuple(group for group in parsed if group)


def _parse_sort(raw: object) -> tuple[str, bool]:
    """One sort rule as `{propertyName, direction}` or `"prop"` / `"-prop"` (FACTS §5)."""
    sorts = raw or []
    if not isinstance(sorts, list):
        sorts = [sorts]
    if len(sorts) > 1:
        raise SearchError("Only one sort rule is supported.")
    if not sorts:
        return "createdate", False
    rule = sorts[0]
    if isinstance(rule, str):
        return rule.lstrip("-"), rule.startswith("-")
    if not isinstance(rule, dict) or not rule.get("propertyName"):
        raise SearchError("A sort needs a propertyName.")
    direction = str(rule.get("direction", "ASCENDING")).upper()
    if direction not in ("ASCENDING", "DESCENDING"):
        raise SearchError(f"Unknown sort direction {direction}.")
    return str(rule["propertyName"]), direction == "DESCENDING"


def _parse_int(raw: object, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise SearchError(f"{name} must be formatted as an integer, got {raw!r}.") from None


def parse_search(body: object) -> SearchRequest:
    """Validate a search body the way HubSpot does; raises `SearchError` for a 400."""
    if not isinstance(body, dict):
        raise SearchError("The request body must be a JSON object.")
    limit = _parse_int(body.get("limit"), "limit", 10)
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}.")
    after = _parse_int(body.get("after"), "after", 0)
    if after < 0:
        raise SearchError("after must not be negative.")
    if after + limit > RESULT_CAP:
        # Chosen reading of "paging beyond 10,000 results gives a 400": any page that would
        # reach past the 10,000th result is refused, even if fewer results exist.
        raise SearchError(
            f"Paging beyond {RESULT_CAP} results is not supported (after={after}, "
            f"limit={limit}). Narrow the query with filters instead."
        )
    properties = body.get("properties")
    if isinstance(properties, str):
        properties = [name for name in properties.split(",") if name]
    sort_property, descending = _parse_sort(body.get("sorts"))
    query = str(body.get("query") or "")
    if len(query) > 3000:
        raise SearchError("query must not be longer than 3000 characters.")
    return SearchRequest(
        _parse_groups(body.get("filterGroups")),
        sort_property,
        descending,
        query.lower(),
        tuple(properties) if properties is not None else None,
        limit,
        after,
    )
