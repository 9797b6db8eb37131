"""Messages the window shows speak of the window, never of the command line."""

from __future__ import annotations

import pytest

from app.db import Database
from app.errors import NotFound
from app.services.units import find_unit


def test_unknown_unit_points_to_the_units_tab(sample_db: Database) -> None:
    with sample_db.read() as session, pytest.raises(NotFound) as err:
        find_unit(session, "Sở Không Có")
    message = err.value.message
    assert "Sở Không Có" in message and "thẻ “Đơn vị”" in message
    assert "lệnh" not in message and "`" not in message
