"""Simple tables (weather, markets, results): the model and file format, the engine's
glyph runs and rules, the table dialog driven as a user would, and the PDF."""
from __future__ import annotations

import subprocess
import sys

import pytest

from layout import model as m
from layout.compose import compose_issue
from layout.docfile import DocumentError, dump_issue, parse_issue
from layout.grid import PageGeometry
from layout.result import BoxItem, RuleItem
from support.fakefont import SquareFontSet
from support.paths import MAIN, ROOT

CELLS = [["城市", "天气", "气温"],
         ["兰州", "晴", "12.5"],
         ["天水", "多云", "8.25"],
         ["酒泉", "小雨", "105"]]


def table_issue(**kw) -> m.Issue:
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    fields = dict(cells=[list(r) for r in CELLS], align=["left", "center", "decimal"])
    fields.update(kw)
    iss.pages = [m.Page(1, frames=[m.TableFrame("tb", col=0, line=2, cols=3, lines=8,
                                                **fields)])]
    return iss


def table_result(iss):
    return compose_issue(iss, SquareFontSet()).pages[0].frames[0]


def row_runs(fr, row):
    return [r for r in fr.runs if r.source.para == row]


def test_four_by_three_table_composes_into_runs_and_rules():
    iss = table_issue()
    fr = table_result(iss)
    assert fr.kind == "table"
    text = "".join(r.text for r in fr.runs)
    for row in CELLS:
        for cell in row:
            assert cell in text
    geo = PageGeometry.of(iss.paper)
    x, y, w, h = fr.rect
    # rows stand on successive grid lines: one baseline per row
    baselines = [sorted({r.y for r in row_runs(fr, i)}) for i in range(4)]
    assert all(len(b) == 1 for b in baselines)
    steps = [b2[0] - b1[0] for b1, b2 in zip(baselines, baselines[1:])]
    assert steps == pytest.approx([geo.pitch] * 3)
    # the rules: a box around the rows, a rule under the header
    boxes = [it for it in fr.items if isinstance(it, BoxItem)]
    rules = [it for it in fr.items if isinstance(it, RuleItem)]
    assert len(boxes) == 1 and boxes[0].rect[0] == x and boxes[0].rect[2] == w
    assert boxes[0].rect[3] == pytest.approx(4 * geo.pitch)
    assert [r.y0 for r in rules] == pytest.approx([y + geo.pitch])
    # every glyph inside the frame's width
    for r in fr.runs:
        assert x <= r.xs[0] and r.right <= x + w + 0.01


def test_decimal_column_lines_up_the_decimal_points_and_units():
    fr = table_result(table_issue())
    points = []
    for row in (1, 2, 3):
        run = [r for r in row_runs(fr, row) if any(c.isdigit() for c in r.text)][0]
        text = run.text
        dot = text.find(".") if "." in text else len(text)
        # where the decimal point is (or would be): pen x of the character after the integer
        points.append(run.xs[dot] if dot < len(text) else run.right)
    assert points[0] == pytest.approx(points[1]) == pytest.approx(points[2])


def test_right_and_center_alignment_and_header_centred():
    iss = table_issue(align=["right", "center", "left"])
    fr = table_result(iss)
    col0 = [[r for r in row_runs(fr, row) if r.text in ("兰州", "天水", "酒泉")][0]
            for row in (1, 2, 3)]
    assert col0[0].right == pytest.approx(col0[1].right) == pytest.approx(col0[2].right)
    sun = [r for r in row_runs(fr, 1) if r.text == "晴"][0]
    cloud = [r for r in row_runs(fr, 2) if r.text == "多云"][0]
    assert (sun.xs[0] + sun.right) / 2 == pytest.approx((cloud.xs[0] + cloud.right) / 2)
    head = [r for r in row_runs(fr, 0) if r.text == "天气"][0]          # header: centred
    assert (head.xs[0] + head.right) / 2 == pytest.approx((sun.xs[0] + sun.right) / 2)
    city = [r for r in row_runs(fr, 0) if r.text == "城市"][0]         # over a right column
    assert city.right < col0[0].right - 1


def test_row_and_column_rules_and_no_outer_box():
    iss = table_issue(rules=m.TableRules(outer=False, header=True, rows=True, columns=True))
    fr = table_result(iss)
    assert not [it for it in fr.items if isinstance(it, BoxItem)]
    rules = [it for it in fr.items if isinstance(it, RuleItem)]
    horizontal = [r for r in rules if r.y0 == r.y1]
    vertical = [r for r in rules if r.x0 == r.x1]
    assert len(horizontal) == 1 + 2          # under the header, between the 3 body rows
    assert len(vertical) == 2                # between 3 columns


def test_long_cells_wrap_and_a_short_frame_warns():
    iss = table_issue(cells=[["名称", "说明"], ["甲", "一段很长很长的说明文字" * 8]],
                      align=[])
    iss.pages[0].frames[0].lines = 1
    res = compose_issue(iss, SquareFontSet())
    fr = res.pages[0].frames[0]
    assert len({r.y for r in row_runs(fr, 1)}) > 1           # the long cell wraps
    assert any(d.code == "table-fit" for d in res.diagnostics)


def test_table_round_trips_through_yaml():
    iss = table_issue(header_style="subhead",
                      rules=m.TableRules(rows=True, weight="0.75pt"))
    text = dump_issue(iss)
    assert "type: table" in text and "cells:" in text
    again = parse_issue(text)
    assert again == iss
    assert dump_issue(again) == text


@pytest.mark.parametrize("bad,message", [
    ("      - [兰州, 晴]\n", "row 2 has 2 cells, the first row has 3"),
    ("      - [兰州, 晴, '12', '3']\n", "row 2 has 4 cells, the first row has 3"),
])
def test_ragged_rows_are_refused_with_the_line(bad, message):
    text = ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: table\n    id: tb\n"
            "    cells:\n      - [城市, 天气, 气温]\n" + bad)
    with pytest.raises(DocumentError) as exc:
        parse_issue(text, "t.yaml")
    assert message in str(exc.value)
    assert str(exc.value).startswith("t.yaml:5:")


def test_unknown_alignment_is_refused():
    text = ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: table\n    id: tb\n"
            "    cells: [[a, b]]\n    align: [left, middle]\n")
    with pytest.raises(DocumentError, match="t.yaml:8: .*'middle' is not one of left, center, "
                                            "right, decimal"):
        parse_issue(text, "t.yaml")


# ---------------------------------------------------------------- the editor
pytest.importorskip("pytestqt")
from tests.test_editor import open_window  # noqa: E402
pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def test_build_a_four_by_three_table_in_the_dialog(env, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from editor.tabledialog import TableDialog
    app, path, _ = env
    win = open_window(app, path, qtbot)
    win.scene.set_selection([])
    seen = {}

    def fill():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, TableDialog)
        dlg.rows.setValue(4)
        dlg.cols.setValue(3)
        for r, row in enumerate(CELLS):
            for c, text in enumerate(row):
                dlg.set_cell(r, c, text)
        dlg.aligns[2].setCurrentIndex(dlg.aligns[2].findData("decimal"))
        dlg.rules["rows"].setChecked(True)
        seen["ok"] = True
        dlg.accept()
    QTimer.singleShot(0, fill)
    win.table_dialog()
    assert seen.get("ok")
    sel = win.scene.selection
    assert len(sel) == 1
    table = win.doc.issue.frame(sel[0])[1]
    assert isinstance(table, m.TableFrame)
    assert table.cells == CELLS and table.align == ["left", "left", "decimal"]
    assert table.rules.rows and table.header
    fr = [f for f in win.doc.result.page(1).frames if f.frame_id == table.id][0]
    assert "兰州" in "".join(r.text for r in fr.runs)
    # edit a cell of the selected table in the dialog again: one more undo step
    def change():
        dlg = QApplication.activeModalWidget()
        assert dlg.grid.item(1, 2).text() == "12.5"
        dlg.set_cell(1, 2, "13.0")
        dlg.accept()
    QTimer.singleShot(0, change)
    win.table_dialog()
    assert table.cells[1][2] == "13.0"
    win.doc.undo.undo()
    assert win.doc.issue.frame(table.id)[1].cells[1][2] == "12.5"
    # a double click on the table opens its dialog; Cancel changes nothing
    from PySide6.QtCore import QEvent
    from tests.test_editor import mouse
    shown = {}

    def cancel():
        dlg = QApplication.activeModalWidget()
        shown["cells"] = dlg.values()["cells"]
        dlg.reject()
    x, y, w, h = win.doc.geometry.frame_rect(table)
    win.scene.set_selection([])
    QTimer.singleShot(0, cancel)
    mouse(win.view, QEvent.Type.MouseButtonDblClick, (x + w / 2, y + h / 2))
    assert shown["cells"] == CELLS and win.scene.selection == [table.id]
    win.doc.undo.undo()
    with pytest.raises(KeyError):
        win.doc.issue.frame(table.id)


# ---------------------------------------------------------------- the PDF
def test_pdf_has_the_table_text_and_rules(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pymupdf = pytest.importorskip("pymupdf")
    iss = table_issue(rules=m.TableRules(rows=True))
    path = tmp_path / "t.yaml"
    path.write_text(dump_issue(iss), encoding="utf-8")
    out = tmp_path / "t.pdf"
    proc = subprocess.run([sys.executable, str(MAIN), "export", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    text = pymupdf.open(out)[0].get_text()
    for row in CELLS:
        for cell in row:
            assert cell in text
    from pypdf.generic import ContentStream
    reader = pypdf.PdfReader(out)
    ops = ContentStream(reader.pages[0].get_contents(), reader).operations
    lines = [op for op in ops if op[1] == b"l"]
    rects = [op for op in ops if op[1] == b"re"]
    geo = PageGeometry.of(iss.paper)
    x, y, w, h = geo.frame_rect(iss.pages[0].frames[0])
    widths = [float(o[0][2]) for o in rects]
    assert any(abs(v - w) < 0.01 for v in widths)           # the outer box
    assert len(lines) >= 3                                  # header rule + 2 row rules
