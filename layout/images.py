"""Image facts the layout needs (pixel size), read safely: no decompression bombs."""
from __future__ import annotations

#: Images above this many pixels are refused (a 20,000 × 20,000 photo is far
#: beyond any newspaper page at 300 ppi).
MAX_PIXELS = 400_000_000


def image_size(path: str) -> tuple[int, int]:
    """(width, height) in pixels; ValueError with a clear reason for a bad image."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as im:
            w, h = im.size
    except Image.DecompressionBombError:
        raise ValueError(f"image '{path}' is too large to open safely "
                         f"(over {MAX_PIXELS:,} pixels)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValueError(f"image '{path}' cannot be read: {exc}") from None
    if w * h > MAX_PIXELS:
        raise ValueError(f"image '{path}' is too large ({w} × {h} pixels)")
    return w, h
