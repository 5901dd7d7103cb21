"""The fonts package on the real fonts of this machine: discovery, metrics, CFF embedding in PDF, and Qt.

Fonts are used as installed (no conversion); the first run builds each face's metrics into the real cache
($BANMIAN_CACHE_DIR or ~/.cache/banmian) in well under a second a face.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import fonts  # noqa: E402
from fonts import DEFAULT_ROLES, FontError, FontLibrary, FontSet, fonts_report  # noqa: E402
from fonts.charsets import COMMON_PUNCTUATION, gb2312_level1, gb2312_level2  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DEBIAN_KAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
needs_debian = pytest.mark.skipif(not DEBIAN_NOTO.exists() or not DEBIAN_KAI.exists(),
                                  reason="Debian fonts-noto-cjk / fonts-lxgw-wenkai not installed")
TEXT = "中华人民共和国，新闻出版。“版面”测试：ABCabc123《人民日报》——！"
LATIN_TEXT = "Banmian lays out pages: ABC xyz 0123, (quotes) & more."
CJK_ROLES = ("body", "headline", "headline-heavy", "byline", "caption")
SAMPLE = gb2312_level1()[::97] + gb2312_level2()[::211] + COMMON_PUNCTUATION + "ABCxyz0189 .,;"


def _bundled_path(name: str) -> Path:
    import pylopdf_fonts_zh_cn
    return Path(pylopdf_fonts_zh_cn.__file__).parent / name


@pytest.fixture(scope="session")
def library():
    """The real library and cache (metrics are kept between runs)."""
    return FontLibrary()


@pytest.fixture(scope="session")
def fontset(library):
    """The default roles."""
    return FontSet(DEFAULT_ROLES, library)


@pytest.fixture(scope="session")
def all_faces(fontset):
    """Every named face of the default roles."""
    return fontset.all_faces()


@pytest.fixture(scope="session")
def cjk_faces(fontset):
    """Every named face of the Chinese roles."""
    out = []
    for role in CJK_ROLES:
        for face in fontset.named_faces(role):
            if face not in out:
                out.append(face)
    return out


def _text_for(face) -> str:
    """Chinese sample text for CJK faces, Latin for the others."""
    return TEXT if face.has("中") else LATIN_TEXT


@pytest.fixture(scope="session")
def small_cff(tmp_path_factory):
    """A tiny CID-keyed CFF font cut from the bundled Noto Serif SC."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    out = tmp_path_factory.mktemp("smallcff") / "SmallSerif.otf"
    font = TTFont(_bundled_path("NotoSerifSC-Regular.otf"))
    opts = subset.Options()
    opts.layout_features = ["vert", "vrt2"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = True
    sub = subset.Subsetter(opts)
    sub.populate(text=TEXT + "永国")
    sub.subset(font)
    font["name"].setName("Banmian Small Serif", 1, 3, 1, 0x409)
    font["name"].setName("BanmianSmallSerif-Regular", 6, 3, 1, 0x409)
    font.save(out)
    return out


def _original(face):
    """The face's source font opened with fontTools."""
    from fontTools.ttLib import TTFont
    info = face.info
    return TTFont(info.path, fontNumber=info.index if info.collection else -1, lazy=True)


# ------------------------------------------------------------------ import and discovery

def test_import_does_not_load_fonttools():
    code = "import sys, fonts; print('fontTools' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_discovery_finds_bundled_faces(library):
    infos = library.discover()
    bundled = {i.family for i in infos if i.origin == "bundled"}
    assert {"Noto Serif SC", "Noto Sans SC"} <= bundled
    serif = next(i for i in infos if i.family == "Noto Serif SC")
    assert serif.outline == "CFF" and serif.num_glyphs > 30000 and serif.sc and serif.cjk


@needs_debian
def test_discovery_finds_debian_faces(library):
    infos = library.discover()
    sc = [i for i in infos if i.family == "Noto Serif CJK SC" and i.path == str(DEBIAN_NOTO)]
    assert len(sc) == 1 and sc[0].collection and sc[0].index == 2 and sc[0].num_glyphs == 65535
    kai = [i for i in infos if i.path == str(DEBIAN_KAI)]
    assert kai and kai[0].outline == "glyf" and "霞鹜文楷" in kai[0].families


def test_discovery_is_cached(library, tmp_path):
    lib = FontLibrary(cache_dir=tmp_path, system=False, user=False)
    first = lib.discover()
    assert (tmp_path / "fonts" / "scan3.marshal").exists()
    again = FontLibrary(cache_dir=tmp_path, system=False, user=False)
    import fonts.scan as scan
    calls = []
    original = scan.scan_file
    scan.scan_file = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        assert [i.key for i in again.discover()] == [i.key for i in first]
    finally:
        scan.scan_file = original
    assert calls == []                       # nothing parsed again


def test_env_font_dirs_are_searched(tmp_path, monkeypatch):
    folder = tmp_path / "more fonts"
    folder.mkdir()
    shutil.copy(_bundled_path("NotoSansSC-Regular.otf"), folder / "Extra.otf")
    monkeypatch.setenv("BANMIAN_FONT_DIRS", os.pathsep.join([str(folder), str(tmp_path / "absent")]))
    lib = FontLibrary(cache_dir=tmp_path / "cache", system=False, user=False, bundled=False)
    face = lib.resolve("Noto Sans SC")
    assert face.info.origin == "env" and face.info.path == str(folder / "Extra.otf")


def test_scan_cache_is_shared_by_libraries_with_other_folders(tmp_path):
    import fonts.scan as scan
    FontLibrary(cache_dir=tmp_path).discover()
    FontLibrary(cache_dir=tmp_path, system=False, user=False).discover()    # must not drop the rest
    calls = []
    original = scan.scan_file
    scan.scan_file = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        FontLibrary(cache_dir=tmp_path).discover()
    finally:
        scan.scan_file = original
    assert calls == []


# ----------------------------------------------------------------------------- names

@needs_debian
@pytest.mark.parametrize("name, family, style, index", [
    ("Noto Serif CJK SC", "Noto Serif CJK SC", "Regular", 2),
    ("noto serif cjk sc bold", "Noto Serif CJK SC", "Bold", 2),
    ("Noto Sans CJK SC", "Noto Sans CJK SC", "Regular", 2),
    ("Noto Sans CJK SC Bold", "Noto Sans CJK SC", "Bold", 2),
    ("LXGW WenKai", "LXGW WenKai", "Regular", 0),
    ("霞鹜文楷", "LXGW WenKai", "Regular", 0),
    ("LXGW WenKai Light", "LXGW WenKai", "Light", 0),
])
def test_resolve_debian_names(library, name, family, style, index):
    face = library.resolve(name)
    assert face is not None
    assert (face.info.family, face.info.style, face.info.index) == (family, style, index)


def test_resolve_bundled_and_unknown(library):
    face = library.resolve("Noto Serif SC")
    assert face.info.origin in ("bundled", "system", "user") and face.info.family == "Noto Serif SC"
    assert library.resolve("No Such Font 123") is None
    assert library.resolve("") is None


@needs_debian
def test_default_roles_resolve_here(fontset):
    assert fontset.missing() == []
    expect = {"body": "Noto Serif CJK SC", "headline": "Noto Sans CJK SC Bold",
              "headline-heavy": "Noto Serif CJK SC Bold", "byline": "LXGW WenKai",
              "caption": "Noto Sans CJK SC"}
    assert {r: fontset.primary(r).name for r in expect} == expect


def test_bundled_fonts_carry_every_role(tmp_path):
    lib = FontLibrary(cache_dir=os.environ.get("BANMIAN_CACHE_DIR") or None, system=False, user=False)
    fs = FontSet(DEFAULT_ROLES, lib)
    assert {fs.primary(r).name for r in DEFAULT_ROLES} <= {"Noto Serif SC", "Noto Sans SC"}
    missing_names = {n for _r, n in fs.missing()}
    assert "Noto Serif SC" not in missing_names and "Noto Sans SC" not in missing_names
    for role in DEFAULT_ROLES:
        cov = fs.coverage(role, gb2312_level1())
        assert cov["missing"] == ""


def test_keys_are_unique_and_postscript_safe(library):
    keys = [i.key for i in library.discover()]
    assert len(keys) == len(set(keys))
    for k in keys:
        assert k.startswith("BM-") and len(k) <= 63 and k.isascii() and " " not in k


# ----------------------------------------------------------------- metrics vs fontTools

def test_gid_and_advance_agree_with_original_font(all_faces):
    for face in all_faces:
        font = _original(face)
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        order = font.getGlyphOrder()
        for ch in SAMPLE:
            name = cmap.get(ord(ch))
            want = font.getGlyphID(name) if name else 0
            assert face.gid(ch) == want, (face.name, ch)
            assert face.has(ch) == bool(want)
            if want:
                assert face.advance(want) == hmtx[order[want]][0], (face.name, ch)
        font.close()


def test_cid_keyed_font_glyph_ids_are_glyph_order_not_cids(library):
    face = library.resolve("Noto Serif SC")
    font = _original(face)
    top = font["CFF "].cff.topDictIndex[0]
    assert hasattr(top, "ROS")                               # CID-keyed
    gid = face.gid("中")
    name = font.getGlyphOrder()[gid]
    assert name.startswith("cid") and int(name[3:]) != gid   # CID differs from the glyph id we use
    font.close()


def test_faces_are_the_installed_files_with_their_ink_boxes(all_faces):
    from fontTools.pens.boundsPen import BoundsPen
    for face in all_faces:
        assert face.path == face.info.path and face.ready                # no converted copy anywhere
        assert face.index == (face.info.index if face.info.collection else 0)
        font = _original(face)
        order = font.getGlyphOrder()
        if face.is_cff:
            assert "CFF " in font
            gs = font.getGlyphSet()
        else:
            glyf = font["glyf"]
        for ch in SAMPLE[::7]:
            gid = face.gid(ch)
            if not gid:
                continue
            if face.is_cff:
                pen = BoundsPen(gs)
                gs[order[gid]].draw(pen)
                want = (0, 0, 0, 0) if pen.bounds is None else tuple(
                    int(v // 1) if k < 2 else -int(-v // 1) for k, v in enumerate(pen.bounds))
            else:
                g = glyf[order[gid]]
                want = (g.xMin, g.yMin, g.xMax, g.yMax) if g.numberOfContours else (0, 0, 0, 0)
            assert face.ink_box(gid) == want, (face.name, ch)
        face.close()
        font.close()


@needs_debian
def test_collection_faces_open_by_index(library):
    from fontTools.ttLib import TTFont
    from io import BytesIO
    face = library.resolve("Noto Serif CJK SC")
    assert face.path == str(DEBIAN_NOTO) and face.index == 2
    alone = TTFont(BytesIO(face.data()))                 # the collection's face as a font of its own
    assert alone["name"].getDebugName(1) == "Noto Serif CJK SC"
    assert alone.getBestCmap() == _original(face).getBestCmap()
    assert alone.reader["CFF "] == _original(face).reader["CFF "]   # outlines copied, not converted


def test_face_tables_reads_one_face_of_a_collection(library, tmp_path):
    """face_tables gives a collection face's own tables as its file holds them, and names
    the file when the face or a table is missing or the file is cut short."""
    from fonts.sfnt import face_tables
    face = library.resolve("Noto Serif CJK SC")
    got = face_tables(face.path, face.index, (b"name", b"head"))
    orig = _original(face)
    assert got == {b"name": orig.reader["name"], b"head": orig.reader["head"]}
    with pytest.raises(FontError, match="no face 99"):
        face_tables(face.path, 99, (b"name",))
    with pytest.raises(FontError, match="no 'zzzz' table"):
        face_tables(face.path, face.index, (b"zzzz",))
    cut = tmp_path / "cut.ttc"
    cut.write_bytes(Path(face.path).read_bytes()[:20])
    with pytest.raises(FontError, match="cut.ttc"):
        face_tables(str(cut), face.index, (b"name",))


def test_vertical_alternates(cjk_faces):
    for face in cjk_faces:
        for ch in "，。（《":
            g = face.gid(ch)
            assert face.vert(g) != g, (face.name, ch)
        assert face.vert(face.gid("中")) == face.gid("中")
        assert face.vadvance(face.gid("中")) == face.units_per_em


def test_ink_box_places_chinese_comma_bottom_left(cjk_faces):
    for face in cjk_faces:
        x0, y0, x1, y1 = face.ink_box(face.gid("，"))
        em_mid = (face.ascender + face.descender) / 2
        assert x1 < face.units_per_em / 2 and y1 < em_mid, face.name
        vx0, vy0, vx1, vy1 = face.ink_box(face.vert(face.gid("，")))
        assert vx0 > face.units_per_em / 2 and vy0 > em_mid, face.name   # top right in vertical text


def test_em_box_metrics(cjk_faces):
    for face in cjk_faces:
        assert face.units_per_em == 1000
        assert face.ascender - face.descender == 1000             # OS/2 typo: the ideographic em box
        assert face.descender < 0


# ------------------------------------------------------------------------ ReportLab & Qt

def _runs(faces, size=12.0):
    """One glyph run per face, each on its own line, with the face's own advances."""
    from layout.result import GlyphRun, Source
    runs, y = [], 60.0
    for face in faces:
        text = _text_for(face)
        gids = face.gids(text)
        xs, advances, x = [], [], 30.0
        for g in gids:
            xs.append(x)
            advances.append(face.advance(g) * size / face.units_per_em)
            x += advances[-1]
        runs.append(GlyphRun(face.key, size, tuple(gids), tuple(xs), y, text, tuple(range(len(text))),
                             tuple(advances), Source("s", 0)))
        y += 2 * size
    return runs


def _export(fontset, runs, path, mode="print"):
    from layout.model import IssueInfo
    from layout.result import FrameResult, LayoutResult, PageResult
    from output import PdfOptions, export_pdf
    pages = [PageResult(n, 595, 842, [FrameResult("f", "text", (0, 0, 595, 842), items=tuple(runs))])
             for n in (1, 2)]                    # two pages: one subset per face for the whole file
    res = LayoutResult(pages=pages, colors={"black": (0, 0, 0, 1)})
    info = IssueInfo(paper_name="测试报", date="2024-05-01", number="1", version=1)
    diags = export_pdf(res, fontset, str(path), PdfOptions(mode=mode, info=info))
    assert not [d for d in diags if d.level == "error"], diags


def _font_objects(path):
    """(Type0 font, descendant CIDFont, FontDescriptor) of every font in the PDF, by resource."""
    import pypdf
    reader = pypdf.PdfReader(str(path))
    out = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            t0 = ref.get_object()
            cid = t0["/DescendantFonts"][0].get_object()
            out[t0["/BaseFont"]] = (t0, cid, cid["/FontDescriptor"].get_object())
    return out


def test_pdf_embeds_cff_faces_as_cid_cff_and_truetype_as_truetype(fontset, all_faces, tmp_path):
    import pymupdf
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import RecordingPen
    from io import BytesIO
    pdf = tmp_path / "fonts.pdf"
    _export(fontset, _runs(all_faces), pdf)
    doc = pymupdf.open(pdf)
    for page in doc:
        lines = [ln for ln in page.get_text().splitlines() if ln.strip() and "测试报" not in ln]
        assert lines[:len(all_faces)] == [_text_for(f) for f in all_faces]
    fonts_in_pdf = _font_objects(pdf)
    by_key = {}
    for base, (t0, cid, desc) in fonts_in_pdf.items():
        key = str(base)[1:].split("+", 1)[1].removesuffix("-Identity-H")
        assert key not in by_key                                  # one subset font per face
        by_key[key] = (t0, cid, desc)
        assert t0["/Encoding"] == "/Identity-H" and "/ToUnicode" in t0
    assert set(by_key) == {f.key for f in all_faces}
    for face in all_faces:
        t0, cid, desc = by_key[face.key]
        text = _text_for(face)
        if not face.is_cff:
            assert cid["/Subtype"] == "/CIDFontType2" and "/FontFile2" in desc
            continue
        assert cid["/Subtype"] == "/CIDFontType0" and "/CIDToGIDMap" not in cid
        assert "/FontFile2" not in desc and desc["/FontFile3"].get_object()["/Subtype"] == "/CIDFontType0C"
        assert cid["/CIDSystemInfo"]["/Ordering"] == "Identity"
        cff = CFFFontSet()
        cff.decompile(BytesIO(desc["/FontFile3"].get_object().get_data()), None)
        top = cff[cff.fontNames[0]]
        assert top.ROS == ("Adobe", "Identity", 0)
        # CIDs are handed out in order of first use; CID n is glyph n of the subset with the source's outline
        src = _original(face)
        sgs, order = src.getGlyphSet(), src.getGlyphOrder()
        cids = list(dict.fromkeys((g, ch) for g, ch in zip(face.gids(text), text)))
        for cid_n, (g, _ch) in enumerate(cids, start=1):
            want, got = RecordingPen(), RecordingPen()
            sgs[order[g]].draw(want)
            top.CharStrings[f"cid{cid_n:05d}"].draw(got)
            assert got.value == want.value, (face.name, g)
        widths = cid["/W"]
        assert [round(w) for w in widths[1]][:len(cids)] == \
            [round(face.advance(g) * 1000 / face.units_per_em) for g, _ch in cids]
        src.close()
    if shutil.which("gs"):
        out = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING",
                              "-sDEVICE=nullpage", str(pdf)], capture_output=True, text=True)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows and all(" yes yes yes " in r for r in rows)
        assert sum("CID Type 0C" in r for r in rows) == sum(f.is_cff for f in all_faces)


def test_cff_subset_of_a_name_keyed_font_becomes_cid_keyed(tmp_path):
    """A name-keyed CFF (2048 units, its own FontMatrix) is embedded CID-keyed with one Font DICT."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from io import BytesIO
    from output.fontembed import open_program
    names = [".notdef", "A", "B", "C"]
    fb = FontBuilder(2048, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x41: "A", 0x42: "B", 0x43: "C"})
    charstrings = {}
    for k, n in enumerate(names):
        pen = T2CharStringPen(1000 + 100 * k, None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 1400 + 50 * k))
        pen.curveTo((500, 1500), (800, 900), (900 + 10 * k, 0))
        pen.closePath()
        charstrings[n] = pen.getCharString()
    fb.setupCFF("BanmianNamed", {"FullName": "Banmian Named"}, charstrings, {})
    fb.setupHorizontalMetrics({n: (1000 + 100 * k, 100) for k, n in enumerate(names)})
    fb.setupHorizontalHeader(ascent=1800, descent=-400)
    fb.setupNameTable({"familyName": "Banmian Named", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "Named.otf"
    fb.save(str(path))
    prog = open_program(path.read_bytes(), 0, "Named")
    assert not prog.cid_keyed and prog.units_per_em == 2048 and prog.advance(2) == 1200
    data = prog.cid_font([0, 3, 1, 1], "ABCDEF+Named")      # glyph 1 twice: shared-glyph CIDs
    cff = CFFFontSet()
    cff.decompile(BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    assert top.ROS == ("Adobe", "Identity", 0) and len(top.FDArray) == 1
    assert list(top.FontMatrix) == [1, 0, 0, 1, 0, 0]
    assert [round(v, 8) for v in top.FDArray[0].FontMatrix] == [round(1 / 2048, 8), 0, 0, round(1 / 2048, 8), 0, 0]
    assert top.charset == [".notdef", "cid00001", "cid00002", "cid00003"]
    for cid, src_name in ((1, "C"), (2, "A"), (3, "A")):
        want, got = RecordingPen(), RecordingPen()
        charstrings[src_name].draw(want)
        top.CharStrings[f"cid{cid:05d}"].draw(got)
        assert got.value == want.value


def test_cff_subset_inlines_local_and_global_subroutines(library):
    """Glyphs of a CID-keyed CJK font keep their outlines while calls into both subroutine sets are inlined."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import RecordingPen
    from io import BytesIO
    from output.fontembed import open_program
    face = library.resolve("Noto Serif SC")
    prog = open_program(Path(face.path).read_bytes(), face.index, face.key)
    src = _original(face)
    cff_src = src["CFF "].cff
    top_src = cff_src[cff_src.fontNames[0]]
    order = src.getGlyphOrder()
    gids = sorted({face.gid(ch) for ch in SAMPLE} - {0})
    calls = set()
    for g in gids:
        cs = top_src.CharStrings[order[g]]
        cs.decompile()
        calls |= {op for op in cs.program if op in ("callsubr", "callgsubr")}
    assert calls == {"callsubr", "callgsubr"}           # the sample does exercise both kinds
    data = prog.cid_font([0] + gids, "ABCDEF+Serif")
    cff = CFFFontSet()
    cff.decompile(BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    assert len(cff.GlobalSubrs) == 0
    assert all(not hasattr(fd.Private, "Subrs") for fd in top.FDArray)
    assert len(top.FDArray) < len(top_src.FDArray)        # only the Font DICTs the glyphs use
    sgs = src.getGlyphSet()
    for cid, g in enumerate(gids, start=1):
        want, got = RecordingPen(), RecordingPen()
        sgs[order[g]].draw(want)
        top.CharStrings[f"cid{cid:05d}"].draw(got)
        assert got.value == want.value, g
        assert top.FDArray[top.FDSelect[cid]].Private.nominalWidthX == \
            top_src.FDArray[top_src.FDSelect[g]].Private.nominalWidthX
    assert len(data) < 600 * len(gids)                     # subroutines not kept whole
    src.close()


def test_qt_raw_font_agrees(all_faces, qapp):
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFont, QRawFont
    for face in all_faces:
        data = QByteArray(face.data())
        raw = QRawFont(data, 12, QFont.PreferNoHinting)
        assert raw.isValid(), face.name
        text = _text_for(face)
        gids = [int(g) for g in raw.glyphIndexesForString(text)]
        assert gids == face.gids(text), face.name
        em = QRawFont(data, face.units_per_em, QFont.PreferNoHinting)
        for g, a in zip(gids, em.advancesForGlyphIndexes(gids)):
            assert abs(a.x() - face.advance(g)) < 0.05
        assert raw.familyName() in face.info.families, face.name
        path = raw.pathForGlyph(face.gid(text[0]))
        assert not path.isEmpty(), face.name                # Qt draws the CFF outlines themselves


@needs_debian
def test_qt_reads_only_the_first_face_of_a_collection_file(library, qapp):
    """Why FontFace.data() exists: QRawFont on the .ttc path gives face 0 (JP), not the SC face."""
    from PySide6.QtGui import QFont, QRawFont
    face = library.resolve("Noto Serif CJK SC")
    assert face.index != 0
    assert QRawFont(face.path, 12, QFont.PreferNoHinting).familyName() != "Noto Serif CJK SC"


# -------------------------------------------------------------------- FontSet & report

def test_fontset_faces_and_lookup(fontset):
    body = fontset.faces("body")
    assert body[0] is fontset.primary("body")
    assert len({f.key for f in body}) == len(body)
    assert all(fontset.face(f.key) is f for f in body)
    assert fontset.faces("no-such-role")[: len(fontset.named_faces("body"))] == fontset.named_faces("body")
    with pytest.raises(KeyError):
        fontset.face("BM-nothing-000000")


def test_coverage_splits_characters_between_faces(fontset):
    rare = "\U0002B81D"                                # CJK Ext D: absent from these fonts
    cov = fontset.coverage("body", "中文A，" + rare + "\n中")
    primary = fontset.primary("body")
    assert cov["faces"][primary.key] == "中文A，"
    assert cov["missing"] == rare


def test_gb2312_coverage(cjk_faces):
    from fonts.report import face_coverage
    for face in cjk_faces:
        cov = face_coverage(face)
        assert cov["GB2312-1"] == (3755, 3755), face.name
        assert cov["punct"][0] == cov["punct"][1], face.name


def test_fonts_report(fontset, library):
    text = fonts_report(fontset, library)
    assert "GB2312-1 100%" in text
    for role in fontset.roles:
        assert any(line.startswith(role + " ") for line in text.splitlines()), role
    assert fonts_report(DEFAULT_ROLES, library).splitlines()[1:] == text.splitlines()[1:]


# ------------------------------------------------------------------------------ errors

def test_fonterror_on_garbage_file(tmp_path):
    bad = tmp_path / "Broken.ttf"
    bad.write_bytes(b"this is not a font" * 100)
    lib = FontLibrary(extra_dirs=[tmp_path], cache_dir=tmp_path / "cache", system=False, user=False)
    with pytest.raises(FontError) as err:
        lib.open(bad)
    assert str(bad) in str(err.value)
    lib.discover()                                       # discovery notes it and goes on
    assert [p for p, _ in lib.errors] == [str(bad)]
    assert "Broken.ttf" in fonts_report({"body": ["Noto Serif SC"]}, lib)


def test_fonterror_on_missing_and_truncated_file(tmp_path):
    src = tmp_path / "Kai.ttf"
    shutil.copy(_bundled_path("NotoSansSC-Regular.otf"), src)
    lib = FontLibrary(extra_dirs=[tmp_path], cache_dir=tmp_path / "cache", system=False, user=False,
                      bundled=False)
    face = lib.resolve("Noto Sans SC")
    src.write_bytes(src.read_bytes()[:5000])             # cut after discovery
    with pytest.raises(FontError) as err:
        face.gid("中")
    assert str(src) in str(err.value)
    src.unlink()
    with pytest.raises(FontError) as err:
        face.path
    assert str(src) in str(err.value)
    with pytest.raises(FontError):
        lib.open(tmp_path / "nothing.ttf")


# ------------------------------------------------------------------ conversion & cache

def _reference_gids(path, text):
    from fontTools.ttLib import TTFont
    f = TTFont(path, lazy=True)
    cmap = f.getBestCmap()
    return [f.getGlyphID(cmap[ord(c)]) if ord(c) in cmap else 0 for c in text]


@pytest.fixture(scope="session")
def small_cff2(small_cff, tmp_path_factory):
    """A tiny CFF2 variable font (wght 400-900, Black advances +100) built from the small CFF font."""
    from fontTools import varLib
    from fontTools.designspaceLib import AxisDescriptor, DesignSpaceDocument, InstanceDescriptor, SourceDescriptor
    from fontTools.ttLib import TTFont
    tmp = tmp_path_factory.mktemp("smallcff2")
    light, heavy = TTFont(small_cff), TTFont(small_cff)
    for name, (adv, lsb) in list(heavy["hmtx"].metrics.items()):
        heavy["hmtx"].metrics[name] = (adv + 100, lsb)
    light.save(tmp / "m400.otf")
    heavy.save(tmp / "m900.otf")
    ds = DesignSpaceDocument()
    axis = AxisDescriptor()
    axis.tag, axis.name, axis.minimum, axis.default, axis.maximum = "wght", "Weight", 400, 400, 900
    ds.addAxis(axis)
    for weight, style in ((400, "Regular"), (900, "Black")):
        src = SourceDescriptor()
        src.path, src.location = str(tmp / f"m{weight}.otf"), {"Weight": weight}
        ds.addSource(src)
        inst = InstanceDescriptor()
        inst.familyName, inst.styleName, inst.location = "Banmian Small Serif", style, {"Weight": weight}
        ds.addInstance(inst)
    vf, _, _ = varLib.build(ds)
    out = tmp_path_factory.mktemp("vf") / "SmallVF.otf"
    vf.save(out)
    return out


def test_cff2_font_is_reported_not_used(small_cff2, tmp_path):
    """A CFF2 (variable PostScript) font is listed as unusable, so roles fall back to other faces."""
    from fontTools.ttLib import TTFont
    out = small_cff2
    assert "CFF2" in TTFont(out)
    lib = FontLibrary(extra_dirs=[out], cache_dir=tmp_path / "cache", system=False, user=False, bundled=False)
    assert lib.discover() == []
    assert [p for p, _ in lib.errors] == [str(out)] and "CFF2" in lib.errors[0][1]
    assert lib.resolve("Banmian Small Serif") is None


def test_cache_invalidation_when_source_changes(small_cff, tmp_path):
    from fontTools.ttLib import TTFont
    src = tmp_path / "fonts" / "Small.otf"
    src.parent.mkdir()
    shutil.copy(small_cff, src)
    cache = tmp_path / "cache"
    lib = FontLibrary(extra_dirs=[src.parent], cache_dir=cache, system=False, user=False, bundled=False)
    face = lib.resolve("Banmian Small Serif")
    old_key = face.key
    g = face.gid("中")
    assert face.advance(g) == 1000 and face.path == str(src)
    old_metrics = lib.cache_file(old_key, ".metrics")
    assert old_metrics.exists()
    f = TTFont(src)                                       # change the source: a wider 中
    name = f.getGlyphOrder()[g]
    f["hmtx"].metrics[name] = (1234, f["hmtx"].metrics[name][1])
    f.save(src)
    # a fresh process (new library) sees the change through the scan cache
    lib2 = FontLibrary(extra_dirs=[src.parent], cache_dir=cache, system=False, user=False, bundled=False)
    face2 = lib2.resolve("Banmian Small Serif")
    assert face2.key != old_key
    assert face2.advance(face2.gid("中")) == 1234
    assert not old_metrics.exists()                       # the stale metrics were pruned
    assert not list((cache / "fonts").glob("*.ttf"))      # nothing converted
    # refresh() in a running library sees it too
    assert lib.refresh() and lib.resolve("Banmian Small Serif").key == face2.key


def test_corrupt_metrics_cache_is_rebuilt(small_cff, tmp_path):
    lib = FontLibrary(extra_dirs=[small_cff], cache_dir=tmp_path, system=False, user=False, bundled=False)
    face = lib.resolve("Banmian Small Serif")
    g = face.gid("中")
    mfile = lib.cache_file(face.key, ".metrics")
    mfile.write_bytes(b"garbage")
    fresh = FontLibrary(extra_dirs=[small_cff], cache_dir=tmp_path, system=False, user=False, bundled=False)
    assert fresh.resolve("Banmian Small Serif").gid("中") == g


def test_warm_load_needs_no_fonttools(tmp_path):
    """In a fresh process with a warm cache: resolve, load and look up without importing fontTools."""
    code = (
        "import sys, time, fonts\n"
        "t = time.perf_counter()\n"
        "lib = fonts.FontLibrary()\n"
        "fs = fonts.FontSet(fonts.DEFAULT_ROLES, lib)\n"
        "for r in %r:\n"
        "    f = fs.primary(r); f.advance(f.gid('中')); f.vert(f.gid('，')); f.path\n"
        "print(round((time.perf_counter() - t) * 1000, 1), 'fontTools' in sys.modules)\n") % (CJK_ROLES,)
    env = {**os.environ, "BANMIAN_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env=env).stdout.split() for _ in range(2)]
    (cold_ms, _), (ms, ft) = runs
    print(f"FontSet + 5 faces: cold cache {cold_ms} ms, warm {ms} ms")
    assert float(cold_ms) < 10000                 # metrics of every face built from the font files
    assert ft == "False"
    assert float(ms) < 1000


def test_public_items_have_docstrings():
    import inspect
    import pkgutil
    import importlib
    for mod in pkgutil.iter_modules(fonts.__path__):
        m = importlib.import_module(f"fonts.{mod.name}")
        assert m.__doc__, mod.name
        for name, obj in vars(m).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != m.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                assert obj.__doc__, f"{mod.name}.{name}"
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                            assert member.__doc__, f"{mod.name}.{name}.{attr}"


@pytest.fixture(scope="session")
def medium_cff(tmp_path_factory):
    """GB 2312 level 1 cut from the bundled Noto Sans SC, subroutines kept (many glyphs share them)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    out = tmp_path_factory.mktemp("mediumcff") / "MediumSans.otf"
    font = TTFont(_bundled_path("NotoSansSC-Regular.otf"))
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.glyph_names = True
    sub = subset.Subsetter(opts)
    sub.populate(text=gb2312_level1()[:2500])
    sub.subset(font)
    font.save(out)
    return out


def test_cff_inlined_charstrings_equal_fonttools_desubroutinized_ones(medium_cff):
    """Every glyph's flattened charstring, hints and hint masks included, is what fontTools' desubroutinizer
    makes of it (the font keeps calls into both subroutine sets, repeated between glyphs)."""
    from fontTools import subset  # noqa: F401  (adds CFF desubroutinize())
    from fontTools.misc.psCharStrings import T2CharString
    from fontTools.ttLib import TTFont
    from output.fontembed import open_program
    prog = open_program(Path(medium_cff).read_bytes(), 0, "medium")
    font = TTFont(medium_cff)
    cff = font["CFF "].cff
    top = cff[cff.fontNames[0]]
    assert len(cff.GlobalSubrs) and any(hasattr(fd.Private, "Subrs") for fd in top.FDArray)
    font["CFF "].desubroutinize()
    order = font.getGlyphOrder()
    for _round in range(2):                        # the second round uses the memoized subroutines
        for g, name in enumerate(order):
            want = top.CharStrings[name]
            want.decompile()
            got = T2CharString(bytecode=prog.charstring(g), private=want.private, globalSubrs=cff.GlobalSubrs)
            got.decompile()
            assert got.program == want.program, name
