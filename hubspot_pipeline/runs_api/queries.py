"""The GraphQL operations the sync-runs client sends to Dagster's webserver."""

ERRORS = """
    __typename
    ... on Error { message }
"""
# Launch results may also be these, which carry no `message`.
LAUNCH_ERRORS = """
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidStepError { invalidStepKey }
"""

REPOSITORIES = f"""
query Repositories {{
  repositoriesOrError {{
    {ERRORS}
    ... on RepositoryConnection {{
      nodes {{ name location {{ name }} pipelines {{ name }} }}
    }}
  }}
}}
"""

JOB_ASSETS = """
query JobAssets($selector: PipelineSelector!) {
  assetNodes(pipeline: $selector) { assetKey { path } partitionKeys }
}
"""

RUN_FIELDS = """
    runId
    jobName
    status
    creationTime
    startTime
    endTime
    parentRunId
    rootRunId
    stepKeysToExecute
    assetSelection { path }
    tags { key value }
    stepStats { stepKey status startTime endTime attempts { startTime } }
"""

METADATA_ENTRY = """
fragment Entry on MetadataEntry {
  label
  ... on IntMetadataEntry { intValue }
  ... on FloatMetadataEntry { floatValue }
  ... on TextMetadataEntry { text }
}
"""

LAUNCH_RUN = f"""
mutation Launch($params: ExecutionParams!) {{
  launchRun(executionParams: $params) {{
    {ERRORS}
    {LAUNCH_ERRORS}
    ... on LaunchRunSuccess {{ run {{ runId status }} }}
  }}
}}
"""

REEXECUTE = f"""
mutation Reexecute($params: ReexecutionParams!) {{
  launchRunReexecution(reexecutionParams: $params) {{
    {ERRORS}
    {LAUNCH_ERRORS}
    ... on LaunchRunSuccess {{ run {{ runId status }} }}
  }}
}}
"""

TERMINATE = f"""
mutation Terminate($runId: String!) {{
  terminateRun(runId: $runId) {{
    {ERRORS}
    ... on TerminateRunSuccess {{ run {{ runId status }} }}
    ... on TerminateRunFailure {{ message }}
  }}
}}
"""

RUN = f"""
query Run($runId: ID!) {{
  runOrError(runId: $runId) {{
    {ERRORS}
    ... on Run {{ {RUN_FIELDS} }}
  }}
}}
"""

RUNS = f"""
query Runs($filter: RunsFilter, $limit: Int) {{
  runsOrError(filter: $filter, limit: $limit) {{
    {ERRORS}
    ... on Runs {{ results {{ {RUN_FIELDS} }} }}
  }}
}}
"""

# Only the events the tracking needs are spelled out; the rest arrive as bare typenames.
RUN_EVENTS = f"""
query RunEvents($runId: ID!, $afterCursor: String, $limit: Int) {{
  logsForRun(runId: $runId, afterCursor: $afterCursor, limit: $limit) {{
    {ERRORS}
    ... on EventConnection {{
      cursor
      hasMore
      events {{
        __typename
        ... on MessageEvent {{ timestamp message }}
        ... on StepEvent {{ stepKey }}
        ... on ObservationEvent {{ metadataEntries {{ ...Entry }} }}
        ... on MaterializationEvent {{ metadataEntries {{ ...Entry }} }}
        ... on ExecutionStepFailureEvent {{
          error {{ message }}
          failureMetadata {{ description metadataEntries {{ ...Entry }} }}
        }}
        ... on RunFailureEvent {{ error {{ message }} }}
      }}
    }}
  }}
}}
{METADATA_ENTRY}
"""
