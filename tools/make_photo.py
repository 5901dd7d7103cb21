#!/usr/bin/env python3
"""Draw the sample issue's photo (a study session with phones), since no real one is at hand.

The picture is made entirely by this script (Pillow), so the sample carries no
image that is not ours.  Usage: tools/make_photo.py OUT.jpg [WIDTH HEIGHT]
"""
from __future__ import annotations

import math
import random
import sys

from PIL import Image, ImageDraw, ImageFilter


def draw(width: int, height: int, seed: int = 7) -> Image.Image:
    """A meeting room: a window wall, a long table, people reading red phone screens."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (width, height))
    px = ImageDraw.Draw(img)
    for y in range(height):                                    # wall: warm light gradient
        t = y / height
        px.line([(0, y), (width, y)], fill=(int(222 - 60 * t), int(214 - 62 * t), int(196 - 70 * t)))
    for i in range(4):                                         # windows with daylight
        x0 = int(width * (0.06 + i * 0.24))
        px.rectangle([x0, int(height * 0.08), x0 + int(width * 0.16), int(height * 0.42)],
                     fill=(236, 240, 244), outline=(150, 140, 125), width=max(2, width // 400))
        px.line([(x0 + int(width * 0.08), int(height * 0.08)),
                 (x0 + int(width * 0.08), int(height * 0.42))], fill=(150, 140, 125),
                width=max(2, width // 500))
    banner_y = int(height * 0.02)                              # a red banner on the wall
    px.rectangle([int(width * 0.2), banner_y, int(width * 0.8), banner_y + int(height * 0.05)],
                 fill=(178, 34, 34))
    table_top = int(height * 0.66)                             # the long table
    px.polygon([(0, table_top), (width, table_top), (width, height), (0, height)], fill=(120, 82, 50))
    px.rectangle([0, table_top, width, table_top + int(height * 0.02)], fill=(146, 104, 66))
    n = 7
    for i in range(n):                                         # people behind the table
        cx = int(width * (0.08 + i * 0.84 / (n - 1)))
        head_r = int(height * (0.065 + rnd.uniform(-0.006, 0.006)))
        cy = int(height * (0.43 + rnd.uniform(-0.02, 0.02)))
        coat = rnd.choice([(40, 48, 66), (58, 60, 64), (30, 34, 40), (70, 52, 44)])
        px.rounded_rectangle([cx - int(head_r * 2.1), cy + head_r, cx + int(head_r * 2.1),
                              table_top + head_r], radius=head_r, fill=coat)
        px.rectangle([cx - head_r // 3, cy + head_r - 4, cx + head_r // 3, cy + head_r + head_r // 2],
                     fill=(232, 232, 228))
        px.ellipse([cx - head_r, cy - head_r, cx + head_r, cy + head_r], fill=(226, 188, 160))
        px.chord([cx - head_r, cy - head_r, cx + head_r, cy + head_r // 2], 180, 360,
                 fill=(24, 22, 22))
        ph_w, ph_h = int(head_r * 0.9), int(head_r * 1.5)     # a phone with a red app screen
        tilt = rnd.uniform(-0.25, 0.25)
        pxc, pyc = cx + int(head_r * 0.4), table_top - int(head_r * 0.5)
        pts = []
        for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            x, y = dx * ph_w / 2, dy * ph_h / 2
            pts.append((pxc + x * math.cos(tilt) - y * math.sin(tilt),
                        pyc + x * math.sin(tilt) + y * math.cos(tilt)))
        px.polygon(pts, fill=(20, 20, 24))
        inner = [((p[0] - pxc) * 0.82 + pxc, (p[1] - pyc) * 0.86 + pyc) for p in pts]
        px.polygon(inner, fill=(205, 40, 36))
        px.ellipse([cx - int(head_r * 1.9), table_top - int(head_r * 0.9), cx - int(head_r * 1.1),
                    table_top - int(head_r * 0.1)], fill=(226, 188, 160))
        px.rectangle([cx - int(head_r * 1.6), table_top + int(height * 0.03),
                      cx - int(head_r * 0.2), table_top + int(height * 0.05)], fill=(240, 238, 230))
    img = img.filter(ImageFilter.GaussianBlur(radius=max(1, width // 1200)))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(img, noise, 0.06)


if __name__ == "__main__":
    out = sys.argv[1]
    w, h = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (2600, 1150)
    draw(w, h).save(out, "JPEG", quality=88, dpi=(300, 300))
    print(f"wrote {out} ({w} × {h})")
