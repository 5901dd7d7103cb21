"""Text wrap controls: on or off, an offset in mm or 字, around the frame or the picture's
crop, a rotated photo by its bounding box; the file format and the properties dock."""
from __future__ import annotations

import pytest

from layout import model as m
from layout.compose import compose_issue
from layout.docfile import DocumentError, dump_issue, parse_issue
from layout.grid import PageGeometry
from support.fakefont import SquareFontSet

TEXT = "工会服务职工" * 400


def wrap_issue(*frames) -> m.Issue:
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(TEXT)])],
                               thread=["t"])
    iss.pages = [m.Page(1, frames=[m.TextFrame("t", col=0, line=0, cols=4, lines=40),
                                   *frames])]
    return iss


def rows_by_column(iss, base_dir="."):
    """Grid rows holding text, per basic column of the text frame."""
    geo = PageGeometry.of(iss.paper)
    res = compose_issue(iss, SquareFontSet(), base_dir=base_dir)
    fr = [f for f in res.pages[0].frames if f.frame_id == "t"][0]
    out = {c: set() for c in range(4)}
    for ln in fr.lines:
        col = min(range(4), key=lambda c: abs(geo.col_x(c) - ln.x))
        out[col].add(geo.line_at(ln.y))
    return out


def empty_rows(iss, col, base_dir="."):
    return set(range(40)) - rows_by_column(iss, base_dir)[col]


def photo(**kw):
    return m.PhotoFrame("ph", col=0, line=10, cols=2, lines=10, **kw)


def test_photo_wraps_its_frame_by_default():
    assert empty_rows(wrap_issue(photo()), 0) == set(range(10, 20))
    assert empty_rows(wrap_issue(photo()), 2) == set()


def test_no_wrap():
    assert empty_rows(wrap_issue(photo(wrap=m.Wrap("none"))), 0) == set()


def test_offset_in_zi_and_mm_widens_the_wrap():
    one_zi = wrap_issue(photo(wrap=m.Wrap("frame", "1字")))
    assert empty_rows(one_zi, 0) == set(range(9, 21))
    assert empty_rows(one_zi, 2) == set()              # 1字 reaches only the gutter
    two_zi = wrap_issue(photo(wrap=m.Wrap("frame", "2字")))
    assert empty_rows(two_zi, 2) == set(range(8, 22))  # 2字 (18 pt) reaches column 3
    mm = wrap_issue(photo(wrap=m.Wrap("frame", "5mm")))     # 14.2 pt: more than a line
    assert empty_rows(mm, 0) == set(range(8, 22))


def test_wrap_around_the_crop_follows_the_picture(tmp_path):
    from PIL import Image
    Image.new("RGB", (800, 200), "white").save(tmp_path / "wide.png")
    frame_mode = wrap_issue(photo(image="wide.png", fit="fit"))
    crop_mode = wrap_issue(photo(image="wide.png", fit="fit", wrap=m.Wrap("crop")))
    assert empty_rows(frame_mode, 0, str(tmp_path)) == set(range(10, 20))
    got = empty_rows(crop_mode, 0, str(tmp_path))
    assert got == set(range(12, 18))                   # the letterboxed picture only


def test_a_rotated_photo_wraps_by_its_bounding_box():
    straight = empty_rows(wrap_issue(photo()), 0)
    turned = empty_rows(wrap_issue(photo(rotate=90.0)), 0)
    assert turned > straight and len(turned) >= 20     # 2 columns tall once turned


def test_boxes_wrap_only_when_asked():
    box = m.BoxFrame("bx", col=2, line=5, cols=1, lines=5)
    assert empty_rows(wrap_issue(box), 2) == set()
    box = m.BoxFrame("bx", col=2, line=5, cols=1, lines=5, wrap=m.Wrap("frame", "0"))
    assert empty_rows(wrap_issue(box), 2) == set(range(5, 10))


def test_old_true_false_still_load_and_the_new_form_round_trips():
    head = "banmian: 1\npages:\n- number: 1\n  frames:\n  - type: photo\n    id: p\n"
    assert parse_issue(head + "    wrap: false\n").pages[0].frames[0].wrap == m.Wrap("none")
    assert parse_issue(head + "    wrap: true\n").pages[0].frames[0].wrap == m.Wrap("frame")
    iss = parse_issue(head + "    wrap: {mode: crop, offset: 1字}\n")
    assert iss.pages[0].frames[0].wrap == m.Wrap("crop", "1字")
    text = dump_issue(iss)
    assert "offset: 1字" in text
    assert parse_issue(text) == iss
    assert "wrap" not in dump_issue(parse_issue(head + "    wrap: true\n"))


@pytest.mark.parametrize("value,message", [
    ("{mode: around}", "'around' is not one of frame, crop, none"),
    ("{offset: 3furlongs}", "wrap offset"),
    ("{mode: crop, size: 3}", "unknown key 'size'"),
])
def test_bad_wrap_is_refused_with_the_line(value, message):
    text = ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: photo\n    id: p\n"
            f"    wrap: {value}\n")
    with pytest.raises(DocumentError) as exc:
        parse_issue(text, "w.yaml")
    assert message in str(exc.value)
    assert str(exc.value).startswith(("w.yaml:7:", "w.yaml:5:"))


# ---------------------------------------------------------------- the properties dock
pytest.importorskip("pytestqt")
from tests.test_editor import open_window  # noqa: E402
pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def test_set_wrap_offset_and_mode_in_the_properties_dock(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, props = win.doc, win.props
    win.scene.set_selection(["ph"])
    assert props.wrap_mode.isEnabled() and props.wrap_mode.currentData() == "frame"
    props.wrap_offset.setText("1字")
    props.wrap_offset.editingFinished.emit()
    assert doc.issue.frame("ph")[1].wrap == m.Wrap("frame", "1字")
    props.wrap_offset.setText("3 furlongs")
    props.wrap_offset.editingFinished.emit()
    assert doc.issue.frame("ph")[1].wrap.offset == "1字"
    assert props.wrap_offset.text() == "1字"
    props.wrap_mode.setCurrentIndex(props.wrap_mode.findData("none"))
    props.wrap_mode.activated.emit(props.wrap_mode.currentIndex())
    assert doc.issue.frame("ph")[1].wrap == m.Wrap("none", "1字")
    doc.undo.undo()
    doc.undo.undo()
    assert doc.issue.frame("ph")[1].wrap == m.Wrap()
