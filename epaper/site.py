"""Build the e-paper site: index.html, page-NN.html, article-ID.html, style.css, images."""
from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field

from layout import model as m
from layout.units import chinese_numeral
from proofs import layoutview as LV

PHOTO_REACH = 30.0        # pt: a photo this close to a story's frames on its page is the story's

CSS = """\
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Serif CJK SC","Noto Serif SC","Songti SC",serif;color:#222;
 background:#f4f1ea;line-height:1.7}
header.site,footer.site{background:#8b1a1a;color:#fff;padding:.6rem 1rem}
header.site a,footer.site a{color:#fff}
header.site .paper{margin:0;font-size:1.3rem;font-weight:bold}
main{max-width:72rem;margin:0 auto;padding:1rem}
nav.pager{display:flex;gap:1rem;flex-wrap:wrap;justify-content:space-between;margin:.5rem 0}
nav.pager a{padding:.3rem .6rem;background:#fff;border:1px solid #ccc;text-decoration:none}
ul.pages{list-style:none;padding:0;display:grid;gap:1rem;
 grid-template-columns:repeat(auto-fill,minmax(11rem,1fr))}
ul.pages li{background:#fff;padding:.5rem;border:1px solid #ddd}
ul.pages img{width:100%;height:auto;display:block}
.pageview{display:grid;gap:1rem;grid-template-columns:minmax(0,3fr) minmax(12rem,1fr)}
@media (max-width:48rem){.pageview{grid-template-columns:1fr}}
.page{position:relative;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.page img{display:block;width:100%;height:auto}
.page svg{position:absolute;left:0;top:0;width:100%;height:100%}
.page svg .region rect{fill:transparent;stroke:transparent;stroke-width:3}
.page svg .region:hover rect,.page svg .region:focus rect{fill:rgba(0,90,200,.08);
 stroke:#0050c8}
article{background:#fff;padding:1rem 1.5rem;max-width:44rem;margin:0 auto}
article .kicker,article .subtitle{color:#555;margin:.2rem 0}
article h1{font-size:1.7rem;line-height:1.35;margin:.3rem 0}
article .byline{color:#555;font-family:"LXGW WenKai",serif}
article p.body{text-indent:2em;margin:.4rem 0;text-align:justify}
figure{margin:1rem 0}
figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:#444}
figcaption .credit{display:block;text-align:right;color:#777}
.onpages a{margin-right:.6rem}
"""


@dataclass
class Region:
    """An article's place on one page: the rectangles of its frames there."""
    story: str
    page: int
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)       # photo frame ids

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The bounding box of the rectangles (x, y, w, h)."""
        x0 = min(r[0] for r in self.rects)
        y0 = min(r[1] for r in self.rects)
        x1 = max(r[0] + r[2] for r in self.rects)
        y1 = max(r[1] + r[3] for r in self.rects)
        return (x0, y0, x1 - x0, y1 - y0)


def _gap(a, b) -> float:
    """Distance between two rectangles (0 when they touch or overlap)."""
    dx = max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2]), 0.0)
    dy = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]), 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _overlap_x(a, b) -> float:
    return max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))


def story_regions(result) -> dict[int, list[Region]]:
    """Per page, each story's region: its headline, byline and text frames there, and the
    photos that sit against them (a photo belongs to the nearest story whose frames it
    touches or nearly touches, sharing columns with them)."""
    out: dict[int, list[Region]] = {}
    for number in LV.page_sizes(result):
        frames = LV.frames(result, number)
        regions: dict[str, Region] = {}
        for f in frames:
            if f.story and f.kind in ("headline", "byline", "text"):
                regions.setdefault(f.story, Region(f.story, number)).rects.append(f.rect)
        for f in frames:
            if f.kind != "photo":
                continue
            best, dist = None, PHOTO_REACH
            for reg in regions.values():
                for r in reg.rects:
                    d = _gap(f.rect, r)
                    if _overlap_x(f.rect, r) > 0 and d <= dist:
                        best, dist = reg, d
            if best is not None:
                best.rects.append(f.rect)
                best.photos.append(f.id)
        out[number] = list(regions.values())
    return out


# ---------------------------------------------------------------- names
def slug(story_id: str) -> str:
    """A file-name-safe form of a story id."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,60}", story_id):
        return story_id
    return "s" + hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:10]


def page_file(n: int) -> str:
    """The page view's file name."""
    return f"page-{n:02d}.html"


def article_file(sid: str) -> str:
    """The article page's file name."""
    return f"article-{slug(sid)}.html"


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _page_name(page: m.Page) -> str:
    return f"第{chinese_numeral(page.number)}版" + (f" {page.section}" if page.section else "")


def _story_title(st: m.Story) -> str:
    return st.headline.title or st.name or st.id


def _doc(title: str, body: str, paper: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n"
            f"</head>\n<body>\n<header class=\"site\"><p class=\"paper\"><a href=\"index.html\">"
            f"{_e(paper)}</a></p></header>\n<main>\n{body}\n</main>\n"
            "<footer class=\"site\"><a href=\"index.html\">返回版面目录</a></footer>\n"
            "</body>\n</html>\n")


# ---------------------------------------------------------------- images
def _render_pages(result, fontset, issue, out_dir: str, dpi: int) -> dict[int, dict]:
    """Page images at ``dpi`` and twice it, and a thumbnail; their files and pixel sizes."""
    import pymupdf
    from PIL import Image

    from output import PdfOptions, write_pdf
    # readers see what the press prints: no ad placeholders of non-printing layers
    opts = PdfOptions.from_issue(issue, "proof", slug=False, show_overset=False,
                                 layers="printing")
    os.makedirs(os.path.join(out_dir, "pages"), exist_ok=True)
    fd, pdf = tempfile.mkstemp(suffix=".pdf", dir=out_dir, prefix=".banmian-")
    os.close(fd)
    files = {}
    try:
        write_pdf(result, fontset, pdf, opts)
        with pymupdf.open(pdf) as doc:
            for page, res in zip(doc, result.pages):
                n = res.number
                entry = {}
                for key, d in (("1x", dpi), ("2x", dpi * 2)):
                    pix = page.get_pixmap(dpi=d, alpha=False)
                    name = f"pages/page-{n:02d}{'' if key == '1x' else '@2x'}.png"
                    pix.save(os.path.join(out_dir, name))
                    entry[key] = (name, pix.width, pix.height)
                with Image.open(os.path.join(out_dir, entry["1x"][0])) as im:
                    w = 240
                    h = round(im.height * w / im.width)
                    thumb = im.convert("RGB").resize((w, h), Image.LANCZOS)
                    name = f"pages/page-{n:02d}-thumb.jpg"
                    thumb.save(os.path.join(out_dir, name), quality=85)
                    entry["thumb"] = (name, w, h)
                files[n] = entry
    finally:
        os.unlink(pdf)
    return files


def _photo_file(frame: m.PhotoFrame, base_dir: str, out_dir: str) -> tuple[str, int, int] | None:
    """The photo as a web JPEG (at most 1200 px wide) in images/; None if it cannot be read."""
    from PIL import Image, UnidentifiedImageError
    src = os.path.join(base_dir, frame.image)
    os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
    name = f"images/{slug(frame.id)}.jpg"
    try:
        with Image.open(src) as im:
            im = im.convert("RGB")
            if im.width > 1200:
                im = im.resize((1200, round(im.height * 1200 / im.width)), Image.LANCZOS)
            im.save(os.path.join(out_dir, name), quality=85)
            return name, im.width, im.height
    except (OSError, UnidentifiedImageError, ValueError):
        return None


# ---------------------------------------------------------------- pages
def _index(issue, regions, images) -> str:
    items = []
    for page in issue.pages:
        if page.number not in images:
            continue
        thumb, w, h = images[page.number]["thumb"]
        arts = "".join(
            f"<li><a href=\"{article_file(r.story)}\">{_e(_story_title(issue.stories[r.story]))}"
            f"</a></li>" for r in regions.get(page.number, []) if r.story in issue.stories)
        items.append(
            f"<li><a href=\"{page_file(page.number)}\"><img src=\"{thumb}\" width=\"{w}\" "
            f"height=\"{h}\" alt=\"{_e(_page_name(page))}版面缩略图\"></a>\n"
            f"<h2><a href=\"{page_file(page.number)}\">{_e(_page_name(page))}</a></h2>\n"
            f"<ul class=\"articles\">{arts}</ul></li>")
    info = issue.info
    sub = " ".join(s for s in (info.date, info.number) if s)
    body = (f"<h1>{_e(sub or '本期版面')}</h1>\n<ul class=\"pages\">\n" + "\n".join(items)
            + "\n</ul>")
    return _doc(f"{info.paper_name or '数字报'} {sub}".strip(), body, info.paper_name or "数字报")


def _page_view(issue, page, idx, numbers, regions, images, size) -> str:
    w, h = size
    one, pw, ph = images[page.number]["1x"]
    two, _pw2, _ph2 = images[page.number]["2x"]
    links = []
    for r in regions.get(page.number, []):
        st = issue.stories.get(r.story)
        if st is None:
            continue
        title = _story_title(st)
        rects = "".join(f"<rect x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{rw:.1f}\" "
                        f"height=\"{rh:.1f}\"/>" for x, y, rw, rh in r.rects)
        links.append(f"<a class=\"region\" id=\"region-{slug(r.story)}\" "
                     f"href=\"{article_file(r.story)}\" aria-label=\"{_e(title)}\">"
                     f"<title>{_e(title)}</title>{rects}</a>")
    pager = ["<nav class=\"pager\" aria-label=\"翻版\">"]
    if idx > 0:
        prev = numbers[idx - 1]
        pager.append(f"<a rel=\"prev\" href=\"{page_file(prev)}\">上一版</a>")
    pager.append("<a href=\"index.html\">版面目录</a>")
    if idx + 1 < len(numbers):
        nxt = numbers[idx + 1]
        pager.append(f"<a rel=\"next\" href=\"{page_file(nxt)}\">下一版</a>")
    pager.append("</nav>")
    arts = "".join(f"<li><a href=\"{article_file(r.story)}\">"
                   f"{_e(_story_title(issue.stories[r.story]))}</a></li>"
                   for r in regions.get(page.number, []) if r.story in issue.stories)
    body = (f"<h1>{_e(_page_name(page))}</h1>\n" + "".join(pager) + "\n"
            "<div class=\"pageview\">\n<div class=\"page\">\n"
            f"<img src=\"{one}\" srcset=\"{one} 1x, {two} 2x\" width=\"{pw}\" height=\"{ph}\" "
            f"alt=\"{_e(_page_name(page))}版面\">\n"
            f"<svg viewBox=\"0 0 {w:.1f} {h:.1f}\" preserveAspectRatio=\"none\" "
            f"xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" aria-label=\"本版文章\">"
            + "".join(links) + "</svg>\n</div>\n"
            f"<nav aria-label=\"本版文章\"><h2>本版文章</h2><ul>{arts}</ul></nav>\n</div>")
    return _doc(f"{_page_name(page)} — {issue.info.paper_name or '数字报'}", body,
                issue.info.paper_name or "数字报")


def _article(issue, sid, regions, photos, page_of) -> str:
    st = issue.stories[sid]
    hl = st.headline
    head = []
    if hl.kicker:
        head.append(f"<p class=\"kicker\">{_e(hl.kicker)}</p>")
    head.append(f"<h1>{_e(_story_title(st))}</h1>")
    if hl.subtitle:
        head.append(f"<p class=\"subtitle\">{_e(hl.subtitle)}</p>")
    if st.byline:
        head.append(f"<p class=\"byline\">{_e(st.byline)}</p>")
    figs = []
    for fr, img in photos:
        if img is None:
            continue
        name, w, h = img
        alt = fr.caption or f"{_story_title(st)} 配图"
        credit = fr.credit or (st.credit if fr.story == st.id else "")   # as the page shows it
        cap = (_e(fr.caption) if fr.caption else "") + \
            (f"<span class=\"credit\">{_e(credit)}</span>" if credit else "")
        figs.append(f"<figure><img src=\"{name}\" width=\"{w}\" height=\"{h}\" alt=\"{_e(alt)}\">"
                    + (f"<figcaption>{cap}</figcaption>" if cap else "") + "</figure>")
    paras = []
    for p in st.paragraphs:
        text = p.text
        if not text.strip():
            continue
        if p.style in ("subhead", "subtitle"):
            paras.append(f"<h2 class=\"subhead\">{_e(text)}</h2>")
        else:
            paras.append(f"<p class=\"body\">{_e(text)}</p>")
    pages = page_of.get(sid, [])
    on = "".join(f"<a href=\"{page_file(n)}#region-{slug(sid)}\">"
                 f"{_e(_page_name(issue_page(issue, n)))}</a>" for n in pages)
    body = ("<article>\n<header>" + "".join(head) + "</header>\n" + "".join(figs) + "\n"
            + "\n".join(paras) + f"\n<p class=\"onpages\">本文见：{on}</p>\n</article>")
    return _doc(f"{_story_title(st)} — {issue.info.paper_name or '数字报'}", body,
                issue.info.paper_name or "数字报")


def issue_page(issue, n: int) -> m.Page:
    """The model page printed as ``n``."""
    return next(p for p in issue.pages if p.number == n)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def build_site(issue: m.Issue, result, fontset, base_dir: str, out_dir: str,
               dpi: int = 72) -> list[str]:
    """Write the site into ``out_dir`` (created; files of an older build replaced).

    Returns the HTML files written.  Stories appear when they stand on a page.
    """
    os.makedirs(out_dir, exist_ok=True)
    for sub in ("pages", "images"):
        shutil.rmtree(os.path.join(out_dir, sub), ignore_errors=True)
    for old in os.listdir(out_dir):
        if re.fullmatch(r"(page|article)-.+\.html", old):
            os.unlink(os.path.join(out_dir, old))
    images = _render_pages(result, fontset, issue, out_dir, dpi)
    regions = story_regions(result)
    sizes = LV.page_sizes(result)
    numbers = [p.number for p in result.pages]
    page_of: dict[str, list[int]] = {}
    for n in numbers:
        for r in regions.get(n, []):
            page_of.setdefault(r.story, []).append(n)
    _write(os.path.join(out_dir, "style.css"), CSS)
    written = []
    path = os.path.join(out_dir, "index.html")
    _write(path, _index(issue, regions, images))
    written.append(path)
    for i, n in enumerate(numbers):
        path = os.path.join(out_dir, page_file(n))
        _write(path, _page_view(issue, issue_page(issue, n), i, numbers, regions, images,
                                sizes[n]))
        written.append(path)
    frames = {fr.id: fr for _p, fr in issue.frames()}
    for sid in page_of:
        if sid not in issue.stories:
            continue
        photos = []
        for n in page_of[sid]:
            for r in regions[n]:
                if r.story == sid:
                    for fid in r.photos:
                        fr = frames.get(fid)
                        if isinstance(fr, m.PhotoFrame) and fr.image:
                            photos.append((fr, _photo_file(fr, base_dir, out_dir)))
        path = os.path.join(out_dir, article_file(sid))
        _write(path, _article(issue, sid, regions, photos, page_of))
        written.append(path)
    return written
