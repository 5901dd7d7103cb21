"""What a PDF export should be: a reading proof or a print file, and its details."""
from __future__ import annotations

from dataclasses import field
from datetime import datetime

from common.prebuilt import prebuilt_dataclass
from layout.model import IssueInfo
from layout.units import PT_PER_MM

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

MODES = ("proof", "print")
LAYER_CHOICES = ("printing", "visible", "all")     # which layers a proof draws
INTENTS = {"perceptual": 0, "relative": 1}


@dataclass
class PdfOptions:
    """Settings of one PDF export; the defaults make a proof (校样)."""
    mode: str = "proof"                  # proof (RGB, slug, overset) | print (CMYK, PDF/X-1a)
    info: IssueInfo = field(default_factory=IssueInfo)   # 报名, date, 校次 for slug and metadata
    sections: dict[int, str] = field(default_factory=dict)   # 版名 by page number
    export_time: datetime | None = None  # shown in the slug; None = now
    pages: list[int] | None = None       # page numbers to write; None = every page
    slug_font: str = ""                  # face key for slug and labels; "" = first face used
    layers: str = "visible"              # proof: visible (what the editor shows, ad
                                         # placeholders too) | printing | all (hidden too)
    keywords: str = ""                   # the document info's Keywords (a proof's 校次 stamp)
    xmp: str = ""                        # an XMP packet for the catalog's Metadata ("": none)

    # proof
    slug: bool = True                    # proof: slug line under each page
    watermark: bool = False              # proof: a light diagonal 校样 under the page
    watermark_text: str = "校样"
    show_overset: bool = True            # proof: overset runs below their frame, in magenta
    frame_outlines: bool = False         # proof: thin outlines of every frame
    proof_image_ppi: float = 150.0       # proof: images above this are downsampled (to it)

    # print
    bleed: float = 3 * PT_PER_MM         # pt around the trim (the BleedBox)
    crop_marks: bool = True              # print: crop marks and a slug outside the bleed
    image_ppi_ceiling: float = 300.0     # print: images above this are downsampled
    downsample_threshold: float = 1.2    # ...when they exceed the ceiling by this factor
    min_image_ppi: float = 200.0         # preflight: warn below this effective resolution
    icc_profile: str = ""                # CMYK output profile; "" = bundled newsprint (TR 002)
    output_condition: str = ""           # OutputConditionIdentifier; "" = from the profile
    rendering_intent: str = "perceptual"  # RGB -> CMYK for images: perceptual | relative
    overprint_black: bool = True         # print: 100% K text and rules overprint
    pdfx: bool = True                    # print: mark the file PDF/X-1a:2001
    jpeg_quality: int = 90               # re-encoded JPEG photos
    max_image_pixels: int = 0            # refuse larger images; 0 = common.images.DEFAULT_MAX_PIXELS
    compress: bool = True                # Flate-compress page streams

    def __post_init__(self) -> None:
        """Reject unknown modes and intents early."""
        if self.mode not in MODES:
            raise ValueError(f"PdfOptions.mode must be one of {MODES}, not {self.mode!r}")
        if self.rendering_intent not in INTENTS:
            raise ValueError(f"rendering_intent must be one of {tuple(INTENTS)}")
        if self.layers not in LAYER_CHOICES:
            raise ValueError(f"layers must be one of {LAYER_CHOICES}, not {self.layers!r}")
        if self.bleed < 0:
            raise ValueError("bleed must not be negative")

    @property
    def is_print(self) -> bool:
        """True for a print (CMYK, PDF/X) export."""
        return self.mode == "print"

    @classmethod
    def from_issue(cls, issue, mode: str = "proof", **changes) -> "PdfOptions":
        """Options filled from an ``layout.model.Issue``: masthead facts, 版名, bleed."""
        from layout.units import length
        kw = dict(mode=mode, info=issue.info,
                  sections={p.number: p.section for p in issue.pages if p.section})
        try:
            kw["bleed"] = length(issue.paper.bleed)
        except (ValueError, TypeError):
            pass
        kw.update(changes)
        return cls(**kw)
