"""The one error hierarchy of the HubSpot client, by what the caller should do about it.

Every failure that leaves the client is a `HubSpotError` with a `category`:

- transient: wait and retry (429, 5xx, timeouts, connection resets);
- auth: a person must fix the token or its scopes, so retrying is pointless;
- validation: the request itself is wrong (unknown object type, bad filter, bad window);
- data: one record or value cannot be read or loaded; the rest of the sync goes on.

Messages name the HTTP status, the object type and the path, never a token.
"""

from enum import StrEnum


class ErrorCategory(StrEnum):
    TRANSIENT = "transient"
    AUTH = "auth"
    VALIDATION = "validation"
    DATA = "data"


class HubSpotError(Exception):
    """Base of every error the client raises; `category` decides retry and alerting."""

    category: ErrorCategory = ErrorCategory.TRANSIENT

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        path: str | None = None,
        hubspot_category: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.path = path
        self.hubspot_category = hubspot_category
        self.correlation_id = correlation_id


class TransientError(HubSpotError):
    category = ErrorCategory.TRANSIENT


class RateLimitError(TransientError):
    """A 429: `policy_name` says which HubSpot limit was hit (TEN_SECONDLY_ROLLING, ...)."""

    def __init__(self, message: str, *, policy_name: str | None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.policy_name = policy_name


class DailyLimitExhaustedError(RateLimitError):
    """The portal's daily budget is spent; retrying before it resets only adds errors."""


class AuthError(HubSpotError):
    category = ErrorCategory.AUTH


class ValidationError(HubSpotError):
    category = ErrorCategory.VALIDATION


class DataError(HubSpotError):
    category = ErrorCategory.DATA
