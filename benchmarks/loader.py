"""Measure the loader: typed Arrow batches from synthetic HubSpot records, merged into DuckDB.

Usage: python benchmarks/loader.py [--records 50000] [--batch-size 5000]

Prints one line: records, seconds, records per second and the process's peak RSS. DESIGN.md
§6 sets the bar: HubSpot serves about 1,900 records per second, so the loader must beat that.
"""

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from hubspot_pipeline.hubspot.models import PropertyDefinition
from hubspot_pipeline.sync.arrow_batches import ArrowBatcher
from hubspot_pipeline.sync.load import Destination, load_tables

# 60 properties shaped like a real contact catalog: mostly text, some typed.
TYPE_MIX = (
    ["string"] * 30
    + ["enumeration"] * 8
    + ["number"] * 10
    + ["bool"] * 4
    + ["datetime"] * 5
    + ["date"] * 3
)
PAGE_SIZE = 100  # HubSpot's largest list page
TEMPLATES = 1000  # distinct property maps, reused so generating records costs little


def catalog() -> list[PropertyDefinition]:
    return [PropertyDefinition(f"prop_{i:02d}_{t}", t) for i, t in enumerate(TYPE_MIX)]


def _value(rng: random.Random, property_type: str) -> str | None:
    if rng.random() < 0.2:
        return None  # sparse, like most CRM properties
    if property_type == "number":
        return f"{rng.uniform(0, 100_000):.2f}"
    if property_type == "bool":
        return rng.choice(["true", "false"])
    if property_type == "datetime":
        epoch_ms = 1_600_000_000_000 + rng.randrange(200_000_000_000)
        if rng.random() < 0.1:
            return str(epoch_ms)  # some datetimes arrive as epoch milliseconds
        seconds, millis = divmod(epoch_ms, 1000)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        return f"{stamp}.{millis:03d}Z"
    if property_type == "date":
        return f"20{rng.randrange(10, 30)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    if property_type == "enumeration":
        return ";".join(rng.sample(["red", "green", "blue", "amber"], rng.randrange(1, 3)))
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=rng.randrange(5, 40)))


def pages(properties: list[PropertyDefinition], count: int) -> Iterator[list[dict]]:
    rng = random.Random(7)
    templates = [{p.name: _value(rng, p.type) for p in properties} for _ in range(TEMPLATES)]
    for start in range(0, count, PAGE_SIZE):
        yield [
            {
                "id": str(1_000_000 + i),
                "createdAt": "2024-01-17T19:55:04.281Z",
                "updatedAt": "2026-07-21T16:02:41.090Z",
                "archived": False,
                "properties": templates[i % TEMPLATES],
            }
            for i in range(start, min(start + PAGE_SIZE, count))
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()

    properties = catalog()
    with tempfile.TemporaryDirectory() as folder:
        destination = Destination.duckdb(Path(folder) / "benchmark.duckdb")
        batcher = ArrowBatcher(properties, batch_size=args.batch_size)
        started = time.perf_counter()
        result = load_tables(
            "contacts",
            batcher.tables(pages(properties, args.records)),
            destination,
            Path(folder) / "work",
            lambda: batcher.rejected,
        )
        seconds = time.perf_counter() - started

    assert result.rows_loaded == args.records, result
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"loader: records={args.records} seconds={seconds:.1f}"
        f" records_per_second={args.records / seconds:.0f} peak_rss_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
