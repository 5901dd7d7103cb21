"""Glyph runs to PDF text operators, every glyph at the pen position layout gave it.

A horizontal run is one text object with one TJ array: after each glyph the
viewer advances by the glyph's width from the font's W array, and a number in
the array moves the pen to the next ``xs[i]``.  The pen is tracked with the
rounded numbers actually written, so errors never accumulate.  Vertical runs
(``ys`` given) place every glyph with its own text matrix.
"""
from __future__ import annotations

from .pdfobjects import num as _c     # coordinates: 4 decimals, trailing zeros dropped


def horizontal(out: list, resource: str, size: float, cids: list, widths: list,
               hexes: list, xs, x_off: float, y_pdf: float, hscale: float = 1.0,
               vscale: float = 1.0) -> None:
    """Append a text object showing ``cids`` with glyph i's origin at x_off + xs[i], y_pdf.

    长/扁 type (``hscale``/``vscale`` below 1) scales the text matrix: ``hs 0 0 vs x y Tm``
    narrows (or lowers) every glyph about its origin, and the viewer's advances and
    the TJ numbers are scaled by ``hs`` with it, which the pen tracking counts in.
    """
    if not cids:
        return
    k = 1000.0 / (size * hscale)
    inv = size * hscale / 1000.0
    parts = ["BT /", resource, " ", _c(size), " Tf ", _c(hscale), " 0 0 ", _c(vscale), " ",
             _c(x_off + xs[0]), " ", _c(y_pdf), " Tm [<"]
    ap = parts.append
    pen = xs[0]
    shifts: dict[float, str] = {}        # justified text repeats its few adjustments
    for cid, x in zip(cids, xs):
        d = x - pen
        if d > 1e-6 or d < -1e-6:
            a = round(-d * k, 3)
            if a:
                t = shifts.get(a)
                if t is None:
                    t = shifts[a] = f"> {a!r} <"
                ap(t)
                pen -= a * inv
        ap(hexes[cid])
        pen += widths[cid] * inv
    ap(">] TJ ET\n")
    out.append("".join(parts))


def vertical(out: list, resource: str, size: float, cids: list, hexes: list,
             xs, ys, rotate, x_off: float, y_top: float, hscale: float = 1.0,
             vscale: float = 1.0) -> None:
    """Append a text object placing glyph i at (xs[i], ys[i]); page y grows down from y_top.

    A glyph with ``rotate[i]`` is turned 90° clockwise on the page about its
    origin: it advances down the page and its ascent points right (Qt's
    ``rotate(90)``), as for Latin set sideways in a vertical column.  长/扁 type scales
    each glyph about its origin first (``hscale`` across, ``vscale`` up).
    """
    if not cids:
        return
    parts = ["BT /", resource, " ", _c(size), " Tf"]
    ap = parts.append
    for i, cid in enumerate(cids):
        x = _c(x_off + xs[i])
        y = _c(y_top - ys[i])
        if rotate and i < len(rotate) and rotate[i]:
            ap(f" 0 {_c(-hscale)} {_c(vscale)} 0 {x} {y} Tm <{hexes[cid]}> Tj")
        else:
            ap(f" {_c(hscale)} 0 0 {_c(vscale)} {x} {y} Tm <{hexes[cid]}> Tj")
    ap(" ET\n")
    out.append("".join(parts))
