"""fonts_report: which file each role uses and how well it covers GB 2312 (for `python main.py fonts`)."""
from __future__ import annotations

import os

from .charsets import reference_sets
from .errors import FontError
from .fontset import FontSet


def _short(path: str) -> str:
    """The path with the home folder written as ~."""
    home = os.path.expanduser("~")
    return "~" + path[len(home):] if home != "/" and path.startswith(home + os.sep) else path


def _percent(covered: int, total: int) -> str:
    """Coverage as a percentage, never rounding a shortfall up to 100%."""
    if covered == total:
        return "100%"
    return f"{min(99.9, 100 * covered / total):.1f}%"


def face_coverage(face, sets: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """Reference set name -> (characters covered, set size) for one face."""
    sets = sets or reference_sets()
    return {name: (sum(1 for ch in chars if face.has(ch)), len(chars)) for name, chars in sets.items()}


def _file_column(face) -> str:
    """The font file (#face of a collection) and its outline format."""
    return f"{_short(face.source)} ({'CFF' if face.is_cff else 'TrueType'})"


def fonts_report(fontset_or_roles, library) -> str:
    """A text report of every role: faces, font files, glyph counts, GB 2312 coverage."""
    fs = fontset_or_roles if isinstance(fontset_or_roles, FontSet) else FontSet(fontset_or_roles, library)
    sets = reference_sets()
    width = max([len(r) for r in fs.roles] + [4])
    lines = [f"Font cache: {_short(str(library.font_dir))}"]
    for role in fs.roles:
        named = fs.named_faces(role)
        if not named:
            lines.append(f"{role:<{width}}  (no font found for {', '.join(fs.roles[role]) or 'this role'})")
        for i, face in enumerate(named):
            label = f"{role:<{width}}" if i == 0 else " " * width
            try:
                cov = face_coverage(face, sets)
                cov_text = "  ".join(f"{k} {_percent(*v)}" for k, v in cov.items())
            except FontError as e:
                cov_text = f"ERROR {e}"
            prefix = "" if i == 0 else "fallback "
            lines.append(f"{label}  {prefix}{face.name}  {_file_column(face)}  "
                         f"{face.num_glyphs} glyphs  {cov_text}")
        if named:
            try:
                chain_cov = {k: sum(1 for ch in chars if any(f.has(ch) for f in fs.faces(role)))
                             for k, chars in sets.items()}
                if any(chain_cov[k] < len(sets[k]) for k in sets) or len(named) > 1:
                    text = "  ".join(f"{k} {_percent(chain_cov[k], len(sets[k]))}" for k in sets)
                    lines.append(f"{' ' * width}  with all fallbacks: {text}")
            except FontError as e:
                lines.append(f"{' ' * width}  fallback ERROR {e}")
    missing = fs.missing()
    if missing:
        lines.append("Not found: " + "; ".join(f"{role}: {name}" for role, name in missing))
    for path, problem in library.errors:
        lines.append(f"Unreadable font file: {_short(path)}: {problem}")
    return "\n".join(lines)
