"""What a caller may keep between exports: parsed fonts, output profiles, prepared images.

Nothing here is global: the GUI holds one ``ExportCache`` per window (or none).
"""
from __future__ import annotations

import os
from collections import OrderedDict

from .fontembed import FontPrograms
from .icc import OutputProfile, output_profile


class ExportCache:
    """Parsed font files, profile transforms and converted images, reused between exports."""

    def __init__(self, max_images: int = 32):
        """An empty cache keeping at most ``max_images`` prepared images."""
        self.fonts = FontPrograms()
        self.max_images = max_images
        self._profiles: dict[tuple[str, str], OutputProfile] = {}
        self._images: OrderedDict = OrderedDict()

    def profile(self, path: str, intent: str) -> OutputProfile:
        """The output profile (with its transforms built once)."""
        key = (path, intent)
        p = self._profiles.get(key)
        if p is None:
            p = self._profiles[key] = output_profile(path, intent)
        return p

    def image(self, path: str, params: tuple, make):
        """The prepared image for ``params``, made by ``make()`` when the file or params changed."""
        try:
            st = os.stat(path)
            key = (os.path.abspath(path), st.st_mtime_ns, st.st_size) + params
        except OSError:
            return make()
        if key in self._images:
            self._images.move_to_end(key)
            return self._images[key]
        value = make()
        self._images[key] = value
        while len(self._images) > self.max_images:
            self._images.popitem(last=False)
        return value
