"""Building blocks shared by every scenario section: strict models and numeric types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: A finite number >= 0.
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
#: A finite number in [0, 1] (fractions, never percent).
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    """Frozen model that rejects unknown fields (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
