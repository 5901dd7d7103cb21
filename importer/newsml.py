"""NewsML-G2 (IPTC) news items and packages to draft stories.

A ``newsItem`` of text gives one story: ``contentMeta`` ``headline`` elements the
headline stack (a role naming "sub" a subtitle, "kicker"/"over"/"pre" a kicker),
``slugline`` the story's name, ``by`` the byline, ``dateline`` (or ``creditline`` +
``located`` + the creation date, "新华社北京3月26日电") the dateline, and the XHTML of
``contentSet/inlineXML`` the text: ``p`` paragraphs (``b``/``strong`` bold,
``i``/``em`` italic), ``h1`` the title when the metadata has none, ``h2``–``h6``
subheads, ``img``/``figure`` photos.  A wire story runs its byline in after the
dateline as papers print it ("新华社北京3月26日电（记者 某某）"), so ``by`` goes to the
byline field only when there is no dateline.  A picture item (``remoteContent`` of an
image type) is a photo to place: its ``href``, its caption (``description``) and its
credit (``by`` or ``creditline``, "… 摄").

A ``packageItem`` gives a story per text item its ``groupSet`` reaches from the root
group (``groupRef``s followed in order); ``itemRef``s find their item in the same
file (a ``newsMessage``'s ``itemSet``), by ``href`` beside the file, or among the
``.xml`` files beside it by ``guid``.  Pictures join the text item of their group.

The reader is expat through the standard library.  Expat itself limits entity
expansion since 2.4 (billion laughs), but not everywhere this runs, and it does
read an internal DTD: any ``<!DOCTYPE`` or ``<!ENTITY`` is refused outright before
anything is built, and external entities are never resolved.  Block line numbers
are the source lines of the elements.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from xml.parsers import expat

from .blocks import Block, Draft
from .chars import SPACES
from .errors import ImportFailure
from .parse import classify, structure

_SNIFF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(newsItem|packageItem|newsMessage)[\s>/]")
_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BLOCK_TAGS = {"p", "li", "dd", "dt", "blockquote", "pre", "caption", "figcaption"}
_HEAD_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2"}
_MAX_SIBLINGS = 200                 # .xml files beside a package searched for an item


class _Refused(Exception):
    """A construct the reader does not take (a DTD, an entity declaration)."""

    def __init__(self, what: str, line: int):
        super().__init__(what)
        self.what, self.line = what, line


def looks_like_newsml(data: bytes) -> bool:
    """Whether the bytes are an XML document with a NewsML-G2 item or message in it."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", "ignore").encode("utf-8")
        except (UnicodeError, ValueError):
            return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and bool(_SNIFF.search(head))


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, source: str) -> tuple[ET.Element, dict[int, int], str]:
    """(root element, element id → source line, encoding) of an XML document; a DOCTYPE,
    an entity declaration or an external entity is refused (ImportFailure)."""
    m = _DECL.match(data.removeprefix(b"\xef\xbb\xbf")[:200])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16 (BOM)"
    else:
        encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    if encoding not in ("utf-8", "utf8", "utf-16 (BOM)", "utf-16", "iso-8859-1", "us-ascii",
                        "ascii"):
        # expat reads only UTF-8/16 and Latin-1: GB2312/GBK/GB18030 wire files are
        # decoded here and handed over as UTF-8 with the declaration changed to say so
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ImportFailure(source, f"XML declared as {encoding} that does not decode "
                                        f"as such ({exc.__class__.__name__})") from None
        data = re.sub(r"""(<\?xml[^>]*encoding\s*=\s*["'])[A-Za-z0-9._-]+""", r"\1utf-8",
                      text, count=1).encode("utf-8")
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = True
    try:
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    except (AttributeError, expat.ExpatError):
        pass
    tb = ET.TreeBuilder()
    lines: dict[int, int] = {}
    keep: list[ET.Element] = []

    def name(n: str) -> str:
        return "{" + n if "}" in n else n

    def start(tag, attrs):
        el = tb.start(name(tag), {name(k): v for k, v in attrs.items()})
        lines[id(el)] = p.CurrentLineNumber
        keep.append(el)

    def refuse(what):
        def handler(*_args):
            raise _Refused(what, p.CurrentLineNumber)
        return handler

    p.StartElementHandler = start
    p.EndElementHandler = lambda tag: tb.end(name(tag))
    p.CharacterDataHandler = tb.data
    p.StartDoctypeDeclHandler = refuse("a DOCTYPE")
    p.EntityDeclHandler = refuse("an entity declaration (<!ENTITY)")
    p.ExternalEntityRefHandler = refuse("an external entity")
    try:
        p.Parse(data, True)
    except _Refused as exc:
        raise ImportFailure(source, f"{exc.what} on line {exc.line}: DTDs and entities are "
                                    "refused in XML files (NewsML-G2 needs neither)") from None
    except expat.ExpatError as exc:
        raise ImportFailure(source, f"not well-formed XML: {expat.errors.messages[exc.code]} "
                                    f"(line {exc.lineno})") from None
    except (LookupError, ValueError) as exc:
        raise ImportFailure(source, f"XML that cannot be read: {exc}") from None
    return tb.close(), lines, encoding


def _kids(el: ET.Element, name: str) -> list[ET.Element]:
    """Direct children with this local name."""
    return [c for c in el if _local(c.tag) == name]


def _kid(el: ET.Element | None, name: str) -> ET.Element | None:
    """The first direct child with this local name."""
    if el is None:
        return None
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: ET.Element | None) -> str:
    """An element's text content, spaces folded."""
    if el is None:
        return ""
    return re.sub(f"[{SPACES}\n\r]+", " ", "".join(el.itertext())).strip(" ")


class _Item:
    """One newsItem read: what a story (or a photo) is made of."""

    def __init__(self, el: ET.Element, lines: dict[int, int]):
        self.el, self.lines = el, lines
        self.guid = el.get("guid", "")
        meta = _kid(el, "contentMeta")
        item_meta = _kid(el, "itemMeta")
        cls = _kid(item_meta, "itemClass")
        self.kind = (cls.get("qcode", "") if cls is not None else "").split(":")[-1]
        self.headlines = [(h.get("role", ""), _text(h), self.line(h))
                          for h in _kids(meta, "headline")] if meta is not None else []
        self.slug = _text(_kid(meta, "slugline"))
        self.by = " ".join(_text(b) for b in _kids(meta, "by")) if meta is not None else ""
        self.credit = _text(_kid(meta, "creditline"))
        self.dateline = _text(_kid(meta, "dateline"))
        located = _kid(meta, "located")
        self.located = _text(_kid(located, "name")) if located is not None else ""
        created = _text(_kid(meta, "contentCreated")) or _text(_kid(item_meta, "versionCreated"))
        self.created = created
        self.descriptions = [(d.get("role", ""), _text(d)) for d in
                             (_kids(meta, "description") if meta is not None else [])]
        content = _kid(el, "contentSet")
        self.remote = [r for r in (_kids(content, "remoteContent") if content is not None else [])
                       if r.get("href")]
        self.inline = (_kids(content, "inlineXML") + _kids(content, "inlineData")
                       if content is not None else [])
        if not self.kind:
            self.kind = "picture" if any(r.get("contenttype", "").startswith("image/")
                                         for r in self.remote) else "text"

    def line(self, el: ET.Element | None) -> int:
        """The source line of an element (the item's own when unknown)."""
        if el is None:
            return self.lines.get(id(self.el), 0)
        return self.lines.get(id(el), 0) or self.lines.get(id(self.el), 0)

    def photo_credit(self) -> str:
        """A picture's credit line as printed: "新华社记者 某某 摄"."""
        who = self.by or self.credit
        if who and not who.endswith(("摄", "摄影", "供图", "图")):
            who += " 摄"
        return who

    def caption(self) -> str:
        """A picture's caption: its caption-role description, else the first, else headline."""
        for role, text in self.descriptions:
            if "caption" in role:
                return text
        if self.descriptions:
            return self.descriptions[0][1]
        return self.headlines[0][1] if self.headlines else ""

    def wire_dateline(self) -> str:
        """The dateline given or built: "新华社北京3月26日电" ('' when there is nothing)."""
        if self.dateline:
            return self.dateline
        if not (self.located and self.credit):
            return ""
        when = ""
        try:
            d = datetime.fromisoformat(self.created.replace("Z", "+00:00"))
            when = f"{d.month}月{d.day}日"
        except ValueError:
            pass
        return f"{self.credit}{self.located}{when}电"


class _Reader:
    """Blocks and drafts from the items of one or more files."""

    def __init__(self):
        self.blocks: list[Block] = []
        self.drafts: list[Draft] = []
        self.notes: list[str] = []

    def add(self, line: int, role: str, text: str = "", styles: tuple[str, ...] = (),
            image: str = "") -> Block:
        """A new block with the next id."""
        b = Block(len(self.blocks), line, role, text, styles if any(styles) else (), image,
                  found=structure(text) if role == "para" else "")
        self.blocks.append(b)
        return b

    def _inline(self, el: ET.Element, item: _Item, out: list[Block], styles: list[str],
                text: list[str], style: str = "") -> None:
        """Collect a block element's characters with their styles (b/strong, i/em)."""
        tag = _local(el.tag).lower()
        style = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic"}.get(tag, style)
        if tag == "br":
            text.append(" ")
            styles.append(style)
        if tag == "img" and el.get("src"):
            out.append(self.add(item.line(el), "image", image=el.get("src", "")))
        if el.text:
            text.append(el.text)
            styles.extend([style] * len(el.text))
        for c in el:
            self._inline(c, item, out, styles, text, style)
            if c.tail:
                text.append(c.tail)
                styles.extend([style] * len(c.tail))

    def _content(self, el: ET.Element, item: _Item, out: list[Block]) -> None:
        """Blocks from XHTML (or NITF) content, in document order."""
        for c in el:
            tag = _local(c.tag).lower()
            if tag in ("head", "title", "script", "style"):
                continue
            if tag in _HEAD_TAGS or tag in _BLOCK_TAGS or tag == "img":
                text: list[str] = []
                styles: list[str] = []
                pics: list[Block] = []
                self._inline(c, item, pics, styles, text)
                raw = "".join(text)
                st = tuple(styles)
                folded = re.sub(r"[\n\r\t]+", "", raw)
                st = tuple(s for ch, s in zip(raw, st) if ch not in "\n\r\t")
                lo = len(folded) - len(folded.lstrip(SPACES))
                hi = len(folded.rstrip(SPACES))
                t, st = folded[lo:hi], st[lo:hi]
                if t:
                    if tag in ("h1", "hl1"):
                        role = "title"
                    elif tag in _HEAD_TAGS:
                        role = "subhead"
                    elif tag in ("caption", "figcaption"):
                        role = "caption"
                    else:
                        role = classify(t)
                    if role in ("title", "subhead"):
                        st = ()
                    out.append(self.add(item.line(c), role, t, st))
                out.extend(pics)
            else:
                self._content(c, item, out)

    def story(self, item: _Item) -> Draft:
        """A draft from a text item."""
        d = Draft(len(self.drafts))
        kick, title, sub = [], [], []
        for role, text, line in item.headlines:
            r = role.lower()
            if not text:
                continue
            if "sub" in r:
                sub.append((text, line))
            elif any(w in r for w in ("kicker", "over", "pre", "shoulder")):
                kick.append((text, line))
            elif title and not r:
                sub.append((text, line))
            else:
                title.append((text, line))
        body: list[Block] = []
        for inline in item.inline:
            if _local(inline.tag) == "inlineData":
                for k, para in enumerate(re.split(r"\n\s*\n", inline.text or "")):
                    t = " ".join(para.split()).strip()
                    if t:
                        body.append(self.add(item.line(inline) + k, classify(t), t))
            else:
                self._content(inline, item, body)
        if not title:
            h1 = next((b for b in body if b.role == "title"), None)
            if h1 is not None:
                body.remove(h1)
                title.append((h1.text, h1.line))
        for b in body:
            if b.role == "title":
                b.role = "subhead"
        d.heads = ([self.add(ln, "kicker", t) for t, ln in kick]
                   + [self.add(ln, "title", t) for t, ln in title[:1]]
                   + [self.add(ln, "subtitle", t) for t, ln in sub])
        dateline = item.wire_dateline()
        lead = next((b for b in body if b.role == "para" and not b.found), None)
        if dateline:
            d.meta["dateline"] = dateline
            if lead is not None and not lead.text.startswith(dateline):
                head = dateline + (f"（{item.by}）" if item.by else "\u3000")
                lead.text = head + lead.text
                lead.styles = (("",) * len(head) + lead.styles) if lead.styles else ()
        elif item.by:
            d.bylines = [self.add(item.line(None), "byline", item.by)]
        if item.slug:
            d.meta["name"] = item.slug
        d.body = body
        self.drafts.append(d)
        return d

    def photo(self, item: _Item, d: Draft) -> None:
        """A picture item's photos (its remoteContent) added to a draft's body."""
        for r in item.remote[:1] or []:
            d.body.append(self.add(item.line(r), "image", image=r.get("href", "")))
            caption = item.caption()
            if caption:
                d.body.append(self.add(item.line(None), "caption", caption))
            credit = item.photo_credit()
            if credit:
                d.body.append(self.add(item.line(None), "credit", credit))
        if len(item.remote) > 1:
            self.notes.append(f"picture {item.guid or '?'}: {len(item.remote)} renditions; "
                              "the first is listed")


def _items_in(root: ET.Element) -> tuple[list[ET.Element], list[ET.Element]]:
    """(newsItems, packageItems) of a document: the root itself or a newsMessage's itemSet."""
    tag = _local(root.tag)
    if tag == "newsItem":
        return [root], []
    if tag == "packageItem":
        return [], [root]
    if tag == "newsMessage":
        items = [c for s in _kids(root, "itemSet") for c in s]
        return ([c for c in items if _local(c.tag) == "newsItem"],
                [c for c in items if _local(c.tag) == "packageItem"])
    return [], []


class _Package:
    """Finds the items a package refers to: same file, href beside it, or guid beside it."""

    def __init__(self, source: str, local: dict[str, ET.Element], lines: dict[int, int]):
        self.source, self.local, self.lines = source, local, lines
        self.dir = Path(source).resolve().parent if Path(source).is_file() else None
        self.sibling_guids: dict[str, Path] | None = None

    def _load(self, path: Path) -> ET.Element | None:
        root, lines, _ = parse_xml(path.read_bytes(), str(path))
        self.lines.update(lines)
        news, _packages = _items_in(root)
        for el in news:
            self.local.setdefault(el.get("guid", ""), el)
        return root

    def find(self, ref: ET.Element) -> ET.Element | None:
        """The newsItem an itemRef names, or None."""
        guid, href = ref.get("residref", ""), ref.get("href", "")
        if guid and guid in self.local:
            return self.local[guid]
        if self.dir is None:
            return None
        if href and "://" not in href:
            target = (self.dir / href).resolve()
            if target.parent == self.dir and target.is_file():
                root = self._load(target)
                news, _ = _items_in(root)
                match = [n for n in news if not guid or n.get("guid") == guid]
                if match:
                    return match[0]
        if guid:
            if self.sibling_guids is None:
                self.sibling_guids = {}
                for path in sorted(self.dir.glob("*.xml"))[:_MAX_SIBLINGS]:
                    if path.resolve() == Path(self.source).resolve():
                        continue
                    try:
                        with path.open("rb") as f:
                            head = f.read(4096)
                    except OSError:
                        continue
                    m = re.search(rb'guid\s*=\s*"([^"]+)"', head)
                    if m:
                        self.sibling_guids[m.group(1).decode("utf-8", "replace")] = path
            path = self.sibling_guids.get(guid)
            if path is not None:
                self._load(path)
                return self.local.get(guid)
        return None


def newsml_drafts(data: bytes, source: str) -> tuple[list[Draft], str, list[str]]:
    """(drafts, encoding, notes) of a NewsML-G2 document (newsItem, packageItem or
    newsMessage); ImportFailure for XML that is refused or holds no item."""
    root, lines, encoding = parse_xml(data, source)
    news, packages = _items_in(root)
    if not news and not packages:
        raise ImportFailure(source, f"an XML file, but not NewsML-G2 (its root is "
                                    f"<{_local(root.tag)}>, not newsItem/packageItem)")
    reader = _Reader()
    local = {el.get("guid", ""): el for el in news}
    used: set[str] = set()
    for pkg in packages:
        finder = _Package(source, local, lines)
        group_set = _kid(pkg, "groupSet")
        if group_set is None:
            reader.notes.append(f"package {pkg.get('guid', '?')}: no groupSet")
            continue
        groups = {g.get("id", ""): g for g in _kids(group_set, "group")}
        root_id = group_set.get("root") or next(iter(groups), "")
        seen: set[str] = set()

        def walk(gid: str) -> None:
            g = groups.get(gid)
            if g is None or gid in seen:
                return
            seen.add(gid)
            current: Draft | None = None
            for c in g:
                tag = _local(c.tag)
                if tag == "groupRef":
                    walk(c.get("idref", ""))
                    continue
                if tag != "itemRef":
                    continue
                el = finder.find(c)
                if el is None:
                    reader.notes.append(f"package item {c.get('residref') or c.get('href')}: "
                                        "not found in the file or beside it")
                    continue
                used.add(el.get("guid", ""))
                item = _Item(el, lines)
                if item.kind in ("picture", "graphic"):
                    target = current or (reader.drafts[-1] if reader.drafts else None)
                    reader.photo(item, target or reader.story(item))
                else:
                    current = reader.story(item)

        walk(root_id)
    for el in news:
        if el.get("guid", "") in used and packages:
            continue
        item = _Item(el, lines)
        if item.kind in ("picture", "graphic"):
            reader.photo(item, reader.drafts[-1] if reader.drafts else reader.story(item))
        else:
            reader.story(item)
    if not reader.drafts:
        raise ImportFailure(source, "a NewsML-G2 file without any news item to import")
    return reader.drafts, encoding, reader.notes
