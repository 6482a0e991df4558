"""Evidence files are checked by content with the shared upload rules."""

from qms.uploads import validate_upload as validate_evidence

__all__ = ["validate_evidence"]
