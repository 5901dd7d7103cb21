"""Opening images safely: the pixel count is checked against the caller's limit
before anything is decoded, and no global Pillow setting is read or changed for it.

Pillow checks sizes against its own process-wide ``Image.MAX_IMAGE_PIXELS``
when a file is opened (it refuses more than twice that: about 179 million
pixels by default).  That setting is never changed here, so a limit passed
above it is capped by Pillow's own refusal, reported the same way.
"""
from __future__ import annotations

import os

#: The default limit: a 20,000 × 20,000 photo is far beyond any newspaper page at 300 ppi.
DEFAULT_MAX_PIXELS = 400_000_000


class ImageError(ValueError):
    """An image that cannot be used: missing, unreadable or too large."""


class ImageTooLarge(ImageError):
    """An image with more pixels than allowed (a decompression bomb, or just too big)."""


def open_image(path: str | os.PathLike, max_pixels: int = 0):
    """Open an image lazily (header only; the caller closes it).

    ``max_pixels``: the largest width × height allowed (0: ``DEFAULT_MAX_PIXELS``).
    ImageError with a clear reason when the image is missing or unreadable,
    ImageTooLarge when it has more pixels than allowed.
    """
    from PIL import Image
    path = os.fspath(path)
    limit = max_pixels or DEFAULT_MAX_PIXELS
    if not path or not os.path.isfile(path):
        raise ImageError(f"image '{path}' not found")
    try:
        im = Image.open(path)
    except Image.DecompressionBombError:
        raise ImageTooLarge(f"image '{path}' is too large to open safely (more pixels "
                            f"than Pillow's own limit: a decompression bomb?)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"image '{path}' cannot be read: {exc}") from None
    w, h = im.size
    if w * h > limit:
        im.close()
        raise ImageTooLarge(f"image '{path}' is too large ({w} × {h} = {w * h:,} pixels; "
                            f"the limit is {limit:,})")
    return im


def image_size(path: str | os.PathLike, max_pixels: int = 0) -> tuple[int, int]:
    """(width, height) in pixels, read from the header; errors as ``open_image``."""
    with open_image(path, max_pixels) as im:
        return im.size
