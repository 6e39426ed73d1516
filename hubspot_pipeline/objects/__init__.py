"""Per-object rules: what differs between HubSpot object types, and nothing more."""

from hubspot_pipeline.objects.specs import CRM_OBJECTS, ObjectSpec, get_spec

__all__ = ["CRM_OBJECTS", "ObjectSpec", "get_spec"]
