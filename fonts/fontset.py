"""FontSet: the faces one document uses, by role, with fallbacks down to any CJK face available."""
from __future__ import annotations

import os
import unicodedata

from .errors import FontError
from .face import FontFace
from .names import style_class


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def is_font_path(name: str) -> bool:
    """Whether a role entry names a font file ("fonts/FZSSJW.ttf") rather than a font."""
    return "/" in name or "\\" in name or name.lower().endswith(FONT_SUFFIXES)


class FontSet:
    """Role name -> faces best first (named faces, then generic CJK fallbacks); look-up by key.

    A role entry may also be a font file's path (relative ones from ``base_dir``,
    the issue's folder); a file that is missing or not a font raises FontError
    naming the file and the role.
    """

    def __init__(self, roles: dict[str, list[str]], library, base_dir: str | None = None):
        self.roles = {role: list(names) for role, names in roles.items()}
        self.library = library
        self._named: dict[str, list[FontFace]] = {}
        self._missing: list[tuple[str, str]] = []
        self._chains: dict[str, list[FontFace]] = {}
        self._by_key: dict[str, FontFace] = {}
        for role, names in self.roles.items():
            faces = []
            for name in names:
                face = (self._open(role, name, base_dir) if is_font_path(name)
                        else library.resolve(name))
                if face is None:
                    self._missing.append((role, name))
                elif face not in faces:
                    faces.append(face)
                    self._by_key[face.key] = face
            self._named[role] = faces

    def _open(self, role: str, name: str, base_dir: str | None) -> FontFace:
        path = name if os.path.isabs(name) or not base_dir else os.path.join(base_dir, name)
        try:
            return self.library.open(path)
        except FontError as exc:
            raise FontError(exc.path, f"{exc.problem} (font role '{role}')") from None

    def __repr__(self) -> str:
        return f"<FontSet {', '.join(f'{r}={f[0].key if f else None}' for r, f in self._named.items())}>"

    def named_faces(self, role: str) -> list[FontFace]:
        """The faces the role's own names resolved to, best first (no generic fallbacks)."""
        return list(self._named.get(role, ()))

    def faces(self, role: str) -> list[FontFace]:
        """Faces for a role, best first: its named faces, then generic CJK fallbacks (unknown role: body's)."""
        chain = self._chains.get(role)
        if chain is None:
            named = self._named.get(role)
            if named is None:
                named = self._named.get("body", [])
            chain = list(named)
            want = style_class(named[0].info) if named else "serif"
            generic = self.library.fallback_faces()
            generic.sort(key=lambda f: style_class(f.info) != want)       # stable: same design class first
            for face in generic:
                if face not in chain:
                    chain.append(face)
            for face in chain:
                self._by_key.setdefault(face.key, face)
            self._chains[role] = chain
        return chain

    def primary(self, role: str) -> FontFace:
        """The first face of a role; FontError when there is no font at all."""
        chain = self.faces(role)
        if not chain:
            raise FontError(role, "no font for this role and no CJK fallback font on this machine")
        return chain[0]

    def face(self, key: str) -> FontFace:
        """A face by key (the key stored in glyph runs); KeyError if unknown to this set and its library."""
        face = self._by_key.get(key)
        if face is None:
            face = self._by_key[key] = self.library.face(key)
        return face

    def all_faces(self) -> list[FontFace]:
        """Every named face of every role, each once."""
        out = []
        for faces in self._named.values():
            for f in faces:
                if f not in out:
                    out.append(f)
        return out

    def missing(self) -> list[tuple[str, str]]:
        """(role, name) pairs whose name matched no face."""
        return list(self._missing)

    def coverage(self, role: str, text: str) -> dict:
        """{"faces": {key: characters that face supplies first}, "missing": characters no face has}.

        Each distinct character is counted once; control characters and line breaks are ignored.
        """
        chain = self.faces(role)
        by_face: dict[str, list[str]] = {f.key: [] for f in chain}
        missing = []
        for ch in dict.fromkeys(text):
            if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
                continue
            for f in chain:
                if f.has(ch):
                    by_face[f.key].append(ch)
                    break
            else:
                missing.append(ch)
        return {"faces": {k: "".join(v) for k, v in by_face.items() if v}, "missing": "".join(missing)}
