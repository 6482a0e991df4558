"""Serializer fields shared by the areas' REST APIs."""

from rest_framework import serializers


class CodeRelatedField(serializers.SlugRelatedField):
    """A related record named by its code (``channel: "phone"``).

    Text holding a NUL character names no record: PostgreSQL cannot even
    compare such text, so without this check the lookup would fail with a
    server error instead of the field's "does not exist" message (found by
    the API fuzzing on PostgreSQL).
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail(
                "does_not_exist",
                slug_name=self.slug_field,
                value=data.replace("\x00", "\\x00"),
            )
        return super().to_internal_value(data)
