"""Attachments stored in the database (bytea on PostgreSQL, BLOB on SQLite)."""

import hashlib

import pytest
from sqlalchemy import update

from app.errors import NotFound, ValidationError
from app.models import AttachmentBlob
from app.services import attachment_blobs as blobs
from app.services import audit


def test_put_get_extract_round_trip(db, tmp_path):
    content = b"%PDF-1.4\n" + bytes(range(256)) * 1000 + b"\x00\xff"
    scan = tmp_path / "Báo cáo 6 tháng: Sơn Tịnh?.pdf"
    scan.write_bytes(content)
    ref = blobs.put(db, "submission", 7, scan)
    assert blobs.is_ref(ref) and not blobs.is_ref(str(scan)) and not blobs.is_ref("")
    assert blobs.get(db, ref) == content
    info = blobs.info(db, ref)
    assert info.size == len(content) and info.sha256 == hashlib.sha256(content).hexdigest()
    assert info.filename == "Báo cáo 6 tháng_ Sơn Tịnh_.pdf"  # Windows accepts it
    assert blobs.put(db, "submission", 7, scan) == ref  # same content, same record: stored once
    assert [b.ref for b in blobs.list_for(db, "submission", 7)] == [ref]

    out = tmp_path / "mo-tep"
    first = blobs.extract_to(db, ref, out)
    assert first.read_bytes() == content and first.parent == out
    assert blobs.extract_to(db, ref, out) == first  # identical file reused
    first.write_bytes(b"changed by the user")
    second = blobs.extract_to(db, ref, out)  # a different file there is never overwritten
    assert second != first and second.name.endswith("(2).pdf")
    assert first.read_bytes() == b"changed by the user" and second.read_bytes() == content
    assert not list(out.glob("*.tmp"))
    assert audit.history(db, "attachment")[0].summary.startswith("Đính kèm tệp")


def test_errors_are_clear(db, tmp_path, monkeypatch):
    with pytest.raises(ValidationError) as err:
        blobs.put(db, "directive", 1, tmp_path / "khong-co.pdf")
    assert "Không tìm thấy tệp" in err.value.message
    big = tmp_path / "lon.pdf"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(blobs, "MAX_SIZE", 1024)
    with pytest.raises(ValidationError) as err:
        blobs.put(db, "directive", 1, big)
    assert "quá lớn" in err.value.message
    with pytest.raises(NotFound):
        blobs.get(db, "db:999999")
    with pytest.raises(NotFound):
        blobs.get(db, "C:/tep.pdf")


def test_damaged_content_is_detected_and_delete(db, tmp_path):
    scan = tmp_path / "a.pdf"
    scan.write_bytes(b"original content")
    ref = blobs.put(db, "directive", 1, scan)
    with db.write() as session:
        session.execute(update(AttachmentBlob).values(content=b"tampered content"))
    with pytest.raises(NotFound) as err:
        blobs.get(db, ref)
    assert "bị hỏng" in err.value.message
    blobs.delete(db, ref)
    assert blobs.list_for(db, "directive", 1) == []
    blobs.delete(db, ref)  # twice: nothing to do
