"""UI strings in Chinese and English: one small table, chosen from the locale.

``tr("save")`` gives the string for the current language.  The language is
Chinese when ``LANG``/``LC_ALL``/``LANGUAGE`` or Qt's system locale starts with
``zh``, English otherwise; ``set_language`` overrides it (tests, settings).
"""
from __future__ import annotations

import os

#: key → (Chinese, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app": ("版面", "Banmian"),
    "untitled": ("未命名", "Untitled"),
    # menus
    "menu.file": ("文件(&F)", "&File"),
    "menu.edit": ("编辑(&E)", "&Edit"),
    "menu.view": ("视图(&V)", "&View"),
    "menu.object": ("对象(&O)", "&Object"),
    "menu.text": ("文字(&T)", "&Text"),
    "menu.window": ("窗口(&W)", "&Window"),
    "menu.recent": ("最近打开", "Open Recent"),
    "menu.new": ("新建", "New"),
    # file
    "new.duikai": ("对开（8 栏）…", "Broadsheet 对开 (8 columns)…"),
    "new.sikai": ("四开（6 栏）…", "Tabloid 四开 (6 columns)…"),
    "open": ("打开…", "Open…"),
    "save": ("保存", "Save"),
    "save_as": ("另存为…", "Save As…"),
    "import": ("导入稿件…", "Import Stories…"),
    "export.proof": ("导出校样 PDF…", "Export Proof PDF…"),
    "export.print": ("导出印刷 PDF…", "Export Print PDF…"),
    "close": ("关闭", "Close"),
    "quit": ("退出", "Quit"),
    # edit
    "undo": ("撤销", "Undo"),
    "redo": ("重做", "Redo"),
    "delete": ("删除", "Delete"),
    "select_all": ("全选", "Select All"),
    # view
    "fit_page": ("适合页面", "Fit Page"),
    "fit_width": ("适合宽度", "Fit Width"),
    "actual": ("实际大小", "Actual Size"),
    "zoom_in": ("放大", "Zoom In"),
    "zoom_out": ("缩小", "Zoom Out"),
    "grid": ("背景格", "Grid"),
    "baseline": ("基线格", "Baseline Grid"),
    "columns": ("栏线", "Column Guides"),
    "margins": ("版心边距", "Margins"),
    "threads": ("显示续排", "Show Threads"),
    "preview": ("预览", "Preview"),
    "snap": ("对齐背景格", "Snap to Grid"),
    "next_page": ("下一版", "Next Page"),
    "prev_page": ("上一版", "Previous Page"),
    # object
    "lock": ("锁定", "Lock"),
    "align_left": ("左对齐", "Align Left"),
    "align_top": ("顶对齐", "Align Top"),
    "distribute_h": ("水平分布", "Distribute Horizontally"),
    "place": ("排入", "Place"),
    "unlink": ("断开续排", "Unlink"),
    "new_story": ("新建稿件", "New Story"),
    "add_page": ("新增版面", "Add Page"),
    # tools
    "tool.select": ("选择 (V)", "Selection (V)"),
    "tool.direct": ("直接选择 (A)", "Direct Selection (A)"),
    "tool.type": ("文字 (T)", "Type (T)"),
    "tool.frame": ("文字块 (F)", "Text Frame (F)"),
    "tool.headline": ("标题块", "Headline Frame"),
    "tool.photo": ("图片块", "Photo Frame"),
    "tool.rule": ("线条", "Rule"),
    "tool.thread": ("续排 (N)", "Thread (N)"),
    "tool.hand": ("抓手 (H)", "Hand (H)"),
    "tools": ("工具", "Tools"),
    "control": ("控制", "Control"),
    # docks
    "dock.pages": ("版面", "Pages"),
    "dock.stories": ("稿件与字数", "Stories & Copyfit"),
    "dock.props": ("属性", "Properties"),
    "dock.preflight": ("检查", "Preflight"),
    "dock.story_editor": ("稿件编辑器", "Story Editor"),
    "page_n": ("第 {n} 版", "Page {n}"),
    "page_label": ("{n}版", "p. {n}"),
    # properties
    "prop.frame": ("位置与尺寸", "Frame"),
    "prop.kind": ("类型", "Kind"),
    "prop.col": ("起始栏", "Column"),
    "prop.line": ("起始行", "Line"),
    "prop.cols": ("栏数", "Columns"),
    "prop.lines": ("行数", "Lines"),
    "prop.size_mm": ("尺寸 (mm)", "Size (mm)"),
    "prop.pos_mm": ("位置 (mm)", "Position (mm)"),
    "prop.text_columns": ("分栏", "Text columns"),
    "prop.balance": ("平衡栏", "Balance columns"),
    "prop.locked": ("锁定", "Locked"),
    "prop.story": ("稿件", "Story"),
    "prop.none": ("（无）", "(none)"),
    "prop.kicker": ("引题", "Kicker"),
    "prop.title": ("主题", "Title"),
    "prop.subtitle": ("副题", "Subtitle"),
    "prop.byline": ("署名", "Byline"),
    "prop.image": ("图片", "Image"),
    "prop.browse": ("浏览…", "Browse…"),
    "prop.fit": ("适应", "Fit"),
    "prop.crop": ("裁切 x/y/缩放", "Crop x/y/zoom"),
    "prop.caption": ("图片说明", "Caption"),
    "prop.credit": ("摄影署名", "Credit"),
    "prop.weight": ("线宽", "Weight"),
    "fit.fit": ("适合", "fit"),
    "fit.fill": ("填满", "fill"),
    "fit.crop": ("裁切", "crop"),
    "kind.text": ("文字块", "text"),
    "kind.headline": ("标题块", "headline"),
    "kind.photo": ("图片块", "photo"),
    "kind.rule": ("线条", "rule"),
    "kind.byline": ("署名块", "byline"),
    "kind.caption": ("说明块", "caption"),
    "kind.box": ("框", "box"),
    "para_style": ("段落样式", "Paragraph style"),
    "char_style": ("字符样式", "Character style"),
    "char_none": ("（无）", "(none)"),
    # status
    "status.pos": ("{col}栏 {line}行  {x:.1f}×{y:.1f} mm", "col {col} line {line}  {x:.1f}×{y:.1f} mm"),
    "status.zoom": ("{z:.0f}%", "{z:.0f}%"),
    "status.page": ("{n}版", "Page {n}"),
    "status.overset": ("超排 {n} 篇", "{n} overset"),
    "status.saved": ("已保存 {path}", "Saved {path}"),
    "status.autosaved": ("已自动保存", "Autosaved"),
    "status.refused": ("无法执行：{msg}", "Not done: {msg}"),
    "drag.size": ("{cols}栏 × {lines}行 ({chars}字)", "{cols} col × {lines} lines ({chars} chars)"),
    "copyfit.fits": ("正好", "fits"),
    "copyfit": ("字数", "Copyfit"),
    # dialogs
    "recover.title": ("恢复", "Recover"),
    "recover.ask": ("找到比文件更新的自动保存：\n{path}\n要恢复吗？",
                    "An autosave newer than the file was found:\n{path}\nRecover it?"),
    "recover.yes": ("恢复", "Recover"),
    "recover.no": ("不恢复", "Discard Autosave"),
    "unsaved.discard": ("不保存", "Don't Save"),
    "unsaved.title": ("未保存的修改", "Unsaved changes"),
    "unsaved.ask": ("保存对 {name} 的修改吗？", "Save changes to {name}?"),
    "error": ("错误", "Error"),
    # shared-folder locks and files changed on disk
    "readonly.tag": ("[只读]", "[read-only]"),
    "readonly.label": ("只读", "Read-only"),
    "status.readonly": ("只读：{who}", "Read-only: {who}"),
    "readonly.refused": ("文件为只读（{who}）", "the file is read-only ({who})"),
    "lock.title": ("文件已被打开", "File in use"),
    "lock.held": ("只读打开：{who}。\n可以“另存为”到别的文件继续编辑。",
                  "Opened read-only: {who}.\nUse Save As to keep editing under another name."),
    "lock.stale_ask": ("{who}。\n该锁可能已失效。要解除锁定并以可编辑方式打开吗？",
                       "{who}.\nThe lock looks abandoned. Break it and open the file for editing?"),
    "lock.break": ("解除锁定", "Break Lock"),
    "lock.read_only": ("只读打开", "Open Read-only"),
    "lock.unwritable": ("文件夹不可写（{error}）", "the folder cannot be written ({error})"),
    "lock.lost": ("文件锁已被他人解除：{who}", "The file's lock was taken over: {who}"),
    "lock.save_refused": ("不能保存到 {path}：\n{who}", "Cannot save to {path}:\n{who}"),
    "changed.title": ("文件已被修改", "File changed on disk"),
    "changed.ask": ("{msg}。\n覆盖它、另存为别的文件，还是取消？",
                    "{msg}.\nOverwrite it, save under another name, or cancel?"),
    "changed.overwrite": ("覆盖", "Overwrite"),
    "changed.not_saved": ("未保存：文件已被他人修改", "Not saved: the file was changed on disk"),
    "export.running": ("正在导出 PDF…", "Exporting PDF…"),
    "export.done": ("已导出 {path}", "Exported {path}"),
    "export.refused": ("有错误，不能导出印刷 PDF：\n{msgs}\n仍要导出吗？",
                       "Errors stop the print export:\n{msgs}\nExport anyway?"),
    "export.force": ("仍然导出", "Export Anyway"),
    "import.title": ("导入报告：{source}", "Import report: {source}"),
    "import.repairs": ("修复（勾选即接受）", "Repairs (checked = accepted)"),
    "import.stories": ("{n} 篇稿件", "{n} stories"),
    "cancel": ("取消", "Cancel"),
    "ok": ("确定", "OK"),
    "files.issue": ("版面文件 (*.yaml *.yml)", "Banmian issues (*.yaml *.yml)"),
    "files.pdf": ("PDF (*.pdf)", "PDF (*.pdf)"),
    "files.images": ("图片 (*.jpg *.jpeg *.png *.tif *.tiff)", "Images (*.jpg *.jpeg *.png *.tif *.tiff)"),
    "files.import": ("稿件 (*.txt *.md *.docx)", "Stories (*.txt *.md *.docx)"),
    "fonts.loading": ("正在准备字体…", "Preparing fonts…"),
    "level.error": ("错误", "error"),
    "level.warning": ("警告", "warning"),
    "level.info": ("提示", "info"),
    "goto": ("转到", "Go to"),
    "pf.level": ("级别", "Level"),
    "pf.page": ("版", "Page"),
    "pf.message": ("问题", "Message"),
    "pf.none": ("没有发现问题", "No problems found"),
    # page design: masters, layers, swatches, decoration (issue 14)
    "dock.masters": ("版式", "Master Pages"),
    "dock.layers": ("图层", "Layers"),
    "dock.swatches": ("色板", "Swatches"),
    "master.new": ("新建版式", "New Master"),
    "master.delete": ("删除版式", "Delete Master"),
    "master.apply": ("应用到本版", "Apply to This Page"),
    "master.none": ("本版不用版式", "No Master on This Page"),
    "master.to_master": ("选中框移入版式", "Move Selection to Master"),
    "master.override": ("在本版改写", "Override on This Page"),
    "master.hide": ("本版隐藏", "Hide on This Page"),
    "master.text": ("文字（可用 {page} {page_cn} {section} {date} {number}）",
                    "Text (fields {page} {page_cn} {section} {date} {number})"),
    "master.frames": ("版式中的框", "Master frames"),
    "master.page": ("本版版式：{name}", "This page's master: {name}"),
    "master.default_name": ("版式{n}", "Master {n}"),
    "layer.new": ("新建图层", "New Layer"),
    "layer.delete": ("删除图层", "Delete Layer"),
    "layer.up": ("上移", "Move Up"),
    "layer.down": ("下移", "Move Down"),
    "layer.assign": ("选中框移到此图层", "Move Selection Here"),
    "layer.name": ("名称", "Name"),
    "layer.visible": ("显示", "Visible"),
    "layer.locked": ("锁定", "Locked"),
    "layer.printable": ("打印", "Printing"),
    "layer.default_name": ("图层{n}", "Layer {n}"),
    "swatch.new": ("新建色板", "New Swatch"),
    "swatch.delete": ("删除色板", "Delete Swatch"),
    "swatch.name": ("名称", "Name"),
    "swatch.tint": ("色调", "Tint"),
    "swatch.fill": ("填充选中框", "Fill Selection"),
    "swatch.stroke": ("描边选中框", "Stroke Selection"),
    "swatch.text": ("选中文字着色", "Colour Selected Text"),
    "swatch.para": ("段落样式着色", "Colour Paragraph Style"),
    "swatch.paper": ("纸色（反白）", "Paper (reverse type)"),
    "swatch.default_name": ("色板{n}", "Swatch {n}"),
    "prop.layer": ("图层", "Layer"),
    "prop.deco": ("颜色与边框", "Colour and Border"),
    "prop.color": ("颜色", "Colour"),
    "prop.fill": ("底纹", "Fill"),
    "prop.stroke": ("线宽", "Stroke"),
    "prop.border": ("边框", "Border"),
    "prop.text_color": ("文字颜色", "Text colour"),
    "border.solid": ("单线", "solid"),
    "border.double": ("双线", "double"),
    "border.thick-thin": ("文武线（粗细）", "thick-thin"),
    "border.thin-thick": ("文武线（细粗）", "thin-thick"),
    "border.dotted": ("点线", "dotted"),
    "border.dashed": ("虚线", "dashed"),
    "border.wave": ("波浪线", "wave"),
    "border.diamonds": ("花边：菱形", "diamonds"),
    "border.dot-dash": ("花边：点划", "dot-dash"),
    "border.key": ("花边：回纹", "key pattern"),
    "border.beads": ("花边：珠串", "beads"),
}

_lang: str | None = None


def detect_language() -> str:
    """'zh' when the environment or system locale is Chinese, else 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        val = os.environ.get(var, "")
        if val:
            return "zh" if val.lower().startswith("zh") else "en"
    try:
        from PySide6.QtCore import QLocale
        return "zh" if QLocale.system().name().startswith("zh") else "en"
    except ImportError:
        return "en"


def language() -> str:
    """The language in use."""
    global _lang
    if _lang is None:
        _lang = detect_language()
    return _lang


def set_language(lang: str | None) -> None:
    """Force 'zh' or 'en' (None: detect again)."""
    global _lang
    _lang = lang


def tr(key: str, **kw) -> str:
    """The UI string for ``key`` in the current language, formatted with ``kw``."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    s = pair[0] if language() == "zh" else pair[1]
    return s.format(**kw) if kw else s
