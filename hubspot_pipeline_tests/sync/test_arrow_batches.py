import datetime as dt

import pyarrow as pa
import pytest

from hubspot_pipeline.hubspot.models import PropertyDefinition
from hubspot_pipeline.sync.arrow_batches import ArrowBatcher, RejectedValue, arrow_schema

UTC = dt.UTC


def record(object_id: str, **properties: str | None) -> dict:
    return {
        "id": object_id,
        "createdAt": "2024-01-17T19:55:04.281Z",
        "updatedAt": "2026-07-21T16:02:41.090Z",
        "archived": False,
        "properties": properties,
    }


def convert(property_type: str, raw: str | None) -> tuple[object, list[RejectedValue]]:
    batcher = ArrowBatcher([PropertyDefinition("value", property_type)])
    (table,) = batcher.tables([[record("1", value=raw)]])
    return table.column("value")[0].as_py(), batcher.rejected


CASES = [
    ("number", "17", 17.0),
    ("number", "-12.75", -12.75),
    ("number", "1e3", 1000.0),
    ("number", " 42 ", 42.0),
    ("number", "", None),
    ("number", None, None),
    ("bool", "true", True),
    ("bool", "false", False),
    ("bool", "TRUE", True),
    ("datetime", "2026-07-21T16:02:41.090Z", dt.datetime(2026, 7, 21, 16, 2, 41, 90000, UTC)),
    ("datetime", "2020-02-29T03:30:17Z", dt.datetime(2020, 2, 29, 3, 30, 17, tzinfo=UTC)),
    ("datetime", "1572480000000", dt.datetime(2019, 10, 31, tzinfo=UTC)),
    ("datetime", "1572480000123", dt.datetime(2019, 10, 31, 0, 0, 0, 123000, UTC)),
    ("date", "2015-05-01", dt.date(2015, 5, 1)),
    ("date", "1430438400000", dt.date(2015, 5, 1)),
    ("date", "2015-05-01T00:00:00.000Z", dt.date(2015, 5, 1)),
    ("enumeration", "chocolate;strawberry", "chocolate;strawberry"),
    ("string", "", ""),
    ("string", None, None),
    ("phone_number", "+1 (555) 010-0199", "+1 (555) 010-0199"),
    ("json", '{"a":1}', '{"a":1}'),
    ("object_coordinates", "1.5,2.5", "1.5,2.5"),
    ("some_future_type", "17", "17"),
]


@pytest.mark.parametrize(
    ("property_type", "raw", "expected"),
    CASES,
    ids=[f"{t}-{raw!r}" for t, raw, _ in CASES],
)
def test_converts_value_by_catalog_type(property_type, raw, expected):
    value, rejected = convert(property_type, raw)

    assert value == expected
    assert type(value) is type(expected)
    assert rejected == []


BAD = [
    ("number", "abc"),
    ("number", "1,000"),
    ("bool", "yes"),
    ("datetime", "yesterday"),
    ("datetime", "2026-13-01T00:00:00Z"),
    ("date", "2024-02-30"),
    ("date", "01/05/2015"),
]


@pytest.mark.parametrize(("property_type", "raw"), BAD, ids=[f"{t}-{r}" for t, r in BAD])
def test_bad_value_becomes_null_and_is_rejected(property_type, raw):
    value, rejected = convert(property_type, raw)

    assert value is None
    assert rejected == [RejectedValue("1", "value", raw, f"not a valid HubSpot {property_type}")]


def test_bad_value_leaves_the_rest_of_the_column_typed():
    batcher = ArrowBatcher([PropertyDefinition("amount", "number")])
    pages = [[record("1", amount="1.5"), record("2", amount="abc"), record("3", amount="3")]]

    (table,) = batcher.tables(pages)

    assert table.column("amount").to_pylist() == [1.5, None, 3.0]
    assert [r.object_id for r in batcher.rejected] == ["2"]


def test_schema_types_and_record_columns():
    properties = [
        PropertyDefinition("amount", "number"),
        PropertyDefinition("hs_is_active", "bool"),
        PropertyDefinition("closedate", "datetime"),
        PropertyDefinition("birthday", "date"),
        PropertyDefinition("colors", "enumeration"),
        PropertyDefinition("phone", "phone_number"),
    ]

    schema = arrow_schema(properties)

    timestamp = pa.timestamp("ms", tz="UTC")
    assert [(f.name, f.type) for f in schema] == [
        ("id", pa.string()),
        ("created_at", timestamp),
        ("updated_at", timestamp),
        ("archived", pa.bool_()),
        ("archived_at", timestamp),
        ("amount", pa.float64()),
        ("hs_is_active", pa.bool_()),
        ("closedate", timestamp),
        ("birthday", pa.date32()),
        ("colors", pa.string()),
        ("phone", pa.string()),
    ]
    assert not schema.field("id").nullable


def test_property_named_like_a_record_column_is_prefixed():
    properties = [
        PropertyDefinition("property_id", "string"),
        PropertyDefinition("id", "string"),
        PropertyDefinition("archived", "bool"),
    ]
    batcher = ArrowBatcher(properties)

    (table,) = batcher.tables([[record("7", id="custom", archived="true", property_id="p")]])

    assert table.schema.names[5:] == ["property_id", "property_property_id", "property_archived"]
    row = table.to_pylist()[0]
    assert (row["id"], row["property_property_id"], row["property_id"]) == ("7", "custom", "p")
    assert (row["archived"], row["property_archived"]) == (False, True)


def test_record_level_fields():
    archived = {
        "id": "99",
        "createdAt": "2024-01-17T19:55:04.281Z",
        "updatedAt": "2024-01-18T00:00:00.000Z",
        "archived": True,
        "archivedAt": "2024-01-19T10:00:00.500Z",
        "properties": {"firstname": "Ada", "not_in_catalog": "ignored"},
    }
    batcher = ArrowBatcher([PropertyDefinition("firstname", "string")])

    (table,) = batcher.tables([[archived]])

    assert table.to_pylist() == [
        {
            "id": "99",
            "created_at": dt.datetime(2024, 1, 17, 19, 55, 4, 281000, UTC),
            "updated_at": dt.datetime(2024, 1, 18, tzinfo=UTC),
            "archived": True,
            "archived_at": dt.datetime(2024, 1, 19, 10, 0, 0, 500000, UTC),
            "firstname": "Ada",
        }
    ]


@pytest.mark.parametrize(
    ("page_sizes", "batch_size", "expected"),
    [
        ([5, 5, 2], 4, [4, 4, 4]),
        ([3, 3, 3, 1], 4, [4, 4, 2]),
        ([100], 30, [30, 30, 30, 10]),
        ([2], 5, [2]),
        ([], 5, []),
    ],
    ids=["exact-multiple", "remainder-flushed", "page-larger-than-batch", "one-short", "empty"],
)
def test_tables_never_exceed_batch_size(page_sizes, batch_size, expected):
    batcher = ArrowBatcher([PropertyDefinition("n", "number")], batch_size=batch_size)
    counter = iter(range(1000))
    pages = [[record(str(next(counter)), n="1") for _ in range(size)] for size in page_sizes]

    tables = list(batcher.tables(pages))

    assert [t.num_rows for t in tables] == expected
    assert batcher.records_seen == sum(page_sizes)


def test_duplicate_ids_are_kept_and_counted():
    batcher = ArrowBatcher([PropertyDefinition("n", "number")])

    (table,) = batcher.tables([[record("1", n="1")], [record("1", n="2")]])

    assert table.column("id").to_pylist() == ["1", "1"]
    assert batcher.records_seen == 2


def test_tables_are_built_lazily_from_pages():
    pulled: list[int] = []

    def pages():
        for page_number in range(3):
            pulled.append(page_number)
            yield [record(f"{page_number}-{i}") for i in range(2)]

    tables = ArrowBatcher([], batch_size=2).tables(pages())

    next(tables)
    assert pulled == [0]


def test_a_value_that_is_not_a_string_is_read_as_its_text():
    """HubSpot sends every property value as a string; a batch with one that is not (a
    number, a boolean, an object) takes the slower path and types it all the same."""
    properties = [
        PropertyDefinition("amount", "number"),
        PropertyDefinition("hs_is_active", "bool"),
        PropertyDefinition("details", "json"),
    ]
    batcher = ArrowBatcher(properties)
    pages = [
        [
            record("1", amount="1.5", hs_is_active="true", details="{}"),
            record("2", amount=7, hs_is_active=False, details={"a": [1, 2]}),
            record("3", amount="abc", hs_is_active=None, details=None),
        ]
    ]

    (table,) = batcher.tables(pages)

    assert table.column("amount").to_pylist() == [1.5, 7.0, None]
    assert table.column("hs_is_active").to_pylist() == [True, False, None]
    assert table.column("details").to_pylist() == ["{}", '{"a":[1,2]}', None]
    assert batcher.rejected == [RejectedValue("3", "amount", "abc", "not a valid HubSpot number")]
