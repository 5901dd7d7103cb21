"""The main window: page view in the centre, tools left, docks right, status bar below."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication
from PySide6.QtWidgets import (QAbstractScrollArea, QDockWidget, QFileDialog, QFrame,
                               QInputDialog, QLabel, QMainWindow, QMessageBox, QScrollArea)

from layout import edits as E
from layout import lockfile
from layout import model as m
from layout.units import mm

from . import actions, arrange
from . import clipboard as C
from . import contextmenu
from . import snap as S
from .autosave import Autosaver
from .controlbar import ControlBar
from .document import ReadOnlyError
from .exporting import Exporter
from .findreplace import FindPanel
from .i18n import tr
from .layers import LayersDock
from .masters import MastersDock
from .pagelist import PageList
from .preflight import PreflightList
from .properties import Properties
from .render import FontCache, PixmapCache
from .scene import PageScene
from .storyeditor import StoryEditor
from .storylist import StoryList
from .styles import StylesPanel
from .swatches import SwatchesDock
from .textedit import TextController
from .view import PageView


class MainWindow(QMainWindow):
    """One open document."""

    def __init__(self, app, doc, parent=None):
        super().__init__(parent)
        self.app, self.doc = app, doc
        doc.setParent(self)                 # the document lives and dies with its window
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.fonts = FontCache(doc.fontset)
        self.images = PixmapCache()
        self.text = TextController(doc, self)
        self.scene = PageScene(doc, self.fonts, self.images, self)
        self.view = PageView(doc, self.scene, self.text, self)
        self.setCentralWidget(self.view)
        self.acts = actions.build(self, app.preset)
        self.tools_bar, self.tool_acts = actions.build_tools(self, app.preset)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.tools_bar)
        self._extra_tools()
        self.acts["duplicate"].setStatusTip(tr("duplicate.tip"))
        self.control = ControlBar(doc, self.text, self.scene, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.control)
        self._docks()
        self._arrange_actions()
        from .proofing import install as install_proofing
        self.proofing = install_proofing(self)        # 校对 menu, 改动 and 校对意见 docks
        for key, act in self.dock_acts.items():       # docks hidden before the window showed
            act.setChecked(not self.findChild(QDockWidget, key).isHidden())
        self._keymap_menu()
        self._status()
        self.autosaver = Autosaver(doc, app.cache_dir, app.autosave_ms, app.autosave_every, self,
                                   quiet_ms=getattr(app, "autosave_quiet_ms", 3_000))
        self.autosaver.saved.connect(lambda _p: self.statusBar().showMessage(
            tr("status.autosaved"), 3000))
        self.exporter = Exporter(self)
        doc.changed.connect(self._changed)
        doc.refused.connect(lambda msg: self.statusBar().showMessage(
            tr("status.refused", msg=msg), 6000))
        doc.undo.cleanChanged.connect(self._title)
        doc.pathChanged.connect(self._title)
        doc.readOnlyChanged.connect(self._read_only_changed)
        self.lock_timer = QTimer(self)             # the lock's heartbeat
        self.lock_timer.setInterval(app.lock_touch_ms)
        self.lock_timer.timeout.connect(self.touch_lock)
        self.lock_timer.start()
        self.scene.selectionIdsChanged.connect(self._selection)
        self.scene.pageShown.connect(self._page_shown)
        self.text.moved.connect(self._text_moved)
        self.view.cursorMoved.connect(self._pointer)
        self.view.zoomChanged.connect(lambda z: self.zoom_label.setText(tr("status.zoom", z=z)))
        self.view.message.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
        self.text.message.connect(self._text_message)
        self.context_menu = None
        self.page_menus = contextmenu.PageMenus(self)
        self.spread_focus = SpreadFocus(self)      # after the menus: it sees a press first
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else None
        if room is not None and (room.width() < 1500 or room.height() < 950) and \
                QGuiApplication.platformName() != "offscreen":    # tests keep 1500×950
            self.resize(room)                     # a laptop's 1366×768: the whole screen
            self.setWindowState(Qt.WindowState.WindowMaximized)
        else:
            self.resize(1500, 950)
        self._title()
        self._page_shown(self.scene.page_number)
        self._changed(None)
        self._read_only_changed(doc.read_only)

    # ------------------------------------------------------------ building
    def _dock(self, key: str, widget, area=Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        d = QDockWidget(tr(key), self)
        d.setObjectName(key)
        if not isinstance(widget, QAbstractScrollArea):
            # a form scrolls inside its dock: the window still fits a 1366×768 screen
            scroll = QScrollArea()
            scroll.setObjectName(key + ".scroll")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(widget)
            widget = scroll
        d.setWidget(widget)
        self.addDockWidget(area, d)
        # Window menu: F12/F7/F11 … bring a dock forward (out from behind its tab), or hide
        # it when it is already in front (a QDockWidget's own toggle would hide a dock that
        # waits behind a tab)
        act = QAction(tr(key), self)
        act.setCheckable(True)
        act.setChecked(True)
        actions._keys(act, key, self.app.preset)
        act.triggered.connect(lambda _c=False, dock=d: self.toggle_dock(dock))
        d.visibilityChanged.connect(lambda _v, dock=d, a=act: a.setChecked(not dock.isHidden()))
        self.dock_acts[key] = act
        act.setData(key)
        self.window_menu.addAction(act)
        return d

    def _keymap_menu(self) -> None:
        """Window → 快捷键方案: the conventions' two presets, InDesign and 飞腾/Windows."""
        from PySide6.QtGui import QActionGroup
        self.window_menu.addSeparator()
        menu = self.window_menu.addMenu(tr("menu.keymap"))
        group = QActionGroup(self)
        self.keymap_acts = {}
        for preset, key in actions.PRESET_NAMES:
            a = QAction(tr(key), self)
            a.setCheckable(True)
            a.setChecked(preset == self.app.preset)
            a.triggered.connect(lambda _c=False, p=preset: self.set_keymap(p))
            group.addAction(a)
            menu.addAction(a)
            self.keymap_acts[preset] = a

    def set_keymap(self, preset: str) -> None:
        """Use a keymap preset in every open window, and from now on (kept in the settings)."""
        app = self.app
        app.preset = preset
        app.settings.setValue("keymap", preset)
        for win in list(getattr(app, "windows", [self])):
            actions.apply_preset(win, preset)
            if preset in getattr(win, "keymap_acts", {}):
                win.keymap_acts[preset].setChecked(True)
        self._say(tr("keymap.now", name=tr(dict(actions.PRESET_NAMES)[preset])))

    def toggle_dock(self, dock: QDockWidget) -> None:
        """Show a dock and bring it in front of its tabs; hide it when it is in front."""
        in_front = dock.isVisible() and not dock.visibleRegion().isEmpty()
        if in_front:
            dock.hide()
        else:
            dock.show()
            dock.raise_()

    def _docks(self) -> None:
        self.dock_acts: dict[str, QAction] = {}
        self.pages = PageList(self.doc, self.images)
        self.pages.pageChosen.connect(self.show_page)
        self.stories = StoryList(self.doc)
        self.stories.storyActivated.connect(self.go_to_story)
        self.props = Properties(self.doc)
        self.props.placeImage.connect(self.place_image_dialog)
        self.preflight = PreflightList(self.doc)
        self.preflight.goTo.connect(self.go_to)
        self.story_editor = StoryEditor(self.doc)
        self.dock_pages = self._dock("dock.pages", self.pages, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_stories = self._dock("dock.stories", self.stories)
        self.dock_props = self._dock("dock.props", self.props)
        self.dock_preflight = self._dock("dock.preflight", self.preflight)
        self.tabifyDockWidget(self.dock_props, self.dock_preflight)
        self.dock_props.raise_()
        # page design (issue 14): masters, layers, swatches, tabbed with the properties
        self.masters = MastersDock(self.doc, lambda: self.scene.page_number,
                                   lambda: list(self.scene.selection))
        self.layers = LayersDock(self.doc, lambda: list(self.scene.selection))
        self.swatches = SwatchesDock(self.doc, lambda: list(self.scene.selection), self.text)
        self.dock_masters = self._dock("dock.masters", self.masters)
        self.dock_layers = self._dock("dock.layers", self.layers)
        self.dock_swatches = self._dock("dock.swatches", self.swatches)
        for d in (self.dock_masters, self.dock_layers, self.dock_swatches):
            self.tabifyDockWidget(self.dock_props, d)
        self.dock_props.raise_()
        self.dock_editor = self._dock("dock.story_editor", self.story_editor,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock_editor.hide()
        self.find_panel = FindPanel(self.doc)
        self.find_panel.goTo.connect(self.show_hit)
        self.dock_find = self._dock("dock.find", self.find_panel)
        self.styles_panel = StylesPanel(self.doc, self.text)
        self.styles_panel.message = lambda msg: self.statusBar().showMessage(msg, 6000)
        self.dock_styles = self._dock("dock.styles", self.styles_panel)
        self.tabifyDockWidget(self.dock_stories, self.dock_styles)
        self.tabifyDockWidget(self.dock_stories, self.dock_find)
        self.dock_stories.raise_()
        self.dock_find.hide()
        self.pages.menuRequested.connect(
            lambda n, gp: contextmenu.show(self, contextmenu.pages_menu(self, n), gp))
        self.stories.menuRequested.connect(
            lambda sid, gp: contextmenu.show(self, contextmenu.stories_menu(self, sid), gp))
        self.resizeDocks([self.dock_pages], [170], Qt.Orientation.Horizontal)
        # wide enough for every right dock's buttons (styles, find, swatches, layers)
        self.resizeDocks([self.dock_stories], [390], Qt.Orientation.Horizontal)
        # the properties below get the larger share of the right column (a frame's fields
        # are in use all day; ten stories fit the list above)
        self.resizeDocks([self.dock_stories, self.dock_props], [400, 560], Qt.Orientation.Vertical)

    def _extra_tools(self) -> None:
        """Tools the table in actions.py does not list yet: Zoom (Z), Place (the loaded cursor)."""
        group = self.tool_acts["select"].actionGroup()
        for key, tool in (("tool.zoom", "zoom"),):
            a = QAction(actions.icon(tool), tr(key), self)
            a.setCheckable(True)
            a.setToolTip(tr(key))
            actions._keys(a, key, self.app.preset)
            a.triggered.connect(lambda _c=False, t=tool: self.view.set_tool(t))
            if group is not None:
                group.addAction(a)
            self.tools_bar.addAction(a)
            self.tool_acts[tool] = a
        self.view.toolChanged.connect(
            lambda name: self.tool_acts[name].setChecked(True) if name in self.tool_acts else None)
        view_menu = next((a.menu() for a in self.menuBar().actions()
                          if a.text() == tr("menu.view")), None)
        self.spread_act = QAction(tr("spread"), self)
        self.spread_act.setCheckable(True)
        actions._keys(self.spread_act, "spread", self.app.preset)
        self.spread_act.toggled.connect(self.toggle_spread)
        self.fit_spread_act = QAction(tr("fit_spread"), self)
        actions._keys(self.fit_spread_act, "fit_spread", self.app.preset)
        self.fit_spread_act.triggered.connect(lambda _c=False: self.fit_spread())
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction(self.spread_act)
            view_menu.addAction(self.fit_spread_act)
        self.acts["spread"], self.acts["fit_spread"] = self.spread_act, self.fit_spread_act

    def _arrange_actions(self) -> None:
        """Object → align, distribute, group, table; View → rulers, ruler units, snapping."""
        from PySide6.QtGui import QAction, QActionGroup
        menus = {a.text(): a.menu() for a in self.menuBar().actions() if a.menu()}
        obj, view = menus.get(tr("menu.object")), menus.get(tr("menu.view"))
        self.align_relative = "selection"

        def act(menu, key, slot, checkable=False, checked=False):
            a = QAction(tr(key), self)
            a.setCheckable(checkable)
            a.setChecked(checked)
            actions._keys(a, key, self.app.preset)       # editor.keymap: one table of keys
            (a.toggled if checkable else a.triggered).connect(
                slot if checkable else (lambda _c=False, f=slot: f()))
            menu.addAction(a)
            self.acts[key] = a
            return a
        obj.addSeparator()
        align = obj.addMenu(tr("menu.align"))
        for edge in arrange.EDGES:
            act(align, "arr." + edge, lambda e=edge: self.align(e))
        align.addSeparator()
        act(align, "distribute.x", lambda: self.distribute("x"))
        act(align, "distribute.y", lambda: self.distribute("y"))
        align.addSeparator()
        rel = QActionGroup(self)
        for where in arrange.RELATIVE_TO:
            a = act(align, "relative." + where, lambda on, w=where: on and self.set_relative(w),
                    checkable=True, checked=where == "selection")
            rel.addAction(a)
        act(obj, "group", self.group)
        act(obj, "ungroup", self.ungroup)
        act(obj, "table", self.table_dialog)
        view.addSeparator()
        act(view, "rulers", self.view.show_rulers, True, True)
        act(view, "ruler_zi", lambda on: self.view.set_ruler_unit("zi" if on else "mm"),
            checkable=True)
        act(view, "snap_guides", self.set_snapping, checkable=True, checked=True)
        act(view, "guides_to_master", self.guides_to_master)

    def _status(self) -> None:
        sb = self.statusBar()
        self.pos_label, self.zoom_label = QLabel(), QLabel()
        self.page_label, self.overset_label = QLabel(), QLabel()
        self.lock_label = QLabel()                 # "只读" with who holds the file as tooltip
        self.lock_label.setStyleSheet(f"color: {QColor(200, 30, 30).name()}")
        self.lock_label.hide()
        for w in (self.lock_label, self.pos_label, self.zoom_label, self.page_label,
                  self.overset_label):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    # ------------------------------------------------------------ reacting
    def _title(self, *_args) -> None:
        name = self.doc.name or tr("untitled")
        ro = f" {tr('readonly.tag')}" if self.doc.read_only else ""
        self.setWindowTitle(f"{name}[*]{ro} — {tr('app')}")
        self.setWindowModified(self.doc.is_modified())

    def _read_only_changed(self, on: bool) -> None:
        """Read-only: Save off, the story editor locked, who holds the file in the status bar."""
        self.acts["save"].setEnabled(not on)
        self.story_editor.sync(force=True)        # read-only when the document is
        self.lock_label.setVisible(on)
        self.lock_label.setText(tr("readonly.label") if on else "")
        self.lock_label.setToolTip(self.doc.read_only_reason if on else "")
        if on:
            self.statusBar().showMessage(tr("status.readonly", who=self.doc.read_only_reason))
        else:
            self.statusBar().clearMessage()
        self._title()

    def touch_lock(self) -> bool:
        """Refresh the lock's heartbeat (timer); say so when the lock was lost to someone."""
        ok = self.doc.touch_lock()
        if not ok:
            self.statusBar().showMessage(tr("lock.lost", who=self.doc.read_only_reason))
        return ok

    def _changed(self, touched) -> None:
        n = len(self.doc.overset_stories())
        self.overset_label.setText(tr("status.overset", n=n))
        sheet = f"color: {QColor(200, 30, 30).name()}" if n else ""
        if sheet != self.overset_label.styleSheet():    # (set again, the label is polished
            self.overset_label.setStyleSheet(sheet)     # again and the status bar laid out)
        self._title()

    def _selection(self) -> None:
        sel = self.scene.selection
        self.props.show_frames(list(sel))
        if len(sel) == 1 and not self.text.active:
            st = self.doc.issue.story_of_frame(sel[0])
            if st is None:
                fr = self.doc.issue.frame(sel[0])[1]
                st = self.doc.issue.stories.get(getattr(fr, "story", ""))
            if st is not None:
                self.story_editor.set_story(st.id)
                self.stories.select_story(st.id)

    def _text_moved(self) -> None:
        if self.text.active:
            self.story_editor.set_story(self.text.story)

    def _page_shown(self, number: int) -> None:
        self.page_label.setText(tr("status.page", n=number))
        self.masters.load()
        self.pages.select_page(number)

    def _pointer(self, pos: QPointF) -> None:
        g = self.doc.geometry
        col, line = S.grid_position(g, pos.x(), pos.y())
        self.pos_label.setText(tr("status.pos", col=col, line=line, x=mm(pos.x()), y=mm(pos.y())))

    # ------------------------------------------------------------ navigation
    def show_page(self, number: int) -> None:
        """Show a page of the issue."""
        self.scene.show_page(number)

    def _step_page(self, d: int) -> None:
        nums = [p.number for p in self.doc.issue.pages]
        i = nums.index(self.scene.page_number) + d if self.scene.page_number in nums else 0
        if 0 <= i < len(nums):
            self.show_page(nums[i])

    def next_page(self):
        """Show the next page."""
        self._step_page(1)

    def prev_page(self):
        """Show the previous page."""
        self._step_page(-1)

    def go_to(self, page: int, frame: str = "") -> None:
        """Show a page, select a frame on it and centre on it (preflight entries)."""
        self.show_page(page)
        if frame and frame in self.scene.frames:
            self.scene.set_selection([frame])
            self.view.center_on_frame(frame)

    def go_to_page_dialog(self) -> bool:
        """Ctrl+J: ask for a page number (版) and show that page."""
        numbers = [p.number for p in self.doc.issue.pages]
        if not numbers:
            return False
        n, ok = QInputDialog.getInt(self, tr("go_to_page"), tr("go_to_page.ask"),
                                    self.scene.page_number, min(numbers), max(numbers))
        if not ok:
            return False
        if n not in numbers:
            self._say(tr("go_to_page.none", n=n))
            return False
        self.show_page(n)
        return True

    def go_to_story(self, sid: str) -> None:
        """Go to a story's first frame."""
        st = self.doc.issue.stories.get(sid)
        self.story_editor.set_story(sid)
        if st is not None and not st.thread:           # 未排: double click loads the cursor
            self.load_place_cursor(sid)
            return
        if st is not None and st.thread:
            self.go_to(self.doc.page_of_frame(st.thread[0]), st.thread[0])

    # ------------------------------------------------------------ view actions
    def fit_page(self):
        """Fit the page in the view."""
        self.view.fit_page()

    def fit_width(self):
        """Fit the page's width."""
        self.view.fit_width()

    def actual_size(self):
        """100%."""
        self.view.actual_size()

    def zoom_in(self):
        """Zoom in a step."""
        self.view.zoom_step(1)

    def zoom_out(self):
        """Zoom out a step."""
        self.view.zoom_step(-1)

    def _page_flag(self, name: str, on: bool) -> None:
        setattr(self.scene.page_item, name, on)
        self.scene.page_item.update()

    def toggle_grid(self, on: bool):
        """Ctrl+': the 背景格 (columns and baseline grid together)."""
        self.acts["baseline"].setChecked(on)
        self.acts["columns"].setChecked(on)

    def toggle_baseline(self, on: bool):
        """Show or hide the baseline grid."""
        self._page_flag("show_baseline", on)

    def toggle_columns(self, on: bool):
        """Show or hide the column guides."""
        self._page_flag("show_columns", on)

    def toggle_margins(self, on: bool):
        """Show or hide the margins."""
        self._page_flag("show_margins", on)

    def toggle_threads(self, on: bool):
        """Show every story's thread arrows (not only the selected story's)."""
        self.scene.show_all_threads = on
        self.scene.refresh()

    def toggle_spread(self, on: bool):
        """Spread view: the facing page beside the shown one, both fitted in the view; a
        click on either page edits it (``focus_facing_at``)."""
        self.scene.set_spread(on)
        if on:
            self.view.fit_spread()
            if self.scene.partner_number() is not None:
                self._say(tr("spread.hint"), 8000)

    def fit_spread(self) -> None:
        """Ctrl+Alt+0: the spread (跨版) fitted in the view, spread view turned on for it."""
        if not self.spread_act.isChecked():
            self.spread_act.setChecked(True)        # toggles the view on and fits it
        else:
            self.view.fit_spread()

    def focus_facing_at(self, pos: QPointF) -> bool:
        """In spread view, a point on the facing page makes that page the edited one; the
        view shifts with it so nothing moves on screen (the press then lands on its frame)."""
        scene, g = self.scene, self.doc.geometry
        other = scene.partner_number() if scene.spread else None
        if other is None:
            return False
        dx = scene.partner_offset()
        if not QRectF(dx, 0, g.width, g.height).contains(pos):
            return False
        view = self.view
        anchor = view.viewport().rect().center()
        centre = view.mapToScene(anchor)
        if self.text.active:
            self.text.stop()
        self.show_page(other)
        view.centerOn(centre - QPointF(dx, 0))
        off = view.mapFromScene(centre - QPointF(dx, 0)) - anchor      # centerOn rounds
        for bar, d in ((view.horizontalScrollBar(), off.x()), (view.verticalScrollBar(), off.y())):
            bar.setValue(bar.value() + d)
        return True

    def toggle_preview(self, on: bool):
        """Preview (W): hide guides, outlines, ports and badges."""
        self.scene.set_preview(on)

    # ------------------------------------------------------------ object actions
    def _push(self, edit) -> None:
        if edit is not None:
            self.doc.push(edit)

    def delete_selection(self):
        """Delete the selected frames."""
        self.view.delete_selection()

    def toggle_lock(self):
        """Lock or unlock the selected frames (Ctrl+L)."""
        self._push(arrange.toggle_lock(self.doc.issue, self.scene.selection))
        self.scene.refresh()

    def align_left(self):
        """Align the selected frames' left edges."""
        self._push(arrange.align_left(self.doc.issue, self.scene.selection))

    def align_top(self):
        """Align the selected frames' top edges."""
        self._push(arrange.align_top(self.doc.issue, self.scene.selection))

    def distribute_h(self):
        """Distribute the selected frames horizontally."""
        self._push(arrange.distribute_horizontally(self.doc.issue, self.scene.selection))

    def set_relative(self, where: str) -> None:
        """Align and distribute relative to the selection, the page or the type area."""
        self.align_relative = where
        self.acts["relative." + where].setChecked(True)

    def align(self, edge: str) -> None:
        """Align the selected frames on an edge or centre line (left, center, right, top,
        middle, bottom) of the selection, the page or the type area."""
        self._push(arrange.align(self.doc.issue, self.scene.selection, edge,
                                 self.align_relative, self.doc.geometry))

    def distribute(self, axis: str) -> None:
        """Distribute the selected frames with equal gaps, horizontally or vertically."""
        self._push(arrange.distribute(self.doc.issue, self.scene.selection, axis,
                                      self.align_relative, self.doc.geometry))

    def group(self) -> None:
        """Make the selected frames one group (Ctrl+G)."""
        self._push(arrange.group(self.doc.issue, self.scene.selection))
        self.scene.refresh()

    def ungroup(self) -> None:
        """Dissolve the selected groups (Ctrl+Shift+G)."""
        self._push(arrange.ungroup(self.doc.issue, self.scene.selection))
        self.scene.refresh()

    def guides_to_master(self) -> None:
        """Move the shown page's guides onto its master page."""
        from .guides import guides_to_master
        page = self.doc.page(self.scene.page_number)
        edit = guides_to_master(self.doc.issue, page)
        if edit is None:
            self.statusBar().showMessage(tr("guides.no_master"), 5000)
            return
        self.doc.push(edit, tr("guides_to_master"))

    def set_snapping(self, on: bool) -> None:
        """Snap drags to guides and to other frames' edges and centres."""
        self.view.snapping = on

    def table_dialog(self) -> None:
        """Edit the selected table, or make a new one (a 4 × 3 table at the type area's
        corner, or across the selected frame's place)."""
        from .tabledialog import TableDialog, table_edit
        sel = self.scene.selection
        frame = self.doc.issue.frame(sel[0])[1] if len(sel) == 1 else None
        table = frame if isinstance(frame, m.TableFrame) else None
        dlg = TableDialog(table, self, list(self.doc.issue.paragraph_styles))
        if dlg.exec():
            edit, fid = table_edit(self.doc.issue, self.scene.page_number, table, dlg.values())
            if edit is not None and self.doc.push(edit, "table"):
                self.scene.set_selection([fid])

    def place(self):
        """Ctrl+D: the story chosen in the list into the selected text frame, or an image."""
        sel = self.scene.selection
        if not sel and self.stories.current_story():     # nothing selected: load the cursor
            self.load_place_cursor(self.stories.current_story())
            return
        if len(sel) != 1:
            self.statusBar().showMessage(tr("place.none"), 6000)
            return
        fr = self.doc.issue.frame(sel[0])[1]
        if fr.kind == "photo":
            self.place_image_dialog(fr.id)
        elif fr.kind == "text" and self.stories.current_story():
            self.view.place_story(self.stories.current_story(), fr.id)

    def load_place_cursor(self, sid: str) -> None:
        """Load the place cursor with a story (click, drag or Shift-click on the page)."""
        if sid in self.doc.issue.stories:
            self.view.set_tool("place", story=sid)
            self.view.setFocus()

    def place_image_dialog(self, frame_id: str | None = None):
        """Choose an image file for a photo frame."""
        path, _ = QFileDialog.getOpenFileName(self, tr("prop.image"), self.doc.base_dir,
                                              tr("files.images"))
        if path:
            self.view.place_image(path, frame_id=frame_id,
                                  pos=None if frame_id else QPointF(self.doc.geometry.left,
                                                                    self.doc.geometry.top))

    def unlink(self):
        """Take the selected text frames out of their threads."""
        edits = [E.unlink(self.doc.issue, f) for f in self.scene.selection
                 if self.doc.issue.story_of_frame(f) is not None]
        if edits:
            self.doc.push(E.Batch(edits, "unlink"))

    def new_story(self):
        """A new empty story, placed in the selected text frame when it has none."""
        sid = E.new_story_id(self.doc.issue)
        edits: list[E.Edit] = [E.AddStory(E.empty_story(sid))]
        sel = self.scene.selection
        if len(sel) == 1 and self.doc.issue.frame(sel[0])[1].kind == "text" and \
                self.doc.issue.story_of_frame(sel[0]) is None:
            edits.append(E.SetThread(sid, [sel[0]]))
        self.doc.push(E.Batch(edits, "new story"))

    def add_page(self):
        """Add an empty page after the last one."""
        n = max((p.number for p in self.doc.issue.pages), default=0) + 1
        if self.doc.push(E.AddPage(m.Page(n)), "add page"):
            self.show_page(n)

    # ------------------------------------------------------------ clipboard (issue 13)
    def _say(self, msg: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(msg, ms)

    def _text_message(self, msg: str) -> None:
        """What a paste cleaned: the summary in the status bar, examples as its tooltip."""
        cleaned = self.text.last_cleaned
        self.statusBar().setToolTip("\n".join(cleaned.examples) if cleaned is not None else "")
        self._say(msg, 10000)

    def copy(self) -> bool:
        """Copy the text selection, or the selected frames with their stories."""
        if self.text.active:
            return self.text.copy()
        sel = self.scene.selection
        if not sel:
            self._say(tr("clip.nothing_selected", what=tr("copy")))
            return False
        md = C.frames_mime(self.doc.issue, sel, self.doc.base_dir)
        if md is None:
            return False
        C.put(md)
        self._say(tr("clip.copied", n=len(sel)))
        return True

    def cut(self) -> bool:
        """Cut the text selection, or the selected frames (copy, then delete: one undo step)."""
        if self.text.active:
            return self.text.cut()
        sel = [f for f in self.scene.selection if not self.doc.issue.frame(f)[1].locked]
        if not sel:
            self._say(tr("clip.nothing_selected", what=tr("cut")))
            return False
        md = C.frames_mime(self.doc.issue, sel, self.doc.base_dir)
        C.put(md)
        return self.doc.push(E.Batch([E.RemoveFrame(f) for f in sel], "cut"), tr("undo.cut"))

    def can_paste_frames(self) -> bool:
        """Whether the clipboard holds frames."""
        md = QGuiApplication.clipboard().mimeData()
        return md is not None and md.hasFormat(C.FRAMES_MIME)

    def paste(self) -> bool:
        """Paste text at the cursor, or frames onto the shown page (moved off the originals)."""
        if self.text.active:
            return self.text.paste()
        return self._paste_frames(mode="offset")

    def paste_plain(self) -> bool:
        """Paste text without its formatting (Ctrl+Shift+V)."""
        if self.text.active:
            return self.text.paste(plain=True)
        return self._paste_frames(mode="offset")

    def paste_in_place(self) -> bool:
        """Paste frames at the same grid place, on the page shown."""
        return self._paste_frames(mode="in_place")

    def paste_linked(self) -> bool:
        """Paste text frames that continue the copied story instead of copying it."""
        return self._paste_frames(mode="offset", linked=True)

    def paste_here(self, pos: QPointF) -> bool:
        """Paste frames with the group's top-left at the grid cell under a page point."""
        col, line = S.grid_position(self.doc.geometry, pos.x(), pos.y())
        return self._paste_frames(mode="at", at=(max(0, col - 1), max(0, line - 1)))

    def _grid(self) -> tuple[int, int]:
        g = self.doc.geometry
        return self.doc.issue.paper.grid.columns, getattr(g, "lines", 10**6)

    def _paste_frames(self, mode: str, linked: bool = False, at=None) -> bool:
        md = QGuiApplication.clipboard().mimeData()
        clip = C.frames_from_mime(md)
        if clip is None:
            if md is not None and md.hasText():
                self._say(tr("clip.text_needs_cursor"))
            else:
                self._say(tr("clip.nothing"))
            return False
        page = self.scene.page_number
        offset = (0, 0)
        if mode == "offset":
            here = {(fr.col, fr.line) for fr in self.doc.page(page).frames}
            if any((fr.col, fr.line) in here for p in clip.pages for fr in p.frames):
                offset = (1, 1)
        try:
            edit, ids = C.paste_frames(self.doc.issue, clip, page, offset=offset, at=at,
                                       linked=linked, grid=self._grid(),
                                       base_dir=self.doc.base_dir)
        except E.EditError as exc:
            self._say(str(exc))
            return False
        # paste linked needs the story in this issue; from another issue the story is copied
        foreign = linked and any(sid not in self.doc.issue.stories
                                 for sid, st in clip.stories.items() if st.thread)
        if self.doc.push(edit, tr("undo.paste")):
            self.scene.set_selection(ids)
            self._say(tr("clip.linked_other") if foreign else tr("clip.pasted", n=len(ids)))
            return True
        return False

    def duplicate(self) -> bool:
        """Duplicate the selected frames one column and one line down-right (stories copied)."""
        sel = self.scene.selection
        if not sel:
            self._say(tr("clip.nothing_selected", what=tr("duplicate")))
            return False
        return self.duplicate_frames(sel, (1, 1))

    def duplicate_frames(self, ids: list[str], offset: tuple[int, int]) -> bool:
        """Copies of frames moved by (columns, lines): duplicate and Alt-drag; one undo step."""
        md = C.frames_mime(self.doc.issue, ids, self.doc.base_dir)
        clip = C.frames_from_mime(md)
        if clip is None:
            return False
        page = self.doc.page_of_frame(ids[0])
        edit, new = C.paste_frames(self.doc.issue, clip, page, offset=offset, grid=self._grid(),
                                   base_dir=self.doc.base_dir)
        if self.doc.push(edit, tr("undo.duplicate")):
            self.scene.set_selection(new)
            return True
        return False

    def select_all(self) -> None:
        """All the story's text while typing; else every frame on the page."""
        if self.text.active:
            st = self.doc.issue.stories[self.text.story]
            end = E.index_to_pos(st, len(E.plain_text(st)))
            self.text.start(self.text.story, end, E.StoryPos())
            return
        self.scene.set_selection(list(self.scene.frames))

    def find(self) -> None:
        """Ctrl+F: the find dock, cursor in the find field (the selected text fills it)."""
        self.dock_find.show()
        self.dock_find.raise_()
        if not self.dock_find.isFloating():      # room for the results list
            self.resizeDocks([self.dock_find], [max(self.dock_find.height(), 600)],
                             Qt.Orientation.Vertical)
        text = self.text.selected_text() if self.text.active else ""
        if text and "\n" not in text:
            self.find_panel.find_edit.setText(text)
        self.find_panel.focus_find()

    def replace(self) -> None:
        """Ctrl+H: the find dock, cursor in the replace field."""
        self.find()
        self.find_panel.focus_find(replace=True)

    def show_hit(self, hit) -> None:
        """Show a find result on its page: story text selected, other fields' frame selected."""
        from .findreplace import where
        page, frame = where(self.doc.issue, self.doc.result, hit)
        t = hit.target
        if t.kind == "para":
            if self.view.tool is not self.view.tools["type"]:
                self.view.set_tool("type")
            self.text.start(t.owner, E.StoryPos(t.field, hit.end), E.StoryPos(t.field, hit.start))
            if frame is not None:
                self.view.center_on_frame(frame) if frame in self.scene.frames else None
            return
        if self.text.active:
            self.text.stop()
        if page is not None:
            self.go_to(page, frame or "")

    def toggle_bold(self) -> None:
        """Ctrl+Shift+B: bold on the text selection (off when it is all bold)."""
        self.styles_panel.toggle_bold()

    def size_up(self) -> None:
        """Ctrl+Shift+>: the next bigger 号 on the text selection."""
        self.styles_panel.step_size(1)

    def size_down(self) -> None:
        """Ctrl+Shift+<: the next smaller 号 on the text selection."""
        self.styles_panel.step_size(-1)

    # ------------------------------------------------------------ context-menu commands
    def bring_forward(self) -> None:
        """Move the selected frames one step up the drawing order."""
        sel = self.scene.selection
        if sel:
            self.doc.push(E.Batch([E.RestackFrame(f, 1) for f in reversed(sel)], "arrange"),
                          tr("undo.arrange"))

    def send_backward(self) -> None:
        """Move the selected frames one step down the drawing order."""
        sel = self.scene.selection
        if sel:
            self.doc.push(E.Batch([E.RestackFrame(f, -1) for f in sel], "arrange"),
                          tr("undo.arrange"))

    def thread_from(self, frame_id: str) -> None:
        """Load the thread cursor from a text frame (click the next frame to continue it)."""
        self.view.set_tool("thread", source=frame_id)

    def show_properties(self) -> None:
        """Bring the properties dock forward."""
        self.dock_props.show()
        self.dock_props.raise_()

    def new_frame_at(self, pos: QPointF) -> bool:
        """A one-column text frame at a page point, ten lines deep, snapped to the grid."""
        col, line = S.grid_position(self.doc.geometry, pos.x(), pos.y())
        page = self.scene.page_number
        fid = E.new_frame_id(self.doc.issue, page, "text")
        cols, lines = self._grid()
        fr = m.TextFrame(fid, col=min(max(0, col - 1), cols - 1),
                         line=min(max(0, line - 1), max(0, lines - 10)), cols=1, lines=10)
        if self.doc.push(E.AddFrame(page, fr), tr("undo.new_frame")):
            self.scene.set_selection([fid])
            return True
        return False

    def page_properties(self, number: int | None) -> bool:
        """Ask for a page's section name (版名)."""
        if number is None:
            return False
        page = self.doc.page(number)
        got, ok = QInputDialog.getText(self, tr("page_properties"), tr("page.section"),
                                       text=page.section)
        if ok and got != page.section:
            return self.doc.push(E.SetPage(number, section=got), tr("undo.page"))
        return False

    def insert_page(self, after: int | None) -> bool:
        """An empty page after a page (at the end when None)."""
        numbers = [p.number for p in self.doc.issue.pages]
        new = max(numbers, default=0) + 1
        at = numbers.index(after) + 1 if after in numbers else len(numbers)
        order = numbers[:at] + [new] + numbers[at:]
        edits = [E.AddPage(m.Page(new)), E.ReorderPages(order)]
        if self.doc.push(E.Batch(edits, "insert page"), tr("undo.page")):
            self.show_page(self.doc.issue.pages[at].number)
            return True
        return False

    def delete_page(self, number: int | None) -> bool:
        """Delete a page and its frames (undoable)."""
        if number is None:
            return False
        numbers = [p.number for p in self.doc.issue.pages]
        if not self.doc.push(E.RemovePage(number), tr("undo.page")):
            return False
        rest = [p.number for p in self.doc.issue.pages]
        i = min(numbers.index(number), len(rest) - 1)
        self.show_page(rest[i])
        return True

    def duplicate_page(self, number: int | None) -> bool:
        """A copy of a page right after it, its stories copied."""
        if number is None:
            return False
        i = [p.number for p in self.doc.issue.pages].index(number)
        if self.doc.push(E.duplicate_page(self.doc.issue, number), tr("undo.page")):
            self.show_page(self.doc.issue.pages[i + 1].number)
            return True
        return False

    def move_page(self, number: int | None, delta: int) -> bool:
        """Move a page earlier (-1) or later (+1); consecutive numbers follow the order."""
        numbers = [p.number for p in self.doc.issue.pages]
        if number not in numbers:
            return False
        i = numbers.index(number)
        j = i + delta
        if not 0 <= j < len(numbers):
            return False
        order = list(numbers)
        order.insert(j, order.pop(i))
        page = self.doc.issue.pages[i]
        if self.doc.push(E.ReorderPages(order), tr("undo.page")):
            self.show_page(page.number)
            return True
        return False

    def story_place(self, sid: str | None) -> bool:
        """Place a story into the selected text frame."""
        sel = self.scene.selection
        if sid is None or len(sel) != 1 or self.doc.issue.frame(sel[0])[1].kind != "text":
            self._say(tr("clip.nothing_selected", what=tr("place")))
            return False
        self.view.place_story(sid, sel[0])
        return True

    def story_rename(self, sid: str | None) -> bool:
        """Give a story a new name (its slug in the list)."""
        st = self.doc.issue.stories.get(sid or "")
        if st is None:
            return False
        got, ok = QInputDialog.getText(self, tr("story.rename"), tr("story.name"),
                                       text=st.name or sid)
        if ok and got.strip() and got.strip() != st.name:
            return self.doc.push(E.SetStory(sid, name=got.strip()), tr("undo.story"))
        return False

    def story_delete(self, sid: str | None) -> bool:
        """Delete a story (its frames stay, empty; undo brings it back)."""
        if sid not in self.doc.issue.stories:
            return False
        return self.doc.push(E.RemoveStory(sid), tr("undo.story"))

    def story_open(self, sid: str | None) -> None:
        """Show a story in the story editor."""
        if sid in self.doc.issue.stories:
            self.dock_editor.show()
            self.dock_editor.raise_()
            self.story_editor.set_story(sid)

    # ------------------------------------------------------------ files
    def new_duikai(self):
        """A new 对开 issue."""
        self.app.new_from_template("duikai")

    def new_sikai(self):
        """A new 四开 issue."""
        self.app.new_from_template("sikai")

    def open_dialog(self):
        """Choose an issue file to open."""
        path, _ = QFileDialog.getOpenFileName(self, tr("open"), self.doc.base_dir,
                                              tr("files.issue"))
        if path:
            self.app.open(path)

    def save(self) -> bool:
        """Save (Ctrl+S); asks for a name when the document is untitled; off when read-only."""
        if self.doc.desk is not None and not self.doc.read_only:    # an issue in a store
            from .desk import save_ui
            return save_ui(self)
        if not self.doc.path:
            return self.save_as()
        if self.doc.read_only:
            self.statusBar().showMessage(tr("status.readonly", who=self.doc.read_only_reason), 6000)
            return False
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        """Save under a new name (Ctrl+Shift+S)."""
        path, _ = QFileDialog.getSaveFileName(self, tr("save_as"), self.doc.base_dir,
                                              tr("files.issue"))
        if not path:
            return False
        if not path.endswith((".yaml", ".yml")):
            path += ".yaml"
        return self._save_to(path)

    def _save_to(self, path: str, overwrite: bool = False) -> bool:
        # a read-only document's recovery-file name is the lock holder's: never remove it
        old = None if self.doc.read_only else self.autosaver.path
        try:
            target = self.doc.save(path, overwrite=overwrite)
        except lockfile.ChangedOnDisk as exc:
            answer = self.app.ask_changed(self, str(exc))
            if answer == "overwrite":
                return self._save_to(path, overwrite=True)
            if answer == "save_as":
                return self.save_as()
            self.statusBar().showMessage(tr("changed.not_saved"), 6000)
            return False
        except ReadOnlyError as exc:
            self.show_error(tr("lock.save_refused", path=exc.path, who=str(exc)))
            return False
        except OSError as exc:
            self.show_error(str(exc))
            return False
        for p in {old, self.autosaver.path} - {None}:
            try:
                p.unlink()
            except OSError:
                pass
        self.app.add_recent(target)
        self.statusBar().showMessage(tr("status.saved", path=target), 4000)
        self._title()
        return True

    def import_dialog(self):
        """Import stories from a text, Markdown or Word file."""
        from .importing import run_import
        path, _ = QFileDialog.getOpenFileName(self, tr("import"), self.doc.base_dir,
                                              tr("files.import"))
        if path:
            run_import(self, self.doc, path)

    def export_proof(self):
        """Export a proof PDF in the background."""
        self._export("proof")

    def export_print(self):
        """Export a print PDF in the background."""
        self._export("print")

    def _export(self, mode: str) -> None:
        """The export dialog (proof/print, pages, watermark, outlines), then the export."""
        from .exportdialog import ExportDialog
        dlg = ExportDialog(self.doc, mode, self)
        self.export_dialog = dlg                  # tests answer it
        try:
            if dlg.exec() != ExportDialog.DialogCode.Accepted:
                return
            self.exporter.start(self.doc, dlg.path.text().strip(), dlg.mode_name(),
                                options=dlg.options())
        finally:
            self.export_dialog = None
            dlg.deleteLater()

    def show_error(self, msg: str) -> None:
        """Tell the user something failed."""
        QMessageBox.warning(self, tr("error"), msg)

    def quit_all(self):
        """Close every window (each asks about unsaved changes)."""
        self.app.quit_all()

    def closeEvent(self, ev) -> None:
        """Ask about unsaved changes; remove the recovery file on a clean close; unlock."""
        if self.doc.is_modified():
            answer = self.app.ask_save(self)
            if answer == "cancel" or (answer == "save" and not self.save()):
                ev.ignore()
                return
        self.autosaver.stop()
        self.preflight.stop()
        if not self.doc.read_only:              # a read-only copy's recovery file is not ours
            self.autosaver.discard()
        self.lock_timer.stop()
        self.doc.release_lock()
        self.app.window_closed(self)
        ev.accept()


class SpreadFocus(QObject):
    """Spread view edits both pages: a press, double click or drop on the facing page
    first makes it the shown (edited) page, then goes on to the tool as usual."""

    EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
              QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)

    def __init__(self, win: MainWindow):
        super().__init__(win)
        self.win = win
        win.view.viewport().installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        """Switch pages under the pointer in spread view; never eat the event."""
        if ev.type() in self.EVENTS and self.win.scene.spread:
            view = self.win.view
            self.win.focus_facing_at(view.mapToScene(ev.position().toPoint()))
        return False
