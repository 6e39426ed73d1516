"""Code that runs in separate processes: each builds its own client and budget."""

from hubspot_pipeline.hubspot.budget import BudgetConfig, SharedBudget, portal_key
from hubspot_pipeline.hubspot.budget_store import store_from_url
from hubspot_pipeline.hubspot.client import HubSpotClient

SEARCH_BODY = {"filterGroups": [], "properties": ["email"], "limit": 1}


def spend(
    base_url: str,
    token: str,
    budget_url: str,
    config: BudgetConfig,
    list_calls: int,
    search_calls: int,
    results,
) -> None:
    """Send list and search requests through the shared budget; report what the client saw."""
    budget = SharedBudget(store_from_url(budget_url), portal_key(base_url, token), config)
    with HubSpotClient(token, base_url=base_url, budget=budget, max_attempts=1) as client:
        for _ in range(list_calls):
            client.list_page("contacts", limit=1)
        for _ in range(search_calls):
            client.search_page("contacts", SEARCH_BODY)
        results.put((client.stats.api_calls, client.stats.http_429))
