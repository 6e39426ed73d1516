"""Run priorities in the queue: a person's or a webhook's request overtakes backfills.

The QueuedRunCoordinator starts queued runs highest `dagster/priority` first (0 when
untagged, as the UI's materialize button leaves it), in order of arrival within a
priority. Runs of the bulk sync job carry the backfill priority, so a backfill in many
runs never makes an urgent sync wait for all of them.
"""

PRIORITY_TAG = "dagster/priority"
URGENT = 10  # webhooks and explicit requests of a person through the API
DEFAULT = 0  # the UI's materialize button and schedules
BACKFILL = -10  # the bulk job: history, catch-up in many runs


def priority_tags(priority: int) -> dict[str, str]:
    return {PRIORITY_TAG: str(priority)}
