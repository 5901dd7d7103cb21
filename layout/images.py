"""Image facts the layout needs (pixel size), read safely: no decompression bombs."""
from __future__ import annotations

from common.images import DEFAULT_MAX_PIXELS
from common.images import image_size as _image_size

#: Images above this many pixels are refused (common.images' default, the same
#: limit the PDF writer applies unless its options set another).
MAX_PIXELS = DEFAULT_MAX_PIXELS


def image_size(path: str) -> tuple[int, int]:
    """(width, height) in pixels; ValueError with a clear reason for a bad image."""
    return _image_size(path, MAX_PIXELS)
