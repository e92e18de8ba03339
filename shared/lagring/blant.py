"""`kolonne IN (...)` for hundreds of values, cheaply on both stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def blant(s: Session, kolonne: Any, verdier: Sequence[str]) -> Any:
    """`kolonne IN verdier`; on PostgreSQL as one array parameter (`= ANY(...)`), since the
    driver's parsing of hundreds of placeholders, and the planner's of as many OR branches,
    cost far more than the query itself."""
    if s.get_bind().dialect.name == "postgresql":
        return kolonne == any_(literal(list(verdier), ARRAY(String)))
    return kolonne.in_(verdier)
