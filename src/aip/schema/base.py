"""Building blocks shared by every scenario section: strict models and numeric types."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

#: A finite number >= 0.
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
#: A finite number in [0, 1] (fractions, never percent).
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    """Frozen model that rejects unknown fields (a typo must not be silently ignored), and
    true/false where a number belongs (pydantic would read ``n_minus: true`` as 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_false_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _numeric(field.annotation):
            raise ValueError(
                "a number, not true/false (YAML reads yes/no/on/off as true/false); "
                "fix: write the number"
            )
        return value


def _numeric(annotation: Any) -> bool:
    """A number type (int or float, maybe constrained or optional) that takes no bool."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _numeric(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = get_args(annotation)
        return bool not in members and Any not in members and any(map(_numeric, members))
    return annotation in (int, float)
