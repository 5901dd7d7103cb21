"""The ``epaper`` command: python main.py epaper ISSUE -o SITE/."""
from __future__ import annotations

import os
import time
from pathlib import Path

from .site import build_site


def cmd_epaper(args, ctx) -> int:
    """Build the e-paper site of an issue."""
    t0 = time.perf_counter()
    if not 20 <= args.dpi <= 300:
        raise ctx.UserError(f"--dpi {args.dpi}: use 20 to 300")
    out = args.output
    if Path(out).exists() and not Path(out).is_dir():
        raise ctx.UserError(f"{out}: is a file; give a folder for the site")
    if not Path(out).resolve().parent.is_dir():
        raise ctx.UserError(f"{out}: the folder {Path(out).resolve().parent} does not exist")
    issue, fontset, result = ctx.compose(args.issue)
    base = getattr(ctx, "base_dir", None)           # an issue folder, a database: main.py says
    base = base(args.issue) if base else str(Path(args.issue).resolve().parent)
    try:
        files = build_site(issue, result, fontset, base, out, dpi=args.dpi)
    except OSError as exc:
        raise ctx.UserError(f"{out}: cannot write the site: {exc.strerror or exc}") from None
    print(f"wrote {len(files)} pages to {out} (open {os.path.join(out, 'index.html')}) in "
          f"{time.perf_counter() - t0:.2f} s")
    return 0
