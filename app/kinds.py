"""The kinds of units, the channels a document arrives by and the signing authorities of a
document (Nghị định 30/2020/NĐ-CP), with their Vietnamese labels.

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

# Who signs for whom: the prefix of the signature block ("" when the head signs).
AUTHORITIES: tuple[tuple[str, str], ...] = (
    ("", "Không (người đứng đầu ký)"),
    ("KT.", "KT. – cấp phó ký thay người đứng đầu"),
    ("TM.", "TM. – thay mặt tập thể"),
    ("TL.", "TL. – thừa lệnh"),
    ("TUQ.", "TUQ. – thừa ủy quyền"),
    ("Q.", "Q. – quyền (cấp trưởng)"),
)
AUTHORITY_CODES = tuple(a for a, _ in AUTHORITIES)
