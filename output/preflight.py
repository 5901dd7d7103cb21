"""Checks that belong to output (images, fonts, colours) and the guarded print export.

``preflight`` returns ``layout.result.Diagnostic`` objects; ``export_pdf``
refuses a print export while any error (its own or the layout's) stands,
unless forced.
"""
from __future__ import annotations

from layout.result import Diagnostic, ImageItem, LayoutResult, run_styles

from .cache import ExportCache
from .images import ImageError, open_image
from .options import PdfOptions
from .pdf import first_font, write_pdf
from .ttfont import FontFileError

#: image modes written as they are in a print file (everything else is converted)
_PRINT_MODES = ("CMYK", "L", "1", "I", "I;16", "I;16B", "I;16L", "F")


class ExportRefused(Exception):
    """A print export stopped by errors; ``diagnostics`` holds every finding."""

    def __init__(self, diagnostics: list[Diagnostic]):
        """Keep the diagnostics; the message names the errors."""
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.level == "error"]
        lines = "; ".join(d.message for d in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"print export refused: {len(errors)} error(s): {lines}{more}")


def _pages(result: LayoutResult, options: PdfOptions):
    return [p for p in result.pages if options.pages is None or p.number in options.pages]


def check_images(result: LayoutResult, options: PdfOptions) -> list[Diagnostic]:
    """Missing, unreadable or oversized images; low resolution and colour conversion (print)."""
    out: list[Diagnostic] = []
    facts: dict = {}
    known = _ImageChecks()
    for page in _pages(result, options):
        for fr in page.frames:
            for item in fr.graphics:
                if isinstance(item, ImageItem):
                    out.extend(_check_image(item, page.number, fr.frame_id, options,
                                            facts, known))
    known.save()
    return out


class _ImageChecks:
    """What the checks of an image file found, kept in the cache folder by the file's
    path, size and time (an unchanged file is not opened again by the next export)."""

    LIMIT = 2000                            # entries kept

    def __init__(self):
        from common.fs import cache_dir
        from common.jsoncache import JsonCache
        self.cache = JsonCache(cache_dir("image-checks.json"), self.LIMIT)

    @staticmethod
    def key(path: str, max_pixels: int) -> str | None:
        import os
        try:
            st = os.stat(path)
        except OSError:
            return None
        return repr((1, os.path.abspath(path), st.st_size, st.st_mtime_ns, max_pixels))

    def get(self, key: str | None):
        got = self.cache.get(key) if key else None
        return tuple(got) if isinstance(got, list) and len(got) == 4 else None

    def put(self, key: str | None, facts: tuple) -> None:
        if key:
            self.cache.put(key, list(facts))

    def save(self) -> None:
        try:
            self.cache.save()
        except OSError:
            pass


def _image_facts(path: str, max_pixels: int) -> tuple:
    """(error code or "", error message, mode, format) of an image file: whether it
    opens, passes Pillow's structural check and decodes."""
    try:
        im = open_image(path, max_pixels)
    except ImageError as exc:
        return (exc.code, str(exc), "", "")
    try:
        mode, fmt = im.mode, im.format
        try:
            im.verify()                       # cheap structural check, no full decode
        except Exception as exc:              # Pillow raises many kinds here
            return ("image-unreadable", f"image '{path}' is damaged: {exc}", mode, fmt)
    finally:
        im.close()
    damage = _decode_problem(path, fmt)
    if damage:
        return ("image-unreadable", f"image '{path}' is damaged: {damage}", mode, fmt)
    return ("", "", mode, fmt or "")


#: images up to this many pixels are decoded in full by the preflight (JPEGs at 1/8 size)
_DECODE_CHECK_PIXELS = 50_000_000


def _decode_problem(path: str, fmt: str | None) -> str:
    """Why the image's pixel data cannot be decoded (truncated, corrupt), or "".

    ``verify`` reads only the structure: a JPEG cut short by an interrupted copy
    passes it, and the writer would then put a placeholder in its place.
    """
    from PIL import Image
    try:
        with Image.open(path) as im:
            if im.format == "JPEG":
                im.draft(im.mode, (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
            elif im.size[0] * im.size[1] > _DECODE_CHECK_PIXELS:
                return ""
            im.load()
    except Exception as exc:                  # Pillow raises many kinds here
        return str(exc) or type(exc).__name__
    return ""


def _check_image(item: ImageItem, page: int, frame: str, options: PdfOptions,
                 facts: dict | None = None, known: _ImageChecks | None = None):
    limit = options.max_image_pixels
    hit = facts.get((item.path, limit)) if facts is not None else None
    if hit is None:
        key = known.key(item.path, limit) if known is not None else None
        hit = known.get(key) if known is not None else None
        if hit is None:
            hit = _image_facts(item.path, limit)
            if known is not None and not hit[0]:      # only a sound file is remembered
                known.put(key, hit)
        if facts is not None:
            facts[(item.path, limit)] = hit
    code, message, mode, fmt = hit
    if code:
        yield Diagnostic("error", code, message, page, frame)
        return
    fmt = fmt or None
    x, y, w, h = item.rect
    pw, ph = item.pixel_size or (0, 0)
    ppi = min(pw / (w / 72.0), ph / (h / 72.0)) if w > 0 and h > 0 and pw and ph \
        else item.effective_ppi
    if not options.is_print:
        return
    name = item.path.rsplit("/", 1)[-1]
    if ppi and ppi < options.min_image_ppi:
        yield Diagnostic("warning", "image-low-resolution",
                         f"image '{name}' is {ppi:.0f} ppi as placed "
                         f"(below {options.min_image_ppi:.0f} ppi for print)", page, frame)
    ceiling = options.image_ppi_ceiling
    if ppi and ceiling and ppi > ceiling * max(1.0, options.downsample_threshold):
        yield Diagnostic("info", "image-downsampled",
                         f"image '{name}' ({ppi:.0f} ppi as placed) is downsampled to "
                         f"{options.image_ppi_ceiling:.0f} ppi", page, frame)
    if mode not in _PRINT_MODES:
        alpha = " (transparency flattened on white)" if "A" in mode or mode == "P" else ""
        yield Diagnostic("info", "image-rgb-converted",
                         f"{fmt or ''} image '{name}' ({mode}) is converted to CMYK through "
                         f"the output profile, {options.rendering_intent} intent{alpha}",
                         page, frame)


def _page_uses(page) -> tuple[dict, dict, dict, list]:
    """What one page uses, each with the first frame on it that does: the face keys, the
    colours, the colours of text under 12 pt (each a dict → frame id), and its images
    (a list of (ImageItem, frame id))."""
    faces: dict = {}
    names: dict = {}
    small: dict = {}
    images: list = []
    for fr in page.frames:
        fid = fr.frame_id
        for font, color, size, _story in run_styles(fr):
            faces.setdefault(font, fid)
            names.setdefault(color, fid)
            if size < 12:
                small.setdefault(color, fid)
        for item in fr.graphics:
            if isinstance(item, ImageItem):
                images.append((item, fid))
            for attr in ("color", "fill"):
                v = getattr(item, attr, "")
                if v:
                    names.setdefault(v, fid)
    return faces, names, small, images


def _first_uses(found) -> tuple[dict, dict, dict]:
    """The faces, colours and colours of small text of a document, each with the first
    page and frame that uses it, from (page number, its ``_page_uses``) in page order."""
    out: tuple[dict, dict, dict] = ({}, {}, {})
    for number, uses in found:
        for into, got in zip(out, uses):
            for k, fid in got.items():
                into.setdefault(k, (number, fid))
    return out


def _used_faces(result: LayoutResult, options: PdfOptions) -> dict[str, tuple[int, str]]:
    """Face keys used by the export, with the first page and frame that uses each."""
    used = _first_uses((p.number, _page_uses(p)) for p in _pages(result, options))[0]
    _add_document_faces(used, result, options)
    return used


def _add_document_faces(used: dict, result, options) -> None:
    """The faces a document shows beside its pages' runs: the overset text a proof
    lists under its pages, and the slug's face (filed under page 0)."""
    if not options.is_print and options.show_overset:
        for cf in result.copyfit.values():
            for run in cf.overset_runs:
                used.setdefault(run.font, (0, ""))
    slug = options.slug_font or first_font(result)
    if slug:
        used.setdefault(slug, (0, ""))


def check_fonts(result: LayoutResult, fontset, options: PdfOptions,
                cache: ExportCache | None = None) -> list[Diagnostic]:
    """Faces that are missing, not TrueType, or whose licence forbids embedding a subset."""
    return _check_faces(_used_faces(result, options), fontset, cache)


def _check_faces(used: dict, fontset, cache: ExportCache | None) -> list[Diagnostic]:
    """``check_fonts`` of the faces ``used`` (face key → the first page and frame)."""
    programs = (cache or ExportCache()).fonts
    out = []
    for key, (page, frame) in used.items():
        try:
            face = fontset.face(key)
        except Exception as exc:          # the font library's own lookup error, whatever it is
            out.append(Diagnostic("error", "font-missing", f"font '{key}' is not available: {exc}",
                                  page, frame))
            continue
        try:        # (kept by the file's stamp: the font is parsed only when it changed)
            problem = programs.facts(face.path, getattr(face, "index", 0) or 0, key)[1]
        except (FontFileError, OSError, TypeError) as exc:
            out.append(Diagnostic("error", "font-unusable", f"font '{key}': {exc}", page, frame))
            continue
        if problem:
            out.append(Diagnostic("error", "font-not-embeddable",
                                  f"font '{key}' cannot be embedded: {problem}", page, frame))
    return out


def check_colors(result: LayoutResult, options: PdfOptions) -> list[Diagnostic]:
    """Swatches used but not defined (drawn black), and small text in rich black for print."""
    _faces, names, small = _first_uses((p.number, _page_uses(p))
                                       for p in _pages(result, options))
    return _color_findings(result, options, names, small)


def _color_findings(result: LayoutResult, options: PdfOptions, names: dict,
                    small: dict) -> list[Diagnostic]:
    """``check_colors`` from the colours used (name → the first page and frame) and those
    of text under 12 pt (likewise)."""
    out = []
    four = {name for name, c in result.colors.items()      # rich blacks: K 90 % and more
            if c and len(c) == 4 and c[3] >= 0.9 and max(c[:3]) > 0}
    rich = {color: at for color, at in small.items() if color in four}
    for name, (page, frame) in names.items():
        if name not in result.colors and name != "black":
            out.append(Diagnostic("warning", "color-unknown",
                                  f"colour '{name}' is not defined; it is drawn black",
                                  page, frame))
    if options.is_print:
        for name, (page, frame) in rich.items():
            out.append(Diagnostic("warning", "rich-black-text",
                                  f"small text in '{name}' {result.colors[name]} uses four "
                                  "inks: it will show misregistration on newsprint", page, frame))
    return out


#: the marks Taiwan and Hong Kong set centred (the mainland sets them low left)
_CENTRED_MARKS = frozenset("，。、：；！？")
_HANT_QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def _simplified_face(face) -> bool:
    """Whether a face is made for Simplified Chinese (its marks sit low left)."""
    info = getattr(face, "info", None)
    name = getattr(face, "name", "")
    return bool(info is not None and getattr(info, "sc", False)
                and not any(t in name.split() for t in ("TC", "HK", "JP", "KR")))


def check_language(issue, result: LayoutResult, fontset) -> list[Diagnostic]:
    """Traditional text against its fonts and conventions, per story paragraph:

    * Traditional characters set with a Simplified font while the story's language
      is not zh-Hant (mainland glyph forms, marks low left): a warning;
    * centred marks wanted (a zh-Hant story, or ``punctuation: centered``) but the
      font gave its low-left ones (an SC font without 'locl' forms): a warning;
    * “” ‘’ in a zh-Hant story: a suggestion of 「」 『』.
    """
    from layout.hanzi import TRADITIONAL_ONLY, looks_traditional
    from layout.model import is_traditional, story_language
    where: dict[tuple[str, int], tuple[int, str]] = {}
    han_faces: dict[tuple[str, int], str] = {}
    low_marks: dict[tuple[str, int], tuple[str, str]] = {}
    for page in result.pages:
        for fr in page.frames:
            for run in fr.runs:
                src = run.source
                if not src.story or src.story not in issue.stories:
                    continue
                key = (src.story, src.para)
                where.setdefault(key, (page.number, fr.frame_id))
                try:
                    face = fontset.face(run.font)
                except Exception:             # a missing face is check_fonts' finding
                    continue
                if any(ch in TRADITIONAL_ONLY for ch in run.text):
                    han_faces.setdefault(key, run.font if _simplified_face(face) else "")
                for ch, gid in zip(run.text, run.glyphs):
                    if ch in _CENTRED_MARKS and _simplified_face(face) and gid == face.gid(ch):
                        low_marks.setdefault(key, (ch, face.name))
    out = []
    centred_paper = issue.paper.punctuation == "centered"
    for sid, story in issue.stories.items():
        lang = story_language(issue, story)
        hant = is_traditional(lang)
        texts = [(i, p.text) for i, p in enumerate(story.paragraphs)]
        texts += [(-1, t) for t in (story.headline.kicker, story.headline.title,
                                    story.headline.subtitle) if t]
        for i, text in texts:
            page, frame = where.get((sid, i), (0, ""))
            what = f"story '{sid}' " + (f"paragraph {i + 1}" if i >= 0 else "headline")
            sc = han_faces.get((sid, i))
            if sc and not hant and looks_traditional(text):
                name = fontset.face(sc).name
                sample = "".join(dict.fromkeys(ch for ch in text if ch in TRADITIONAL_ONLY))[:4]
                out.append(Diagnostic(
                    "warning", "traditional-with-sc-font",
                    f"{what}: Traditional characters ({'、'.join(sample)} …) set in the "
                    f"Simplified font '{name}' (mainland forms, marks low left); set the "
                    "story's language to zh-Hant-TW or zh-Hant-HK, or use a TC font",
                    page, frame, sid))
            low = low_marks.get((sid, i))
            if low and (hant or centred_paper):
                why = f"its language is {lang}" if hant else "the paper's punctuation is centered"
                out.append(Diagnostic(
                    "warning", "marks-not-centred",
                    f"{what}: '{low[0]}' is set low left by '{low[1]}', which has no centred "
                    f"form, though {why}; use Noto Serif/Sans CJK TC or HK for this text",
                    page, frame, sid))
            quotes = [ch for ch in text if ch in _HANT_QUOTES]
            if hant and quotes:
                out.append(Diagnostic(
                    "info", "quotes-hant",
                    f"{what}: {''.join(dict.fromkeys(quotes))} in {lang} text; Taiwan and "
                    "Hong Kong quote with 「」 and 『』", page, frame, sid))
    return out


def midline_compressed(result: LayoutResult, rules) -> dict[str, int]:
    """Per story: marks inside a line, with no neighbouring mark, set narrower than the
    paper's punctuation convention sets them — compression used to justify a line, which
    the breaker takes only as a last resort (``rules``: layout.chars.Rules)."""
    from layout import chars as C
    marks = C.OPENING | C.CLOSING | C.STOPS
    out: dict[str, int] = {}
    for page in result.pages:
        for fr in page.frames:
            for ln in fr.lines:
                glyphs = [(ch, adv, run.size) for run in ln.runs
                          for ch, adv in zip(run.text, run.advances)]
                for k in range(1, len(glyphs) - 1):
                    ch, adv, size = glyphs[k]
                    if ch not in C.STOPS or glyphs[k - 1][0] in marks or glyphs[k + 1][0] in marks:
                        continue
                    full = size * (1.0 - rules.half_of(C.kinds(ch)[0]))
                    if adv < full - 0.01:
                        out[ln.story] = out.get(ln.story, 0) + 1
    return out


def loose_lines(result: LayoutResult, rules) -> dict[str, list[tuple[int, str, float]]]:
    """Per story: the lines spaced wider than the paper allows between two Han characters
    (``rules.max_gap``; the third-widest gap of a line counts, so that one or two typed
    spaces do not) — lines the breaker found no setting for within the limits, which the
    copy must change to mend. Each as (page, frame, widest counted gap in em)."""
    from layout import chars as C
    out: dict[str, list[tuple[int, str, float]]] = {}
    for page in result.pages:
        for fr in page.frames:
            for ln in fr.lines:
                gaps = []
                prev = None                       # (char, right edge, size) of the last glyph
                for run in ln.runs:
                    if run.ys is not None:
                        prev = None
                        continue
                    for ch, x, adv in zip(run.text, run.xs, run.advances):
                        if prev is not None and C.kind(ch).han and C.kind(prev[0]).han:
                            gaps.append((x - prev[1]) / run.size)
                        prev = (ch, x + adv, run.size)
                gaps.sort(reverse=True)
                if len(gaps) >= 3 and gaps[2] > rules.max_gap + 0.005:
                    out.setdefault(ln.story, []).append((page.number, fr.frame_id, round(gaps[2], 3)))
    return out


def preflight(result: LayoutResult, fontset, options: PdfOptions | None = None,
              cache: ExportCache | None = None, issue=None) -> list[Diagnostic]:
    """Every output check for this export: images, fonts, colours (and, given the issue,
    Traditional text against its fonts)."""
    options = options or PdfOptions()
    return (check_images(result, options) + check_fonts(result, fontset, options, cache)
            + check_colors(result, options)
            + (check_language(issue, result, fontset) if issue is not None else []))


def _file_stamps(paths) -> list | None:
    """(path, size, mtime) of each file (None when one cannot be read)."""
    import os
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            return None
        out.append((p, st.st_size, st.st_mtime_ns))
    return out


def kept_preflight(result: LayoutResult, fontset, options: PdfOptions,
                   cache: ExportCache | None = None) -> list[Diagnostic]:
    """``preflight`` of an export, kept in the cache folder (``preflight/``) while what it
    checked is unchanged: the pages as composed (``PageResult.composed_from``), the overset
    runs' faces, the colours, the options but the time and the round, the output code, and
    the font and image files it read (their size and time); anything else checks anew.
    One entry per document and options, replaced when its pages change; it holds what
    each page's checks found too, so an export whose pages changed checks only those
    (``_by_pages``)."""
    pages = _pages(result, options)
    if not pages or not all(getattr(p, "composed_from", "") for p in pages):
        return preflight(result, fontset, options, cache)
    import hashlib
    import marshal
    from dataclasses import replace

    from common.fs import cache_dir, cache_read_checked, cache_write_checked

    from .pdf import _writer_version

    def sha(value) -> str:
        return hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()
    opt = replace(options, export_time=None, keywords="", xmp="",
                  info=replace(options.info, version=0))
    over = [(sid, [r.font for r in cf.overset_runs]) for sid, cf in result.copyfit.items()
            if cf.overset_runs]
    digest = sha((sorted(result.colors.items()), [(p.number, p.composed_from) for p in pages],
                  over, first_font(result)))
    file = cache_dir("preflight", sha((opt, [p.number for p in pages], _writer_version())))
    kept_pages: dict = {}
    try:
        got = marshal.loads(cache_read_checked(file))
        kept, files, found = got[:3]
        if kept == digest and _file_stamps([f[0] for f in files]) == files:
            return [Diagnostic(*d) for d in found]
        if len(got) > 3 and type(got[3]) is dict:
            kept_pages = got[3]
    except (OSError, EOFError, ValueError, TypeError):
        pass
    diagnostics, used, images, pages_now = _by_pages(result, fontset, options, cache, pages,
                                                     kept_pages)
    try:
        paths = {fontset.face(key).path for key in used}
    except Exception:                      # noqa: BLE001 - a face not found: not kept
        return diagnostics
    files = _file_stamps(sorted(paths | images))
    if files is not None and all(d.offset is None for d in diagnostics):
        try:
            cache_write_checked(file, marshal.dumps((digest, files, [
                (d.level, d.code, d.message, d.page, d.frame, d.story) for d in diagnostics],
                pages_now)))
        except (OSError, ValueError):
            pass
    return diagnostics


def _page_checks(page, options: PdfOptions, facts: dict, known: _ImageChecks) -> tuple:
    """What the checks find on one page: its image findings (as tuples), the face keys,
    colours and colours of text under 12 pt it uses (``_page_uses``), the image files
    it places."""
    faces, names, small, placed = _page_uses(page)
    images = [(d.level, d.code, d.message, d.page, d.frame, d.story)
              for item, fid in placed
              for d in _check_image(item, page.number, fid, options, facts, known)]
    return images, faces, names, small, sorted({item.path for item, _fid in placed})


def _by_pages(result: LayoutResult, fontset, options: PdfOptions, cache, pages,
              kept: dict) -> tuple:
    """``preflight`` (without the issue) from what each page's checks found (``kept``:
    what an export before found, by page number and the page as composed,
    ``PageResult.composed_from``, with the image files it places: while they are
    unchanged, the page is not checked again); the faces are checked for the whole
    document.  (The findings, the faces used, the image files placed, what each page's
    checks found as ``kept`` holds it.)"""
    facts: dict = {}
    known = None
    found = []
    now: dict = {}
    for page in pages:
        key = (page.number, page.composed_from)
        got = kept.get(key)
        try:
            files, checks = got
            if _file_stamps([f[0] for f in files]) != files:
                got = None
        except (TypeError, ValueError, IndexError):
            got = None
        if got is None:
            if known is None:
                known = _ImageChecks()
            checks = _page_checks(page, options, facts, known)
            files = _file_stamps(checks[4])
        if files is not None:
            now[key] = (files, checks)
        found.append((page.number, checks))
    if known is not None:
        known.save()
    out = [Diagnostic(*d) for _number, checks in found for d in checks[0]]
    images = {path for _number, checks in found for path in checks[4]}
    used, names, small = _first_uses((number, checks[1:4]) for number, checks in found)
    _add_document_faces(used, result, options)
    out += _check_faces(used, fontset, cache) + _color_findings(result, options, names, small)
    return out, used, images, now


def export_pdf(result: LayoutResult, fontset, path: str, options: PdfOptions | None = None,
               force: bool = False, cache: ExportCache | None = None) -> list[Diagnostic]:
    """Preflight (kept while nothing it checks changed: ``kept_preflight``), then write the
    PDF; a print export with errors raises ExportRefused unless forced.

    Returns the layout's diagnostics plus the preflight's.
    """
    options = options or PdfOptions()
    cache = cache or ExportCache()
    diagnostics = list(result.diagnostics) + kept_preflight(result, fontset, options, cache)
    if options.is_print and not force and any(d.level == "error" for d in diagnostics):
        raise ExportRefused(diagnostics)
    write_pdf(result, fontset, path, options, cache=cache)
    return diagnostics
