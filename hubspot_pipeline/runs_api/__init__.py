"""Launch and follow sync runs over Dagster's GraphQL API: a client, an HTTP API, a CLI."""
