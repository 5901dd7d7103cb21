"""The fonts package on the real fonts of this machine: discovery, conversion, metrics, ReportLab and Qt.

The first run converts the default CFF faces to TrueType (about 35-45 s a face on 2 cores) into the real
cache ($BANMIAN_CACHE_DIR or ~/.cache/banmian); later runs reuse it.
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
    """The real library and cache (conversions are kept between runs)."""
    return FontLibrary()


@pytest.fixture(scope="session")
def fontset(library):
    """The default roles with every named face converted (slow only the first time)."""
    fs = FontSet(DEFAULT_ROLES, library)
    fs.prepare(all_named=True)
    return fs


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
    """A tiny CID-keyed CFF font cut from the bundled Noto Serif SC (converts in a second)."""
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
    assert (tmp_path / "fonts" / "scan.marshal").exists()
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


def test_default_roles_match_the_document_model():
    model = pytest.importorskip("layout.model")
    if hasattr(model, "default_fonts"):
        assert model.default_fonts() == DEFAULT_ROLES


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


def test_converted_files_keep_glyph_ids_metrics_and_names(all_faces):
    from fontTools.ttLib import TTFont
    names = set()
    for face in all_faces:
        conv = TTFont(face.path, lazy=True)
        assert "glyf" in conv and "CFF " not in conv
        cmap = conv.getBestCmap()
        hmtx = conv["hmtx"].metrics
        glyf = conv["glyf"]
        order = conv.getGlyphOrder()
        for ch in SAMPLE:
            gid = face.gid(ch)
            name = cmap.get(ord(ch))
            assert (conv.getGlyphID(name) if name else 0) == gid, (face.name, ch)
            if gid:
                adv, lsb = hmtx[order[gid]]
                assert adv == face.advance(gid)
                g = glyf[order[gid]]
                if g.numberOfContours:
                    assert lsb == g.xMin, (face.name, ch)          # lsb reset to xMin
                    assert face.ink_box(gid) == (g.xMin, g.yMin, g.xMax, g.yMax)
        if not face.uses_source_directly:
            ps = conv["name"].getDebugName(6)
            fam = conv["name"].getDebugName(1)
            assert ps == fam == face.key
            names.add(ps)
        conv.close()
    assert len(names) == len({f.key for f in all_faces if not f.uses_source_directly})


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

def test_reportlab_draws_and_embeds(all_faces, tmp_path):
    import pymupdf
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdf = tmp_path / "fonts.pdf"
    for face in all_faces:
        pdfmetrics.registerFont(TTFont(face.key, face.path))
    c = canvas.Canvas(str(pdf), initialFontName=all_faces[0].key)
    for page in range(2):                        # two pages: shared subset names must not mix glyphs
        y = 780
        for face in all_faces:
            c.setFont(face.key, 12)
            c.drawString(40, y, _text_for(face))
            y -= 24
        c.showPage()
    c.save()
    doc = pymupdf.open(pdf)
    for page in doc:
        lines = [ln for ln in page.get_text().splitlines() if ln.strip()]
        assert lines == [_text_for(f) for f in all_faces]
        embedded = {f[3].split("+")[-1] for f in page.get_fonts() if f[1] == "ttf"}
        assert embedded >= {f.key for f in all_faces if not f.uses_source_directly}


def test_qt_raw_font_agrees(all_faces, qapp):
    from PySide6.QtGui import QFont, QRawFont
    for face in all_faces:
        raw = QRawFont(face.path, 12, QFont.PreferNoHinting)
        assert raw.isValid(), face.name
        text = _text_for(face)
        gids = [int(g) for g in raw.glyphIndexesForString(text)]
        assert gids == face.gids(text), face.name
        em = QRawFont(face.path, face.units_per_em, QFont.PreferNoHinting)
        for g, a in zip(gids, em.advancesForGlyphIndexes(gids)):
            assert abs(a.x() - face.advance(g)) < 0.05
        if not face.uses_source_directly:
            assert raw.familyName() == face.key


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

def test_small_cff_conversion_parallel_and_serial_agree(small_cff, tmp_path):
    results = []
    for workers in (2, 1):
        cache = tmp_path / f"cache{workers}"
        steps = []
        lib = FontLibrary(extra_dirs=[small_cff], cache_dir=cache, system=False, user=False,
                          bundled=False, workers=workers, progress=lambda m, f: steps.append(f))
        face = lib.resolve("Banmian Small Serif")
        assert not face.ready
        from fonts import convert
        old = convert.CHUNK
        convert.CHUNK = 10                              # several chunks even for a tiny font
        try:
            path = face.path
        finally:
            convert.CHUNK = old
        assert Path(path).parent == cache / "fonts" and face.ready
        assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)
        assert not list((cache / "fonts").glob(".*.tmp"))     # temp files renamed away
        results.append(Path(path).read_bytes())
        assert face.gids(TEXT) == _reference_gids(small_cff, TEXT)
    from fontTools.ttLib import TTFont
    from io import BytesIO
    a, b = (TTFont(BytesIO(r)) for r in results)
    assert a["glyf"].keys() == b["glyf"].keys()
    assert all(a["glyf"][n].getCoordinates(a["glyf"])[0] == b["glyf"][n].getCoordinates(b["glyf"])[0]
               for n in a.getGlyphOrder())


def test_fast_glyph_encoder_matches_fonttools_pens():
    """The worker's own pen and glyf encoder give what TTGlyphPen(Cu2QuPen(reverse_direction)) gives."""
    import random
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph
    from fonts.worker import convert_chunk
    path = str(_bundled_path("NotoSerifSC-Regular.otf"))
    font = TTFont(path, lazy=True)
    gs, order = font.getGlyphSet(), font.getGlyphOrder()
    gids = list(range(40)) + sorted(random.Random(7).sample(range(40, len(order)), 300))
    for g, data, x0, y0, x1, y1, points, contours in convert_chunk(path, 0, False, (), 0, gids):
        pen = TTGlyphPen(None)
        gs[order[g]].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        ref = pen.glyph()
        if ref.numberOfContours == 0:
            assert data == b""
            continue
        ref.recalcBounds(None)
        got = Glyph(data)
        got.expand(None)
        assert list(got.coordinates) == list(ref.coordinates), g
        assert list(got.flags) == [f & 1 for f in ref.flags], g
        assert got.endPtsOfContours == ref.endPtsOfContours, g
        assert (x0, y0, x1, y1) == (ref.xMin, ref.yMin, ref.xMax, ref.yMax)
        assert (points, contours) == (len(ref.coordinates), ref.numberOfContours)


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


def test_cff2_variable_instance_converts(small_cff2, tmp_path, qapp):
    from fontTools.ttLib import TTFont
    from PySide6.QtGui import QFont, QRawFont
    lib = FontLibrary(extra_dirs=[small_cff2], cache_dir=tmp_path, system=False, user=False, bundled=False)
    infos = lib.discover()
    assert sorted((i.style, i.location, i.outline) for i in infos) == [
        ("Black", (("wght", 900.0),), "CFF2"), ("Regular", (("wght", 400.0),), "CFF2")]
    black, regular = lib.resolve("Banmian Small Serif Black"), lib.resolve("Banmian Small Serif")
    assert black.key != regular.key and black.info.weight == 900
    g = black.gid("中")
    assert black.advance(g) == regular.advance(g) + 100 == 1100
    conv = TTFont(black.path)
    assert "glyf" in conv and not {"CFF2", "fvar", "HVAR", "gvar"} & set(conv.keys())
    assert conv["hmtx"].metrics[conv.getGlyphOrder()[g]][0] == 1100
    assert conv["OS/2"].usWeightClass == 900 and conv["name"].getDebugName(6) == black.key
    raw = QRawFont(black.path, 12, QFont.PreferNoHinting)
    assert [int(x) for x in raw.glyphIndexesForString(TEXT)] == black.gids(TEXT)


def test_cache_invalidation_when_source_changes(small_cff, tmp_path):
    from fontTools.ttLib import TTFont
    src = tmp_path / "fonts" / "Small.otf"
    src.parent.mkdir()
    shutil.copy(small_cff, src)
    cache = tmp_path / "cache"
    lib = FontLibrary(extra_dirs=[src.parent], cache_dir=cache, system=False, user=False, bundled=False,
                      workers=1)
    face = lib.resolve("Banmian Small Serif")
    old_key, old_path = face.key, Path(face.path)
    g = face.gid("中")
    assert face.advance(g) == 1000
    f = TTFont(src)                                       # change the source: a wider 中
    name = f.getGlyphOrder()[g]
    f["hmtx"].metrics[name] = (1234, f["hmtx"].metrics[name][1])
    f.save(src)
    # a fresh process (new library) sees the change through the scan cache
    lib2 = FontLibrary(extra_dirs=[src.parent], cache_dir=cache, system=False, user=False, bundled=False,
                       workers=1)
    face2 = lib2.resolve("Banmian Small Serif")
    assert face2.key != old_key
    assert face2.advance(face2.gid("中")) == 1234
    new_path = Path(face2.path)
    conv = TTFont(new_path)
    assert new_path != old_path and conv["hmtx"].metrics[conv.getGlyphOrder()[g]][0] == 1234
    assert not old_path.exists()                          # the stale conversion was pruned
    # refresh() in a running library sees it too
    assert lib.refresh() and lib.resolve("Banmian Small Serif").key == face2.key


def test_killed_conversion_leaves_no_usable_partial_file(small_cff, tmp_path):
    cache = tmp_path / "cache"
    lib = FontLibrary(extra_dirs=[small_cff], cache_dir=cache, system=False, user=False, bundled=False,
                      workers=1)
    face = lib.resolve("Banmian Small Serif")
    from fonts import convert
    original = convert._assemble

    def crash(*a, **k):
        raise KeyboardInterrupt                       # as if killed while writing
    convert._assemble = crash
    try:
        with pytest.raises(KeyboardInterrupt):
            face.path
    finally:
        convert._assemble = original
    assert not Path(face.converted_path).exists()
    assert Path(face.path).exists()                   # next use converts cleanly


def test_corrupt_metrics_cache_is_rebuilt(small_cff, tmp_path):
    lib = FontLibrary(extra_dirs=[small_cff], cache_dir=tmp_path, system=False, user=False, bundled=False)
    face = lib.resolve("Banmian Small Serif")
    g = face.gid("中")
    mfile = lib.cache_file(face.key, ".metrics")
    mfile.write_bytes(b"garbage")
    fresh = FontLibrary(extra_dirs=[small_cff], cache_dir=tmp_path, system=False, user=False, bundled=False)
    assert fresh.resolve("Banmian Small Serif").gid("中") == g


def test_warm_load_needs_no_fonttools(fontset):
    """In a fresh process with a warm cache: resolve, load and look up without importing fontTools."""
    code = (
        "import sys, time, fonts\n"
        "t = time.perf_counter()\n"
        "lib = fonts.FontLibrary()\n"
        "fs = fonts.FontSet(fonts.DEFAULT_ROLES, lib)\n"
        "for r in %r:\n"
        "    f = fs.primary(r); f.advance(f.gid('中')); f.vert(f.gid('，')); f.ink_box(f.gid('，')); f.path\n"
        "print(round((time.perf_counter() - t) * 1000, 1), 'fontTools' in sys.modules)\n") % (CJK_ROLES,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    ms, ft = out.stdout.split()
    print(f"warm FontSet + 5 faces: {ms} ms")
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
