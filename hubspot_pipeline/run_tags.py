"""Names shared by the steps that write run data and the sync-runs API that reads it.

Kept free of Dagster and the sync code, so that the API and CLI import it cheaply.
"""

# Run tags set from inside a step.
WORKER_TAG = "hubspot/worker"
ERROR_CATEGORY_TAG = "hubspot/error_category"

# Keys of the progress observations' metadata.
RECORDS_KEY = "records"
TOTAL_KEY = "hubspot_total"
WORKER_KEY = "worker"
