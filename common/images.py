"""Opening images safely: the pixel count in the header is checked against the
caller's limit before anything is decoded, and no global Pillow setting is changed.

Pillow itself refuses, when a file is opened, images above twice its
process-wide ``Image.MAX_IMAGE_PIXELS`` (about 179 million pixels by default).
That setting is never changed here (it used to be, which made one caller's
limit depend on whether another had run first), so the default limit is that
same number, and a larger limit passed by a caller is capped by Pillow's refusal,
reported the same way.
"""
from __future__ import annotations

import os
import warnings

#: The default limit: Pillow's own refusal threshold (2 × 89,478,485 pixels), far
#: beyond any newspaper photo (a whole 对开 page at 300 ppi is about 29 million).
DEFAULT_MAX_PIXELS = 178_956_970


class ImageError(ValueError):
    """An image that cannot be used: missing, unreadable or too large (``code`` says which)."""

    code = "image-unreadable"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code          # image-missing | image-too-large | image-unreadable


class ImageTooLarge(ImageError):
    """An image with more pixels than allowed (a decompression bomb, or just too big)."""

    code = "image-too-large"


def open_image(path: str | os.PathLike, max_pixels: int = 0):
    """Open an image lazily (its header only; the caller closes it).

    ``max_pixels``: the largest width × height allowed (0: ``DEFAULT_MAX_PIXELS``).
    ImageError with a clear reason when the image is missing or unreadable,
    ImageTooLarge when it has more pixels than allowed.
    """
    from PIL import Image
    path = os.fspath(path)
    limit = max_pixels or DEFAULT_MAX_PIXELS
    if not path or not os.path.isfile(path):
        raise ImageError(f"image '{path}' not found", "image-missing")
    try:
        with warnings.catch_warnings():
            # Pillow warns above half its refusal threshold; the limit is checked below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
    except Image.DecompressionBombError:
        cap = min(limit, 2 * (Image.MAX_IMAGE_PIXELS or limit))
        raise ImageTooLarge(f"image '{path}' is too large to open safely "
                            f"(over {cap:,} pixels: a decompression bomb?)") from None
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
