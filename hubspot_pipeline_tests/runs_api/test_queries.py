"""Every GraphQL operation the runs client sends is valid against Dagster's own schema."""

import pytest
from dagster_graphql.schema import create_schema
from graphql import parse, validate

from hubspot_pipeline.runs_api import queries

NAMES = ["REPOSITORIES", "JOB_ASSETS", "LAUNCH_RUN", "REEXECUTE", "TERMINATE", "RUN", "RUNS"]
OPERATIONS = {name: getattr(queries, name) for name in [*NAMES, "RUN_EVENTS"]}


@pytest.fixture(scope="module")
def dagster_schema():
    return create_schema().graphql_schema


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_the_operation_is_valid_against_dagsters_schema(dagster_schema, name):
    errors = validate(dagster_schema, parse(OPERATIONS[name]))

    assert [error.message for error in errors] == []
