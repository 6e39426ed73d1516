"""HubSpot's error bodies (FACTS §11-12, samples/error_*.json), each with a fresh id."""

import uuid

from hubspot_pipeline.simulator.limits import DAILY, SECONDLY, TEN_SECONDLY

# Invented portal id used in the ten-secondly 429's groupName (as in the sample).
PORTAL_ID = 1234567

_RATE_MESSAGES = {
    TEN_SECONDLY: "You have reached your ten_secondly_rolling limit.",
    SECONDLY: "You have reached your secondly limit.",
    DAILY: "You have reached your daily limit.",
}


def correlation_id() -> str:
    return str(uuid.uuid4())


def error_body(category: str, message: str, context: dict | None = None) -> dict:
    body: dict = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id(),
        "category": category,
    }
    if context:
        body["context"] = context
    return body


def invalid_authentication() -> dict:
    return error_body(
        "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication "
        "and you can find more details at "
        "https://developers.hubspot.com/docs/methods/auth/oauth-overview",
    )


def validation_error(message: str) -> dict:
    return error_body("VALIDATION_ERROR", message)


def unknown_object_type(object_type: str) -> dict:
    # UNVERIFIED: HubSpot's answer for an unknown object type; 404 OBJECT_NOT_FOUND chosen.
    return error_body(
        "OBJECT_NOT_FOUND",
        f"Unable to infer object type from: {object_type}",
        {"objectType": [object_type]},
    )


def object_not_found(record_id: str) -> dict:
    return error_body(
        "OBJECT_NOT_FOUND",
        "Object not found.  objectId are usually numeric.",
        {"id": [record_id]},
    )


def rate_limited(policy: str) -> dict:
    """The 429 body of one policy, field for field as in the samples."""
    body: dict = {
        "status": "error",
        "message": _RATE_MESSAGES[policy],
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id(),
        "policyName": policy,
    }
    if policy == TEN_SECONDLY:
        body["groupName"] = f"publicapi:private-app-api-calls-ten-secondly:{PORTAL_ID}"
    elif policy == SECONDLY:
        body["requestId"] = uuid.uuid4().hex
    else:
        body["requestId"] = str(uuid.uuid4())
    return body


def missing_scopes(scope: str) -> dict:
    """403 for a token without the object type's scope (samples/error_403_missing_scopes)."""
    body = error_body(
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call. Read more about "
        "required scopes here: https://developers.hubspot.com/scopes.",
    )
    body["errors"] = [
        {
            "message": "One or more of the following scopes are required.",
            "context": {"requiredScopes": [scope]},
        }
    ]
    body["links"] = {"scopes": "https://developers.hubspot.com/scopes"}
    return body


def expired_authentication(seconds_ago: int, expired_at: str) -> dict:
    """401 for an expired OAuth access token (samples/error_401_expired_authentication)."""
    if seconds_ago < 60:
        ago = f"{seconds_ago} second(s)"
    elif seconds_ago < 3600:
        ago = f"{seconds_ago // 60} minute(s)"
    else:
        ago = f"{seconds_ago // 3600} hour(s)"
    return error_body(
        "EXPIRED_AUTHENTICATION",
        f"The OAuth token used to make this call expired {ago} ago.",
        {"expire time": [expired_at]},
    )


def batch_not_found(error_name: str, ids: list[str]) -> dict:
    """The error of a batch read for ids that do not exist (FACTS §4, UNVERIFIED text)."""
    return {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": (
            f"Could not get some {error_name} objects, they may be deleted or not exist. "
            "Check that ids are valid."
        ),
        "context": {"ids": ids},
        # The spec's StandardError requires both, even when empty.
        "errors": [],
        "links": {},
    }


def service_unavailable() -> dict:
    """What the `fail_object_types` knob answers: an outage of HubSpot's backend."""
    return error_body("SERVICE_UNAVAILABLE", "The service is temporarily unavailable.")
