"""Page images (PNG) of a proof, rasterised from the PDF so they match it by construction."""
from __future__ import annotations

import os
import tempfile

from common.fs import atomic_write
from layout.result import LayoutResult

from .options import PdfOptions


def write_pngs(source, out_dir: str, dpi: float = 150, *, fontset=None,
               options: PdfOptions | None = None, clip_to_trim: bool = False,
               prefix: str = "") -> list[str]:
    """One PNG per page of ``source`` (a PDF path, or a LayoutResult with ``fontset``).

    A LayoutResult is first written as a proof PDF (``options``, default proof).
    Files are named ``<prefix>-<page>.png`` (the printed page number for a
    result, the PDF page index from 1 for a file) and written atomically.
    Needs PyMuPDF.
    """
    try:
        import pymupdf
    except ImportError as exc:                    # pragma: no cover - dependency missing
        raise RuntimeError("PNG export needs PyMuPDF (pip install pymupdf)") from exc
    os.makedirs(out_dir, exist_ok=True)
    if isinstance(source, LayoutResult):
        if fontset is None:
            raise ValueError("write_pngs from a LayoutResult needs the fontset")
        from .pdf import write_pdf
        options = options or PdfOptions()
        pages = [p.number for p in source.pages
                 if options.pages is None or p.number in options.pages]
        fd, pdf_path = tempfile.mkstemp(suffix=".pdf", dir=out_dir, prefix=".banmian-")
        os.close(fd)
        try:
            write_pdf(source, fontset, pdf_path, options)
            return _rasterise(pymupdf, pdf_path, out_dir, dpi, clip_to_trim,
                              prefix or "page", pages)
        finally:
            os.unlink(pdf_path)
    stem = prefix or os.path.splitext(os.path.basename(str(source)))[0]
    return _rasterise(pymupdf, str(source), out_dir, dpi, clip_to_trim, stem, None)


def _rasterise(pymupdf, pdf_path: str, out_dir: str, dpi: float, clip_to_trim: bool,
               stem: str, numbers: list[int] | None) -> list[str]:
    """Render every page of a PDF to PNG files; their paths in page order."""
    paths = []
    with pymupdf.open(pdf_path) as doc:
        for i, page in enumerate(doc):
            n = numbers[i] if numbers and i < len(numbers) else i + 1
            clip = page.trimbox if clip_to_trim else None
            pix = page.get_pixmap(dpi=dpi, clip=clip, alpha=False)
            path = os.path.join(out_dir, f"{stem}-{n:02d}.png")
            atomic_write(path, writer=lambda tmp, pix=pix: pix.save(tmp, output="png"))
            paths.append(path)
    return paths
