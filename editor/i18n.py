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
    "new.duikai": ("对开（8 栏）…", "Broadsheet (8 columns)…"),
    "new.sikai": ("四开（6 栏）…", "Tabloid (6 columns)…"),
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
    "spread": ("对页视图", "Spread View"),
    "fit_spread": ("适合对页", "Fit Spread"),
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
    "tool.zoom": ("缩放 (Z)", "Zoom (Z)"),
    "tool.place": ("排入稿件", "Place Story"),
    "place.loaded": ("排入“{name}”：单击放一栏，拖动画块，Shift+单击自动排满（Esc 取消）",
                     "Placing \"{name}\": click for a column, drag for a frame, "
                     "Shift-click to autoflow (Esc cancels)"),
    "place.flowed": ("已自动排入 {n} 个文字块，新增 {pages} 版",
                     "Autoflowed into {n} frames, {pages} pages added"),
    "place.too_long": ("稿件太长，自动排入已停止", "the story is too long: autoflow stopped"),
    "place.none": ("请先选中一个文字块，或在稿件列表中选一篇稿件",
                   "Select a text frame, or pick a story in the stories list first"),
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
    "prop.size_mm": ("尺寸（毫米）", "Size (mm)"),
    "prop.pos_mm": ("位置（毫米）", "Position (mm)"),
    "prop.nth_pre": ("第", ""),
    "prop.nth_col": ("栏", ""),
    "prop.nth_line": ("行", ""),
    "prop.n_frames": ("已选 {n} 个对象", "{n} frames selected"),
    "prop.stroke_color": ("线色", "Stroke colour"),
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
    "status.pos": ("第{col}栏 第{line}行  {x:.1f}×{y:.1f} 毫米",
                   "col {col} line {line}  {x:.1f}×{y:.1f} mm"),
    "status.zoom": ("{z:.0f}%", "{z:.0f}%"),
    "status.page": ("{n}版", "Page {n}"),
    "status.overset": ("超排 {n} 篇", "{n} overset"),
    "status.saved": ("已保存 {path}", "Saved {path}"),
    "status.autosaved": ("已自动保存", "Autosaved"),
    "status.refused": ("无法执行：{msg}", "Not done: {msg}"),
    "drag.pos": ("第{col}栏 第{line}行", "col {col}, line {line}"),
    "drag.size": ("{cols}栏 × {lines}行 ({chars}字)", "{cols} col × {lines} lines ({chars} chars)"),
    "copyfit.fits": ("正好", "fits"),
    "copyfit.unplaced": ("未排", "not placed"),
    "copyfit": ("字数", "Copyfit"),
    # dialogs
    "recover.title": ("恢复", "Recover"),
    "recover.ask": ("找到比文件更新的自动保存：\n{path}\n{summary}\n要恢复吗？",
                    "An autosave newer than the file was found:\n{path}\n{summary}\nRecover it?"),
    "recover.when": ("保存于 {when}（{ago}）", "Written {when} ({ago})"),
    "recover.seconds": ("{n} 秒前", "{n} s ago"),
    "recover.minutes": ("{n} 分钟前", "{n} min ago"),
    "recover.holds": ("共 {pages} 版、{stories} 篇稿件", "{pages} pages, {stories} stories"),
    "recover.changed": ("与已保存文件不同的稿件：{names}",
                        "Stories changed since the file was saved: {names}"),
    "recover.pages_changed": ("版面上的块有改动", "Frames on the pages changed"),
    "recover.same": ("与已保存文件相同", "Same as the saved file"),
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
    "export.findings": ("{level}（{n}）：", "{level} ({n}):"),
    "export.page": ("{n}版", "p. {n}"),
    "exportdlg.title": ("导出 PDF", "Export PDF"),
    "exportdlg.mode": ("用途", "Purpose"),
    "exportdlg.proof": ("校样（屏幕、打印机）", "Proof (screen, office printer)"),
    "exportdlg.print": ("印刷（CMYK，送印厂）", "Print (CMYK, for the printing plant)"),
    "exportdlg.pages": ("版面范围", "Pages"),
    "exportdlg.all_pages": ("全部（例如 {first}-{last}）", "all (e.g. {first}-{last})"),
    "exportdlg.proof_marks": ("校样标记", "Proof marks"),
    "exportdlg.watermark": ("水印", "Watermark"),
    "exportdlg.outlines": ("显示块的轮廓", "Frame outlines"),
    "exportdlg.file": ("文件", "File"),
    "exportdlg.export": ("导出", "Export"),
    "exportdlg.bad_range": ("版面范围“{part}”看不懂（例如 1-3, 5）",
                            "Cannot read the page range \"{part}\" (e.g. 1-3, 5)"),
    "exportdlg.no_page": ("版面范围“{part}”里没有这期的版面", "No page of the issue in \"{part}\""),
    "exportdlg.no_file": ("请给出文件名", "Give a file name"),
    "import.title": ("导入报告：{source}", "Import report: {source}"),
    "import.repairs": ("修复（勾选即接受）", "Repairs (checked = accepted)"),
    "import.stories": ("{n} 篇稿件", "{n} stories"),
    "import.col.line": ("行", "line"),
    "import.col.before": ("原文", "before"),
    "import.col.after": ("修改后", "after"),
    "import.col.evidence": ("依据", "evidence"),
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
    # undo names (撤销 移动): the labels the editor and layout.edits give their edits
    "undo.move": ("移动", "move"),
    "undo.resize": ("调整大小", "resize"),
    "undo.nudge": ("微移", "nudge"),
    "undo.delete": ("删除", "delete"),
    "undo.add frame": ("新建块", "add frame"),
    "undo.delete frame": ("删除块", "delete frame"),
    "undo.add page": ("新增版面", "add page"),
    "undo.add story": ("新建稿件", "add story"),
    "undo.new story": ("新建稿件", "new story"),
    "undo.frame options": ("块属性", "frame options"),
    "undo.frame": ("块属性", "frame"),
    "undo.headline": ("标题", "headline"),
    "undo.crop": ("裁切", "crop"),
    "undo.place": ("排入", "place"),
    "undo.place image": ("置入图片", "place image"),
    "undo.autoflow": ("自动排入", "autoflow"),
    "undo.link": ("续排", "link"),
    "undo.unlink": ("断开续排", "unlink"),
    "undo.thread": ("续排", "thread"),
    "undo.typing": ("输入文字", "typing"),
    "undo.new paragraph": ("新段落", "new paragraph"),
    "undo.paragraph style": ("段落样式", "paragraph style"),
    "undo.character style": ("字符样式", "character style"),
    "undo.style definition": ("样式定义", "style definition"),
    "undo.import": ("导入稿件", "import"),
    "undo.lock": ("锁定", "lock"),
    "undo.align": ("对齐", "align"),
    "undo.align left": ("左对齐", "align left"),
    "undo.align top": ("顶对齐", "align top"),
    "undo.distribute": ("分布", "distribute"),
    "undo.replace": ("替换", "replace"),
    "undo.replace all": ("全部替换", "replace all"),
    "undo.style": ("样式", "style"),
    "undo.edit": ("编辑", "edit"),
    # diagnostics (the layout's and the output checks'), by code
    "diag.overset": ("稿件“{0}”超排：{label}", "{msg}"),
    "diag.missing-glyph": ("稿件“{0}”有字库缺字（{1}）", "{msg}"),
    "diag.font-fallback": ("稿件“{0}”的“{1}”用了后备字体", "{msg}"),
    "diag.headline-fit": ("稿件“{0}”的标题放不进标题块", "{msg}"),
    "diag.image-outside": ("图片块“{0}”的图片“{1}”在版面文件夹之外", "{msg}"),
    "diag.image-missing": ("图片块“{0}”的图片文件“{1}”找不到", "{msg}"),
    "diag.image-bad": ("图片块“{0}”的图片无法读取", "{msg}"),
    "diag.image-unreadable": ("图片“{0}”无法读取", "{msg}"),
    "diag.image-low-resolution": ("图片“{0}”分辨率只有 {n0} ppi（印刷至少 {n1} ppi）", "{msg}"),
    "diag.image-downsampled": ("图片“{0}”（{n0} ppi）将降到 {n1} ppi", "{msg}"),
    "diag.image-rgb-converted": ("图片“{0}”不是 CMYK，印刷时将转换", "{msg}"),
    "diag.font-missing": ("字体“{0}”没有安装", "{msg}"),
    "diag.font-unusable": ("字体“{0}”不能使用", "{msg}"),
    "diag.font-not-embeddable": ("字体“{0}”不允许嵌入", "{msg}"),
    "diag.color-unknown": ("颜色“{0}”未定义，按黑色印", "{msg}"),
    "diag.rich-black-text": ("小字用了四色黑“{0}”，新闻纸上会套不准", "{msg}"),
    "diag.other": ("发现问题（{names}）", "{msg}"),
    "prop.auto": ("自动", "auto"),
    "copyfit.over": ("超出 {lines} 行 / {chars} 字", "over by {lines} lines / {chars} chars"),
    "copyfit.short": ("缺 {lines} 行", "short by {lines} lines"),
    "pf.running": ("正在检查图片、字体和颜色…", "Checking images, fonts and colours…"),
    # clipboard, context menus, find/replace, styles (issue 13)
    "cut": ("剪切", "Cut"),
    "copy": ("复制", "Copy"),
    "paste": ("粘贴", "Paste"),
    "paste_plain": ("无格式粘贴", "Paste without Formatting"),
    "paste_in_place": ("原位粘贴", "Paste in Place"),
    "paste_linked": ("粘贴并续排原稿", "Paste Linked"),
    "paste_here": ("粘贴到此处", "Paste Here"),
    "duplicate": ("复制对象", "Duplicate"),
    "find": ("查找…", "Find…"),
    "replace": ("查找替换…", "Find and Replace…"),
    "unlock": ("解除锁定", "Unlock"),
    "bring_forward": ("上移一层", "Bring Forward"),
    "send_backward": ("下移一层", "Send Backward"),
    "thread": ("续排到…", "Thread to…"),
    "properties": ("属性…", "Properties…"),
    "new_frame_here": ("在此新建文字块", "New Text Frame Here"),
    "page_properties": ("版面属性…", "Page Properties…"),
    "page.insert": ("插入新版", "Insert Page"),
    "page.delete": ("删除此版", "Delete Page"),
    "page.duplicate": ("复制此版", "Duplicate Page"),
    "page.move_up": ("前移", "Move Up"),
    "page.move_down": ("后移", "Move Down"),
    "page.section": ("版名", "Section"),
    "story.place": ("排入所选文字块", "Place into Selected Frame"),
    "story.rename": ("重命名…", "Rename…"),
    "story.delete": ("删除稿件", "Delete Story"),
    "story.open": ("在稿件编辑器中打开", "Open in Story Editor"),
    "story.name": ("稿件名", "Story name"),
    "story.delete_ask": ("删除稿件“{name}”？（可撤销）", "Delete the story '{name}'? (undoable)"),
    "dock.find": ("查找替换", "Find and Replace"),
    "dock.styles": ("样式", "Styles"),
    "clip.empty": ("剪贴板上没有版面对象", "nothing from a page on the clipboard"),
    "clip.copy_suffix": (" 副本", " copy"),
    "clip.nothing": ("剪贴板上没有可粘贴的内容", "Nothing on the clipboard to paste"),
    "clip.nothing_selected": ("没有选中对象：先选择要{what}的对象",
                              "Nothing selected: select the frames to {what} first"),
    "clip.copied": ("已复制 {n} 个对象", "Copied {n} frame(s)"),
    "clip.pasted": ("已粘贴 {n} 个对象", "Pasted {n} frame(s)"),
    "clip.pasted_clean": ("已粘贴，未作改动", "Pasted; nothing needed cleaning"),
    "clip.cleaned": ("粘贴时已整理：{what}", "Cleaned while pasting: {what}"),
    "clip.fix.fullwidth": ("全角数字字母 {n} 处", "full-width digits/letters {n}"),
    "clip.fix.punctuation": ("标点 {n} 处", "punctuation {n}"),
    "clip.fix.space": ("多余空格 {n} 处", "stray spaces {n}"),
    "clip.fix.jump_marker": ("转版字样 {n} 处", "jump markers {n}"),
    "clip.fix.blank": ("空行 {n} 处", "blank lines {n}"),
    "clip.text_needs_cursor": ("剪贴板上是文字：先用文字工具点入文字块再粘贴",
                               "The clipboard holds text: click into a text frame with the "
                               "Type tool, then paste"),
    "clip.linked_other": ("原稿不在本期，已改为复制稿件", "The story is not in this issue: copied"),
    "undo.cut": ("剪切", "Cut"),
    "undo.paste": ("粘贴", "Paste"),
    "undo.duplicate": ("复制对象", "Duplicate"),
    "undo.arrange": ("调整层次", "Arrange"),
    "undo.new_style": ("新建样式", "New Style"),
    "undo.edit_style": ("修改样式", "Edit Style"),
    "undo.rename_style": ("重命名样式", "Rename Style"),
    "undo.delete_style": ("删除样式", "Delete Style"),
    "undo.format": ("文字格式", "Formatting"),
    "undo.page": ("版面操作", "Page"),
    "undo.story": ("稿件操作", "Story"),
    "undo.new_frame": ("新建文字块", "New Frame"),
    "find.find": ("查找", "Find"),
    "find.replace": ("替换为", "Replace with"),
    "find.what": ("要查找的文字", "Text to find"),
    "find.with": ("替换成的文字", "Replacement"),
    "find.whole_word": ("全字匹配", "Whole word"),
    "find.fold_width": ("不区分全角半角", "Ignore full/half width"),
    "find.regex": ("正则表达式", "Regular expression"),
    "find.case": ("区分大小写", "Match case"),
    "find.find_all": ("全部查找", "Find All"),
    "find.next": ("下一个", "Next"),
    "find.replace_one": ("替换", "Replace"),
    "find.replace_all": ("全部替换", "Replace All"),
    "find.where": ("位置", "Where"),
    "find.context": ("内容", "Context"),
    "find.count": ("找到 {n} 处", "{n} found"),
    "find.replaced": ("已替换 {n} 处（一次撤销）", "Replaced {n} (one undo step)"),
    "find.stale": ("文字已改动，已重新查找", "The text changed; searched again"),
    "find.bad_regex": ("正则表达式有误：{msg}", "Bad regular expression: {msg}"),
    "find.in_para": ("{story} · 第{n}段", "{story} · para. {n}"),
    "find.in_field": ("{story} · {field}", "{story} · {field}"),
    "find.in_frame": ("{frame} · {field}", "{frame} · {field}"),
    "find.field.kicker": ("引题", "kicker"),
    "find.field.title": ("主题", "title"),
    "find.field.subtitle": ("副题", "subtitle"),
    "find.field.byline": ("署名", "byline"),
    "find.field.credit": ("摄影署名", "credit"),
    "find.field.caption": ("图片说明", "caption"),
    "find.field.text": ("文字", "text"),
    "styles.new_btn": ("新建", "New"),
    "styles.edit_btn": ("编辑", "Edit"),
    "styles.rename_btn": ("重命名", "Rename"),
    "styles.delete_btn": ("删除", "Delete"),
    "styles.new": ("新建样式", "New Style"),
    "styles.edit_title": ("编辑样式：{name}", "Edit Style: {name}"),
    "styles.key": ("样式代号", "Key"),
    "styles.label": ("显示名称", "Display name"),
    "styles.font": ("字体", "Font"),
    "styles.size": ("字号", "Size"),
    "styles.size_tip": ("号数（小五、五号）或 pt（9pt）", "A 号 size or points (9pt)"),
    "styles.color": ("颜色", "Colour"),
    "styles.leading": ("行距（行）", "Leading (grid lines)"),
    "styles.indent": ("首行缩进（字）", "First-line indent (characters)"),
    "styles.space_before": ("段前（行）", "Space before (lines)"),
    "styles.space_after": ("段后（行）", "Space after (lines)"),
    "styles.align": ("对齐", "Alignment"),
    "styles.keep": ("与下段同栏", "Keep with next"),
    "styles.shape": ("字形（长/扁）", "Shape (condensed/extended)"),
    "styles.shape_tip": ("长体或扁体", "condensed (长) or extended (扁)"),
    "styles.inherit": ("（随段落）", "(as paragraph)"),
    "styles.need_key": ("请填写样式代号", "The style needs a key"),
    "styles.key_used": ("样式代号“{name}”已被使用", "The key '{name}' is already used"),
    "styles.bad_size": ("字号“{size}”无法识别", "The size '{size}' is not understood"),
    "styles.choose": ("请先选择一个样式", "Choose a style first"),
    "styles.builtin": ("“{name}”是内置样式，不能删除", "'{name}' is built in and cannot be deleted"),
    "styles.rename_label": ("新的显示名称（内置样式）", "New display name (built-in style)"),
    "styles.rename_key": ("新的样式代号（所有使用处随之改名）",
                          "New key (every use is renamed)"),
    "styles.replace_ask": ("“{name}”有 {n} 处在使用。删除后改用：",
                           "'{name}' is used {n} times. Use instead:"),
    "styles.at_cursor": ("当前段落：{name}", "Paragraph at cursor: {name}"),
    "styles.overrides": ("（局部格式：{what}）", " (overrides: {what})"),
    "styles.no_cursor": ("未在文字中", "No text cursor"),
    "styles.need_selection": ("先选中文字", "Select some text first"),
    "fmt.bold": ("粗体", "Bold"),
    "fmt.size": ("字号…", "Size…"),
    "fmt.bold_toggle": ("粗体", "Bold"),
    "fmt.bigger": ("字号加大一级", "Larger Size"),
    "fmt.smaller": ("字号减小一级", "Smaller Size"),
    "fmt.color": ("颜色…", "Colour…"),
    "fmt.clear": ("清除局部格式", "Clear Overrides"),
    "fmt.local": ("局部 {what}", "Local {what}"),
    "color.black": ("黑", "black"),
    "color.red": ("红", "red"),
    "color.grey": ("灰", "grey"),
    "align.justify": ("两端对齐", "Justify"),
    "align.left": ("左对齐", "Left"),
    "align.center": ("居中", "Centre"),
    "align.right": ("右对齐", "Right"),
    "role.body": ("正文字体", "body"),
    "role.headline": ("标题字体", "headline"),
    "role.headline-heavy": ("标题粗体", "headline heavy"),
    "role.byline": ("署名字体", "byline"),
    "role.caption": ("说明字体", "caption"),
    "role.latin": ("西文字体", "Latin"),
    "role.latin-headline": ("西文标题字体", "Latin headline"),
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


def undo_label(name: str) -> str:
    """The undo stack's name for an edit label ("resize" → 调整大小 under Chinese)."""
    key = "undo." + name
    return tr(key) if key in STRINGS else name


def diag_text(d) -> str:
    """A diagnostic's message in the UI language (the layout and output write English)."""
    if language() != "zh":
        if d.code == "overset":
            import re
            m = re.search(r"超出 (\d+) 行 / (\d+) 字", d.message)
            if m:
                return d.message.replace(m.group(0), tr("copyfit.over", lines=m.group(1),
                                                         chars=m.group(2)))
            m = re.search(r"缺 (\d+) 行", d.message)
            if m:
                return d.message.replace(m.group(0), tr("copyfit.short", lines=m.group(1)))
        return d.message
    import re
    msg = d.message
    names = re.findall(r"'([^']*)'", msg) + [""] * 3
    nums = re.findall(r"(\d+(?:\.\d+)?) ?ppi", msg) + re.findall(r"\d+", msg) + [""] * 3
    key = "diag." + d.code
    if d.code == "missing-glyph":
        m = re.search(r"'(.)' \((U\+[0-9A-F]+)\)", msg)
        names = [names[0], f"{m.group(1)} {m.group(2)}" if m else ""] + names[2:]
    elif d.code == "font-fallback":
        names = [names[0], names[1]] + names[2:]
    elif d.code in ("image-low-resolution", "image-downsampled"):
        nums = re.findall(r"(\d+) ppi", msg) + [""] * 2
    label = ""
    if d.code == "overset":
        m = re.search(r"(超出[^—]*?)\s*—", msg)
        label = m.group(1) if m else ""
    if key not in STRINGS:
        key = "diag.other"
    zh = STRINGS[key][0]
    return zh.format(*names[:3], n0=nums[0], n1=nums[1] if len(nums) > 1 else "", label=label,
                     code=d.code, names="、".join(n for n in names if n), msg=msg)


def copyfit_label(cf) -> str:
    """A copyfit badge in the UI language (超出 3 行 / 38 字, 缺 2 行, 正好)."""
    if cf.overset_lines or cf.overset_chars:
        return tr("copyfit.over", lines=cf.overset_lines, chars=cf.overset_chars)
    if cf.underset_lines:
        return tr("copyfit.short", lines=cf.underset_lines)
    return tr("copyfit.fits")
