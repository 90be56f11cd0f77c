"""Today's date, read once per run, so date rules can be tested against a fixed day."""
from __future__ import annotations

import datetime as dt
import os


def current_date() -> dt.date:
    """Return today's date, or ``CLUSTERGRID_TODAY`` (YYYY-MM-DD) when set, for tests and reproducible checks."""
    fixed = os.environ.get("CLUSTERGRID_TODAY", "")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass  # an unusable override falls back to the real clock rather than stopping every command
    return dt.date.today()
