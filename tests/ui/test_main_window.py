import datetime as dt

from ui.main_window import MainWindow


def test_window_opens_on_sample_data(qtbot, sample_db):
    window = MainWindow(sample_db, today=dt.date(2018, 5, 2))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle().startswith("Sổ theo dõi")
    assert window.as_of == dt.date(2018, 5, 2)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "&Tệp" and menus[-1] == "Trợ &giúp"
    assert {"&Sửa", "&Xem", "&In ấn"} <= set(menus)
    titles = [window.tabs.tabText(i).split(" (")[0] for i in range(window.tabs.count())]
    assert titles == [
        "Tổng quan",
        "Cảnh báo hạn",
        "Đăng ký kế hoạch",
        "Tiếp nhận báo cáo",
        "Văn bản chỉ đạo",
        "Đơn vị",
    ]
    window.set_as_of(dt.date(2018, 6, 25))
    assert window.as_of == dt.date(2018, 6, 25)
    window.today_action.trigger()
    assert window.as_of == dt.date(2018, 5, 2)
