"""Word .docx files to blocks: paragraphs with bold/italic runs, headings, images.

Heading 1 (or Title) is a headline title; Heading 2 (or Subtitle) a subtitle
right after it, a kicker right before it, else a subhead; Heading 3 and deeper
are subheads; a paragraph style named Kicker/引题/肩题/眉题 is a kicker.  Bold
runs get the character style "bold", italic ones "italic" (bold and italic:
"bold", since Chinese type has no italic).  Images are written to ``image_dir``
as ``<file stem>-NN.<ext>``; a Caption style paragraph after one is its caption.
Block ``line`` numbers count the document's paragraphs.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .blocks import Block
from .chars import SPACES
from .errors import ImportFailure
from .parse import classify, resolve_subs, structure


def _style_role(name: str) -> str:
    """The block role a paragraph style name stands for ("" = ordinary text)."""
    low = name.strip().lower()
    if re.fullmatch(r"(heading|标题)\s*1", low) or low in ("title", "标题"):
        return "title"
    if re.fullmatch(r"(heading|标题)\s*2", low) or low in ("subtitle", "副标题"):
        return "sub"
    if re.fullmatch(r"(heading|标题)\s*[3-9]", low):
        return "subhead"
    if any(w in low for w in ("kicker", "引题", "肩题", "眉题")):
        return "kicker"
    if low in ("caption", "题注"):
        return "caption"
    return ""


def _run_style(run) -> str:
    """"bold", "italic" or "" for a python-docx run (direct or character-style format)."""
    bold, italic = run.bold, run.italic
    try:
        cs = run.style
    except (KeyError, ValueError, AttributeError):
        cs = None
    if cs is not None and getattr(cs, "font", None) is not None:
        bold = cs.font.bold if bold is None else bold
        italic = cs.font.italic if italic is None else italic
    return "bold" if bold else "italic" if italic else ""


class _Images:
    """Writes a document's images to files, once each, and names them."""

    def __init__(self, doc, image_dir: Path | None, stem: str):
        self.doc, self.dir, self.stem = doc, image_dir, stem
        self.done: dict[str, str] = {}
        self.written: list[str] = []
        self.skipped = 0

    def save(self, rid: str) -> str | None:
        """The relative path of the image with this relationship id (None: not an image)."""
        if rid in self.done:
            return self.done[rid]
        part = self.doc.part.related_parts.get(rid)
        if part is None or not getattr(part, "content_type", "").startswith("image/"):
            return None
        ext = part.partname.ext or "bin"
        if self.dir is None:
            self.skipped += 1
            self.done[rid] = ""
            return ""
        self.dir.mkdir(parents=True, exist_ok=True)
        n = len(self.written) + 1
        while True:
            target = self.dir / f"{self.stem}-{n:02d}.{ext}"
            if not target.exists() or target.read_bytes() == part.blob:
                break
            n += 1
        target.write_bytes(part.blob)
        self.written.append(str(target))
        rel = f"{self.dir.name}/{target.name}"
        self.done[rid] = rel
        return rel


def _paragraph_content(p, images: _Images) -> tuple[str, tuple[str, ...], list[str]]:
    """A paragraph's text, per-character styles, and the images in it."""
    text: list[str] = []
    styles: list[str] = []
    pics: list[str] = []
    for item in p.iter_inner_content():
        runs = getattr(item, "runs", None)
        for run in (runs if runs is not None else [item]):
            t = run.text.replace("\n", " ").replace("\t", " ")
            st = _run_style(run)
            text.append(t)
            styles.extend([st] * len(t))
            for rid in run._r.xpath(".//a:blip/@r:embed"):
                path = images.save(rid)
                if path is not None:
                    pics.append(path)
    return "".join(text), tuple(styles), pics


#: a .docx whose parts unpack to more than this is refused (a zip bomb, not an article)
MAX_UNPACKED = 256 * 1024 * 1024


def _unpacked_size(data: bytes) -> int:
    """What the package's parts claim to unpack to (0 when it is no zip at all)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return sum(max(0, i.file_size) for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return 0


def docx_blocks(data: bytes, source: str, image_dir: Path | None
                ) -> tuple[list[Block], list[str], list[str]]:
    """The blocks of a .docx file, the image files written, and notes."""
    size = _unpacked_size(data)
    if size > MAX_UNPACKED:
        raise ImportFailure(source, f"not a usable Word .docx file: it unpacks to "
                                    f"{size / 2**20:,.0f} MB (a zip bomb?)")
    try:
        import docx
        from docx.text.paragraph import Paragraph
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise ImportFailure(source, f"not a valid Word .docx file ({exc})") from None
    except Exception as exc:   # python-docx/lxml raise many kinds on a damaged package
        raise ImportFailure(source, f"not a valid Word .docx file ({type(exc).__name__}: "
                                    f"{exc})") from None
    images = _Images(document, image_dir, Path(source).stem or "image")
    blocks: list[Block] = []
    notes: list[str] = []
    tables = 0
    number = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tables += 1
            elements = list(child.iter("{%s}p" % child.nsmap.get("w", "")))
        elif tag == "p":
            elements = [child]
        else:
            continue
        for el in elements:
            number += 1
            p = Paragraph(el, document._body)
            try:
                style_name = p.style.name if p.style is not None else ""
            except (KeyError, ValueError, AttributeError):
                style_name = ""
            text, styles, pics = _paragraph_content(p, images)
            lo = len(text) - len(text.lstrip(SPACES))
            hi = len(text.rstrip(SPACES))
            text, styles = text[lo:hi], styles[lo:hi]
            if text:
                role = _style_role(style_name) if tag == "p" else ""
                if role in ("title", "sub", "kicker", "subhead"):
                    text, styles = re.sub(f"[{SPACES}]+", " ", text), ()
                role = role or classify(text)
                blocks.append(Block(len(blocks), number, role, text,
                                    styles if any(styles) else (),
                                    found=structure(text) if role == "para" else ""))
            for path in pics:
                blocks.append(Block(len(blocks), number, "image", image=path))
    resolve_subs(blocks)
    if tables:
        notes.append(f"{tables} table(s): their paragraphs were imported as body text")
    if images.skipped:
        notes.append(f"{images.skipped} image(s) not extracted: no target issue to put them by")
    return blocks, images.written, notes
