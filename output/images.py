"""Placed images made ready for the PDF: cropped to what shows, downsampled, colour-converted.

Only the pixels inside the frame's clip (and the page's bleed) are kept; an
image above the resolution ceiling is resampled to it; print files get CMYK
(through the output profile) or grey, proofs get RGB.  JPEG sources are
re-encoded as JPEG, everything else stays lossless (Flate).
"""
from __future__ import annotations

import io
import math

from common.images import ImageError, open_image
from common.prebuilt import prebuilt_dataclass

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

Rect = tuple[float, float, float, float]


@dataclass
class PreparedImage:
    """Pixels ready to embed and the page rectangle they fill."""
    image: object                  # PIL.Image (Flate) or None when ``jpeg`` is given
    jpeg: bytes | None
    rect: Rect                     # page pt, y down: where the kept pixels are drawn
    mode: str                      # PDF colour of the pixels: CMYK | L | RGB
    converted: str = ""            # what colour conversion happened, for diagnostics


def _orient(im, expected: tuple[int, int]):
    """Apply EXIF orientation only when layout measured the turned size."""
    from PIL import ImageOps
    if tuple(im.size) == tuple(expected):
        return im
    turned = ImageOps.exif_transpose(im)
    return turned if tuple(turned.size) == tuple(expected) else im


def _intersect(a: Rect, b: Rect) -> Rect | None:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1 - x0, y1 - y0


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def jpeg_header(data: bytes) -> tuple[int, int, bool] | None:
    """(width, height, Adobe APP14 marker present) of JPEG data, read from its markers up
    to the scan (no decoder, as Pillow reads them); None when it is not a JPEG this reads."""
    if data[:2] != b"\xff\xd8":
        return None
    i, n = 2, len(data)
    adobe, size = False, None
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:                    # a fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker == 0xDA:                    # the scan: every header marker is read
            return (size[0], size[1], adobe) if size and size[0] and size[1] else None
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2 or i + 2 + length > n:
            return None
        if marker == 0xEE and data[i + 4:i + 9] == b"Adobe":
            adobe = True
        elif marker in _SOF and length >= 7:
            size = (int.from_bytes(data[i + 7:i + 9], "big"),
                    int.from_bytes(data[i + 5:i + 7], "big"))
        i += 2 + length
    return None


def prepare(item, area: Rect, *, cmyk: bool, ppi_ceiling: float, profile=None,
            jpeg_quality: int = 90, max_pixels: int = 0,
            threshold: float = 1.0) -> PreparedImage | None:
    """The part of ``item`` (an ImageItem) visible in its clip and ``area``, ready to embed.

    Returns None when nothing of the image shows.  ``profile`` is an
    ``icc.OutputProfile`` used for RGB -> CMYK (print) or CMYK -> RGB (proof).
    Images are resampled to ``ppi_ceiling`` only above ``ppi_ceiling * threshold``.
    """
    rx, ry, rw, rh = item.rect
    vis = _intersect(item.clip, area)
    vis = vis and _intersect(vis, item.rect)
    if not vis or rw <= 0 or rh <= 0:
        return None
    im = open_image(item.path, max_pixels)
    try:
        return _prepare(im, item, vis, cmyk, ppi_ceiling, profile, jpeg_quality, threshold)
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ImageError):
            raise
        raise ImageError(f"image '{item.path}' cannot be decoded: {exc}") from None
    finally:
        im.close()


def _prepare(im, item, vis: Rect, cmyk: bool, ceiling: float, profile, quality: int,
             threshold: float):
    rx, ry, rw, rh = item.rect
    is_jpeg = im.format == "JPEG"
    expected = tuple(item.pixel_size) if item.pixel_size else im.size
    # pixels per pt of the whole placed image, in the orientation layout measured
    pw, ph = expected
    sx, sy = pw / rw, ph / rh
    # crop box in (oriented) pixels, widened to whole pixels
    px0 = max(0, math.floor((vis[0] - rx) * sx + 1e-6))
    py0 = max(0, math.floor((vis[1] - ry) * sy + 1e-6))
    px1 = min(pw, math.ceil((vis[0] + vis[2] - rx) * sx - 1e-6))
    py1 = min(ph, math.ceil((vis[1] + vis[3] - ry) * sy - 1e-6))
    if px1 <= px0 or py1 <= py0:
        return None
    cw, ch = px1 - px0, py1 - py0
    placed = (rx + px0 / sx, ry + py0 / sy, cw / sx, ch / sy)
    ppi = 72.0 * sx
    scale = ceiling / ppi if ceiling and ppi > ceiling * max(1.0, threshold) else 1.0
    tw, th = max(1, round(cw * scale)), max(1, round(ch * scale))
    raw = tuple(im.size)
    if is_jpeg and raw == expected and (cw, ch) == raw and (tw, th) == raw and \
            im.mode in (("CMYK", "L") if cmyk else ("RGB", "L")):
        # nothing to crop, scale or convert: embed the file's own JPEG data
        with open(item.path, "rb") as f:
            return PreparedImage(None, f.read(), placed, im.mode, "")
    drafted = False
    if is_jpeg and scale < 0.5 and raw == expected:
        # let libjpeg decode at 1/2, 1/4 or 1/8 size: much faster for big photos
        im.draft(im.mode, (max(1, round(pw * scale)), max(1, round(ph * scale))))
        drafted = tuple(im.size) != raw
    icc = im.info.get("icc_profile")
    if not drafted:
        im = _orient(im, expected)
    if drafted:                                 # crop box in reduced pixels
        fx, fy = im.size[0] / pw, im.size[1] / ph
        box = (math.floor(px0 * fx), math.floor(py0 * fy),
               min(im.size[0], math.ceil(px1 * fx)), min(im.size[1], math.ceil(py1 * fy)))
    else:
        box = (px0, py0, px1, py1)
    if box != (0, 0) + tuple(im.size):
        im = im.crop(box)
    if tuple(im.size) != (tw, th):
        from PIL import Image
        im = im.resize((tw, th), Image.LANCZOS, reducing_gap=3.0)
    im, mode, note = _convert(im, cmyk, profile, icc)
    jpeg = None
    if is_jpeg or (mode == "CMYK" and im.size[0] * im.size[1] > 4_000_000):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, optimize=False, subsampling=0)
        jpeg = buf.getvalue()
        im = None
    return PreparedImage(im, jpeg, placed, mode, note)


def _flatten(im):
    """RGB pixels, any transparency composited over white paper."""
    from PIL import Image
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        bg.alpha_composite(im)
        return bg.convert("RGB")
    return im.convert("RGB")


def _gray8(im):
    """8-bit grey from any grey mode; 16-bit and float data are scaled, not clipped."""
    if im.mode in ("L", "1"):
        return im.convert("L")
    lo, hi = im.getextrema()
    if im.mode == "F" and hi <= 1.0:
        return im.point(lambda v: v * 255.0).convert("L")
    if hi > 255:
        return im.convert("I").point(lambda v: v * (255.0 / 65535.0)).convert("L")
    return im.convert("L")


def _convert(im, cmyk: bool, profile, icc: bytes | None):
    """(image, PDF colour mode, note) for the output colour space."""
    from PIL import ImageCms
    mode = im.mode
    if mode in ("L", "1", "I", "I;16", "I;16B", "I;16L", "F"):
        return (im if mode == "L" else _gray8(im)), "L", ""
    if mode == "LA":
        return _flatten(im).convert("L"), "L", ""
    if cmyk:
        if mode == "CMYK":
            return im, "CMYK", ""
        rgb = _flatten(im)
        if profile is None:
            return rgb.convert("CMYK"), "CMYK", "RGB converted to CMYK (naive, no profile)"
        out = ImageCms.applyTransform(rgb, profile.rgb_to_cmyk(icc))
        return out, "CMYK", f"RGB converted to CMYK ({profile.intent}, {profile.description})"
    if mode == "CMYK":
        if profile is not None:
            return ImageCms.applyTransform(im, profile.cmyk_to_rgb()), "RGB", \
                "CMYK shown as RGB"
        return im.convert("RGB"), "RGB", "CMYK shown as RGB"
    return _flatten(im), "RGB", ""
