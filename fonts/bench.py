"""Time the fonts package: `python -m fonts.bench [--cold]` (--cold builds each default face's metrics in a temp cache)."""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time

_IMPORT_PROBE = ("import time; t = time.perf_counter(); import fonts; "
                 "print(f'{(time.perf_counter() - t) * 1000:.1f}', 'fontTools' in str(list(__import__('sys').modules)))")


def time_import() -> tuple[float, bool]:
    """Milliseconds for `import fonts` in a fresh interpreter, and whether fontTools got imported."""
    out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True)
    ms, ft = out.stdout.split()
    return float(ms), ft == "True"


def time_warm(roles=None, cache_dir=None) -> dict[str, float]:
    """Milliseconds for library + FontSet creation and for loading each role's primary face (warm cache)."""
    from . import DEFAULT_ROLES, FontLibrary, FontSet
    out = {}
    t = time.perf_counter()
    lib = FontLibrary(cache_dir=cache_dir)
    fs = FontSet(roles or DEFAULT_ROLES, lib)
    out["FontSet (discover + resolve)"] = (time.perf_counter() - t) * 1000
    for role in fs.roles:
        face = fs.primary(role)
        t = time.perf_counter()
        face.load()
        face.gids("中文排版，测试。")
        out[f"load {role}: {face.name}"] = (time.perf_counter() - t) * 1000
    return out


def time_cold(roles=None):
    """Yield (face, seconds) for building each distinct named face's metrics alone in an empty temporary cache."""
    from . import DEFAULT_ROLES, FontLibrary, FontSet
    with tempfile.TemporaryDirectory(prefix="banmian-bench-") as tmp:
        lib = FontLibrary(cache_dir=tmp)
        fs = FontSet(roles or DEFAULT_ROLES, lib)
        for face in fs.all_faces():
            t = time.perf_counter()
            face.load()
            kind = "CFF" if face.is_cff else "TrueType"
            yield f"{face.name} ({kind}, {face.num_glyphs} glyphs): metrics", time.perf_counter() - t


def main(argv=None) -> None:
    """Print the timings."""
    argv = sys.argv[1:] if argv is None else argv
    ms, ft = time_import()
    print(f"import fonts: {ms:.1f} ms (fontTools imported: {ft})")
    for k, v in time_warm().items():
        print(f"warm {k}: {v:.1f} ms")
    if "--cold" in argv:
        for k, v in time_cold():
            print(f"cold {k}: {v:.1f} s", flush=True)


if __name__ == "__main__":
    main()
