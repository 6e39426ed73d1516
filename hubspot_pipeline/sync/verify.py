"""Reads counts back from the warehouse, to compare a sync with HubSpot's own totals."""

import duckdb
import sqlalchemy as sa

from hubspot_pipeline.sync.load import Destination
from hubspot_pipeline.sync.windows import Window


def count_rows_in_window(destination: Destination, table: str, window: Window) -> int:
    """Rows of `table` whose last-modified time (`updated_at`) falls in `window`."""
    query = (
        f'SELECT count(*) FROM "{destination.dataset_name}"."{table}" '
        "WHERE updated_at >= ? AND updated_at < ?"
    )
    if destination.kind == "duckdb":
        path = destination.duckdb_path
        if not path.exists():
            return 0
        with destination.write_lock(), duckdb.connect(str(path), read_only=True) as conn:
            if not _duckdb_table_exists(conn, destination.dataset_name, table):
                return 0
            return conn.execute(query, [window.start, window.end]).fetchone()[0]

    engine = sa.create_engine(destination.postgres_url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            if not inspector.has_table(table, schema=destination.dataset_name):
                return 0
            pg_query = sa.text(query.replace("?", ":start", 1).replace("?", ":end", 1))
            return conn.execute(pg_query, {"start": window.start, "end": window.end}).scalar_one()
    finally:
        engine.dispose()


def _duckdb_table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])
