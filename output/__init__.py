"""Output of composed pages: proof and print PDFs, page PNGs, and output preflight.

    from output import PdfOptions, write_pdf, export_pdf, write_pngs, preflight

``write_pdf`` draws a ``layout.result.LayoutResult`` exactly as composed;
``export_pdf`` adds the preflight and refuses a print export with errors
unless forced.
"""
from .cache import ExportCache
from .options import PdfOptions
from .pdf import write_pdf
from .png import write_pngs
from .preflight import ExportRefused, export_pdf, preflight

__all__ = ["PdfOptions", "write_pdf", "export_pdf", "ExportRefused", "preflight",
           "write_pngs", "ExportCache"]
