"""The kinds of units and the channels a document arrives by, with their Vietnamese labels.

Pure (no database layer), so that the command line can offer them as choices without loading
SQLAlchemy; the models (``app.models``) store their values and export them as before.
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    """In the order of the unit order (docs/domain.md, "The order of units")."""

    DEPARTMENT = "so_nganh"
    DISTRICT = "huyen"
    COMMUNE = "xa"
    OTHER = "khac"

    @property
    def label(self) -> str:
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.DEPARTMENT: "Sở, ban, ngành tỉnh",
    UnitKind.DISTRICT: "UBND cấp huyện",
    UnitKind.COMMUNE: "UBND cấp xã",
    UnitKind.OTHER: "Khác",
}


class Channel(StrEnum):
    PAPER = "giay"
    EMAIL = "email"
    SYSTEM = "he_thong"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PAPER: "Giấy (bưu chính, văn thư)",
    Channel.EMAIL: "Thư điện tử",
    Channel.SYSTEM: "Hệ thống quản lý văn bản",
}
