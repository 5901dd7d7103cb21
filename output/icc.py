"""The CMYK output profile: finding it, converting images through it, describing it.

The bundled profile ``profiles/newsprint-snap-tr002.icc`` is an ICC v2 output
profile built with ArgyllCMS ``colprof`` from the CGATS TR 002 (SNAP, coldset
newsprint) characterization data that Debian's ``icc-profiles-free`` ships
(240% total ink, ramp black generation); see ``profiles/README.md``.
"""
from __future__ import annotations

import os
from functools import cached_property

from common.prebuilt import prebuilt_dataclass

from .options import INTENTS
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

PROFILE_DIR = os.path.join(os.path.dirname(__file__), "profiles")
NEWSPRINT = os.path.join(PROFILE_DIR, "newsprint-snap-tr002.icc")

#: registered characterizations (ICC registry) of the profiles we know
_KNOWN_CONDITIONS = {
    "newsprint-snap-tr002.icc": ("CGATS TR 002",
                                 "Coldset offset printing on newsprint (SNAP), 240% TAC"),
}


class ProfileError(ValueError):
    """The output profile is missing or is not a CMYK output profile."""


@dataclass
class OutputProfile:
    """A CMYK output profile with the transforms an export needs, built on first use."""
    path: str
    intent: str = "perceptual"

    @cached_property
    def data(self) -> bytes:
        """The profile bytes (embedded as DestOutputProfile)."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError as exc:
            raise ProfileError(f"output profile '{self.path}' cannot be read: {exc}") from None
        if len(data) < 128 or data[16:20] != b"CMYK" or data[12:16] != b"prtr":
            raise ProfileError(f"'{self.path}' is not a CMYK output (printer) ICC profile")
        return data

    @cached_property
    def _profile(self):
        from PIL import ImageCms
        self.data                                      # validate first
        return ImageCms.getOpenProfile(self.path)

    @property
    def version(self) -> tuple[int, int]:
        """The ICC version (major, minor) of the profile."""
        return self.data[8], self.data[9] >> 4

    @property
    def description(self) -> str:
        """The profile's own description text."""
        from PIL import ImageCms
        return ImageCms.getProfileDescription(self._profile).strip()

    @property
    def condition(self) -> tuple[str, str]:
        """(OutputConditionIdentifier, OutputCondition) for the PDF/X output intent."""
        known = _KNOWN_CONDITIONS.get(os.path.basename(self.path))
        if known:
            return known
        return "Custom", self.description

    def rgb_to_cmyk(self, src_icc: bytes | None = None):
        """An ImageCms transform RGB -> CMYK (from the image's own profile, else sRGB)."""
        from PIL import ImageCms
        cache = self.__dict__.setdefault("_rgb_tf", {})
        key = src_icc or b""
        tf = cache.get(key)
        if tf is None:
            src = _source_profile(src_icc, "RGB")
            intent = INTENTS[self.intent]
            flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if intent == 1 else ImageCms.Flags.NONE
            tf = ImageCms.buildTransform(src, self._profile, "RGB", "CMYK",
                                         renderingIntent=intent, flags=flags)
            cache[key] = tf
        return tf

    def cmyk_to_rgb(self):
        """An ImageCms transform CMYK (this profile) -> sRGB for screen proofs."""
        from PIL import ImageCms
        tf = self.__dict__.get("_cmyk_tf")
        if tf is None:
            tf = ImageCms.buildTransform(self._profile, ImageCms.createProfile("sRGB"),
                                         "CMYK", "RGB", renderingIntent=1,
                                         flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
            self.__dict__["_cmyk_tf"] = tf
        return tf


def _source_profile(icc: bytes | None, mode: str):
    """The image's embedded profile when it is usable for ``mode``, else sRGB."""
    from io import BytesIO

    from PIL import ImageCms
    if icc:
        try:
            p = ImageCms.ImageCmsProfile(BytesIO(icc))
            if p.profile.xcolor_space.strip() == mode:
                return p
        except (OSError, ImageCms.PyCMSError, AttributeError):
            pass
    return ImageCms.createProfile("sRGB")


def output_profile(path: str = "", intent: str = "perceptual") -> OutputProfile:
    """The output profile to use: ``path``, or the bundled newsprint profile."""
    return OutputProfile(path or NEWSPRINT, intent)
