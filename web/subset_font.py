#!/usr/bin/python3
"""Subsets Noto Sans CJK SC to the characters the UI uses (build time).

usage: subset_font.py OUT.ttf SOURCE...   (SOURCE: files whose characters the UI shows)
Keeps printable ASCII, the punctuation/arrow/math ranges the app asks ImGui for,
and every character found in the sources, so Chinese renders without boxes
while the font stays small."""
import sys
from fontTools import subset

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_NUMBER = 2  # Noto Sans CJK SC inside the collection

out, sources = sys.argv[1], sys.argv[2:]
chars = {chr(c) for c in range(0x20, 0x7F)}
for lo, hi in [(0x00A0, 0x00FF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2200, 0x22FF),
               (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
    chars.update(chr(c) for c in range(lo, hi + 1))
for path in sources:
    with open(path, encoding="utf-8") as f:
        chars.update(ch for ch in f.read() if ord(ch) >= 0x80)

options = subset.Options()
options.font_number = FONT_NUMBER
options.layout_features = []          # ImGui does no shaping
options.hinting = False
options.desubroutinize = True
options.name_IDs = [1, 2]
options.notdef_outline = True
font = subset.load_font(FONT, options)
subsetter = subset.Subsetter(options)
subsetter.populate(text="".join(sorted(chars)))
subsetter.subset(font)
subset.save_font(font, out, options)
print(f"{out}: {len(chars)} characters")
