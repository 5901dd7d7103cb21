"""The control bar under the menus: paragraph and character styles, frame size in 栏×行."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QToolBar

from .i18n import tr
from .styles import display_name


class ControlBar(QToolBar):
    """Context controls: styles for the text cursor, grid size for a frame."""

    def __init__(self, doc, text, scene, parent=None):
        super().__init__(tr("control"), parent)
        self.doc, self.text, self.scene = doc, text, scene
        self.setObjectName("control-bar")
        self.addWidget(QLabel(" " + tr("para_style") + " "))
        self.para = QComboBox()
        self.para.setMinimumContentsLength(8)
        self.para.activated.connect(lambda _i: self.text.apply_paragraph_style(
            self.para.currentData()))
        self.addWidget(self.para)
        self.addWidget(QLabel("  " + tr("char_style") + " "))
        self.char = QComboBox()
        self.char.setMinimumContentsLength(6)
        self.char.activated.connect(lambda _i: self.text.apply_char_style(self.char.currentData()))
        self.addWidget(self.char)
        self.addSeparator()
        self.frame_info = QLabel()
        self.addWidget(self.frame_info)
        self._styles: tuple = ()
        text.moved.connect(self.refresh)
        scene.selectionIdsChanged.connect(self.refresh)
        doc.changed.connect(lambda _t: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Update the style lists and show the styles at the cursor and the frame's size."""
        issue = self.doc.issue
        styles = (tuple((k, v.label) for k, v in issue.paragraph_styles.items()),
                  tuple((k, v.label) for k, v in issue.char_styles.items()))
        if styles != self._styles:
            self._styles = styles
            self.para.blockSignals(True)
            self.para.clear()
            for name, _label in styles[0]:
                self.para.addItem(display_name(issue, name), name)
            self.para.blockSignals(False)
            self.char.blockSignals(True)
            self.char.clear()
            self.char.addItem(tr("char_none"), "")
            for name, _label in styles[1]:
                self.char.addItem(display_name(issue, name, "char_styles"), name)
            self.char.blockSignals(False)
        on = self.text.active
        self.para.setEnabled(on)
        self.char.setEnabled(on and self.text.selection() is not None)
        if on:
            st = issue.stories[self.text.story]
            if st.paragraphs:
                p = st.paragraphs[min(self.text.pos[0], len(st.paragraphs) - 1)]
                self.para.setCurrentIndex(max(0, self.para.findData(p.style)))
        sel = self.scene.selection
        fr = None
        if len(sel) == 1:
            try:
                fr = issue.frame(sel[0])[1]
            except KeyError:
                fr = None
        if fr is not None:
            chars = int(round(self.doc.geometry.span_width(fr.cols) / self.doc.geometry.body))
            self.frame_info.setText(f"  {tr('kind.' + fr.kind)} {fr.id}:  "
                                    + tr("drag.size", cols=fr.cols, lines=fr.lines, chars=chars))
        else:
            self.frame_info.setText("")
