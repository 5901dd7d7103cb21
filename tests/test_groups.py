"""Groups (a module moves and resizes as one; the Direct tool selects inside it) and the
complete align and distribute (six edges, both ways, relative to selection, page, type area)."""
from __future__ import annotations

import pytest

from layout import model as m
from layout.docfile import dump_issue, parse_issue
from layout.grid import PageGeometry

pytest.importorskip("pytestqt")
from editor import arrange  # noqa: E402
from tests.test_editor import click, drag, make_issue, open_window  # noqa: E402

pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def cells(issue, fid):
    f = issue.frame(fid)[1]
    return (f.col, f.line, f.cols, f.lines)


def test_group_id_round_trips():
    iss = make_issue()
    for fr in iss.pages[0].frames[:2]:
        fr.group = "g1"
    text = dump_issue(iss)
    assert text.count("group: g1") == 2
    assert parse_issue(text) == iss


def test_group_select_move_as_one_then_direct_select_and_ungroup(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    iss = doc.issue
    win.scene.set_selection(["h1", "t1", "ph"])
    win.acts["group"].trigger()                                   # Ctrl+G
    gid = iss.frame("h1")[1].group
    assert gid and {iss.frame(f)[1].group for f in ("h1", "t1", "ph")} == {gid}
    assert iss.frame("t2")[1].group == ""
    # a click on one member selects the module
    win.scene.set_selection([])
    x, y, w, h = g.frame_rect(iss.frame("t1")[1])
    click(view, (x + w / 2, y + h / 2))
    assert sorted(win.scene.selection) == ["h1", "ph", "t1"]
    # dragging it moves every member by the same cells
    before = {f: cells(iss, f) for f in ("h1", "t1", "ph")}
    drag(view, (x + w / 2, y + h / 2), (x + w / 2, y + h / 2 + 6 * g.pitch))
    for f, (c, ln, cs, ls) in before.items():
        assert cells(iss, f) == (c, ln + 6, cs, ls)
    assert cells(iss, "t2") == (2, 10, 1, 20)
    doc.undo.undo()                                               # one undo step
    assert {f: cells(iss, f) for f in before} == before
    # the Direct tool picks one member and moves it alone
    view.set_tool("direct")
    click(view, (x + w / 2, y + h / 2))
    assert win.scene.selection == ["t1"]
    drag(view, (x + w / 2, y + h / 2), (x + w / 2, y + h / 2 + 2 * g.pitch))
    assert cells(iss, "t1") == (0, 12, 1, 5) and cells(iss, "h1") == before["h1"]
    view.set_tool("select")
    win.scene.set_selection(["t1"])
    win.acts["ungroup"].trigger()                                 # Ctrl+Shift+G
    assert all(iss.frame(f)[1].group == "" for f in ("h1", "t1", "ph"))
    doc.undo.undo()
    assert iss.frame("ph")[1].group == gid


def test_a_group_resizes_as_one_by_its_handles(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    iss = doc.issue
    win.scene.set_selection(["h1", "t1"])          # cols 0-3, lines 0-14: a 4 × 15 module
    win.acts["group"].trigger()
    win.scene.set_selection(["h1", "t1"])
    tool = view.tools["select"]
    r = tool.group_rect(["h1", "t1"])
    assert (r.left(), r.top()) == pytest.approx((g.col_x(0), g.line_y(0)))
    # the bottom-right handle of the module, dragged to 8 columns × 30 lines
    drag(view, (r.right(), r.bottom()), (g.col_x(7) + g.column, g.line_y(30)))
    assert cells(iss, "h1") == (0, 0, 8, 16)
    assert cells(iss, "t1") == (0, 20, 2, 10)
    doc.undo.undo()
    assert cells(iss, "h1") == (0, 0, 4, 8) and cells(iss, "t1") == (0, 10, 1, 5)


# ---------------------------------------------------------------- align and distribute
def _edges(geo, iss, ids):
    out = {}
    for f in ids:
        x, y, w, h = geo.frame_rect(iss.frame(f)[1])
        out[f] = (x, x + w / 2, x + w, y, y + h / 2, y + h)
    return out


def free_issue():
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.pages = [m.Page(1, frames=[
        m.BoxFrame("a", box=["10mm", "10mm", "20mm", "30mm"]),
        m.BoxFrame("b", box=["60mm", "40mm", "40mm", "10mm"]),
        m.BoxFrame("c", box=["150mm", "90mm", "10mm", "20mm"]),
        m.BoxFrame("turned", box=["200mm", "150mm", "40mm", "10mm"], rotate=90)])]
    return iss


@pytest.mark.parametrize("edge,k,ref", [
    ("left", 0, min), ("right", 2, max), ("top", 3, min), ("bottom", 5, max)])
def test_align_edges_relative_to_the_selection(edge, k, ref):
    iss = free_issue()
    geo = PageGeometry.of(iss.paper)
    ids = ["a", "b", "c"]
    want = ref(e[k] for e in _edges(geo, iss, ids).values())
    arrange.align(iss, ids, edge).apply(iss)
    assert [e[k] for e in _edges(geo, iss, ids).values()] == pytest.approx([want] * 3, abs=0.01)


def test_align_centres_relative_to_page_and_type_area():
    iss = free_issue()
    geo = PageGeometry.of(iss.paper)
    arrange.align(iss, ["a", "b"], "center", "page").apply(iss)
    assert [e[1] for e in _edges(geo, iss, ["a", "b"]).values()] == \
        pytest.approx([geo.width / 2] * 2, abs=0.01)
    arrange.align(iss, ["a", "b"], "middle", "area").apply(iss)
    assert [e[4] for e in _edges(geo, iss, ["a", "b"]).values()] == \
        pytest.approx([geo.top + geo.type_height / 2] * 2, abs=0.01)
    # relative to the selection, a single frame has nothing to align to
    assert arrange.align(iss, ["a"], "left") is None
    # a rotated frame aligns by what it covers (its turned bounding box)
    arrange.align(iss, ["turned"], "left", "area").apply(iss)
    x, y, w, h = arrange.bounds(geo, iss.frame("turned")[1])
    assert x == pytest.approx(geo.left, abs=0.01)


def test_distribute_both_ways_with_equal_gaps():
    iss = free_issue()
    geo = PageGeometry.of(iss.paper)
    ids = ["a", "b", "c"]
    arrange.distribute(iss, ids, "y").apply(iss)
    r = sorted((geo.frame_rect(iss.frame(f)[1]) for f in ids), key=lambda r: r[1])
    gaps = [r[i + 1][1] - (r[i][1] + r[i][3]) for i in range(2)]
    assert gaps[0] == pytest.approx(gaps[1], abs=0.01)
    arrange.distribute(iss, ["a", "b"], "x", "page").apply(iss)
    r = sorted((geo.frame_rect(iss.frame(f)[1]) for f in ["a", "b"]), key=lambda r: r[0])
    assert r[0][0] == pytest.approx(0, abs=0.01)
    assert r[1][0] + r[1][2] == pytest.approx(geo.width, abs=0.01)


def test_grid_frames_align_on_whole_columns_and_lines():
    iss = make_issue()
    geo = PageGeometry.of(iss.paper)
    arrange.align(iss, ["t1", "t2", "ph"], "right").apply(iss)
    assert [iss.frame(f)[1].col + iss.frame(f)[1].cols for f in ("t1", "t2", "ph")] == [8, 8, 8]
    arrange.align(iss, ["t1", "t2"], "bottom", "area").apply(iss)
    assert [iss.frame(f)[1].line + iss.frame(f)[1].lines for f in ("t1", "t2")] == \
        [geo.lines] * 2


def test_align_menu_in_the_window_relative_to_the_type_area_and_undo(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    win.scene.set_selection(["t1", "t2"])
    win.acts["relative.area"].trigger()
    assert win.align_relative == "area"
    win.acts["arr.center"].trigger()
    t1, t2 = doc.issue.frame("t1")[1], doc.issue.frame("t2")[1]
    assert (t1.col, t2.col) == (4, 4) or (t1.col, t2.col) == (3, 3)
    win.acts["distribute.y"].trigger()
    assert t1.line == 0 and t2.line + t2.lines == doc.geometry.lines
    doc.undo.undo()
    doc.undo.undo()
    assert (t1.col, t1.line, t2.col, t2.line) == (0, 10, 2, 10)
