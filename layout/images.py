"""Image facts the layout needs (pixel size), read safely: no decompression bombs."""
from __future__ import annotations

from common.images import DEFAULT_MAX_PIXELS
from common.images import image_size as _image_size

#: Images above this many pixels are refused (a 20,000 × 20,000 photo is far
#: beyond any newspaper page at 300 ppi).
MAX_PIXELS = DEFAULT_MAX_PIXELS


def image_size(path: str) -> tuple[int, int]:
    """(width, height) in pixels; ValueError with a clear reason for a bad image."""
    return _image_size(path, MAX_PIXELS)
