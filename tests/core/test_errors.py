"""The typed errors' wording."""

from app.errors import NotFound


def test_not_found_for_a_record_asked_by_its_id():
    assert NotFound.for_("đơn vị", 7).message == "Không tìm thấy đơn vị (mã 7)."
    gone = NotFound.for_("văn bản", 12, maybe_deleted=True)
    assert gone.message == "Không tìm thấy văn bản (mã 12); có thể đã bị xoá."
    assert isinstance(gone, NotFound) and gone.exit_code == 2
