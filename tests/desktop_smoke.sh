#!/usr/bin/env bash
# The desktop app under Xvfb (Mesa llvmpipe): it opens, draws, saves its own
# screenshot and exits 0; an xwd grab of the X screen while it runs must show
# the UI too. Both images go to build/test-artifacts/ and must not be blank.
set -u
app="$1"
out="$(dirname "$0")/../build/test-artifacts"
mkdir -p "$out"
rm -f "$out/desktop.png" "$out/desktop-xwd.png"

colours() { convert "$1" -format '%k' info: 2>/dev/null || echo 0; }

xvfb-run -a -s '-screen 0 1280x800x24' bash -c "
  '$app' '#layer=AvgPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&count_include_pad=0&h=8&w=8' \
      --frames 600 --screenshot '$out/desktop.png' &
  pid=\$!
  sleep 1.5
  xwd -root -silent | convert xwd:- '$out/desktop-xwd.png'
  wait \$pid
" || { echo "FAIL: the desktop app did not exit 0"; exit 1; }

status=0
for f in desktop.png desktop-xwd.png; do
  n=$(colours "$out/$f")
  if [ "$n" -lt 50 ]; then echo "FAIL: $f has $n colours (blank?)"; status=1; else echo "ok: $f has $n colours"; fi
done

# Opaque rectangles drawn as scissored clears (src/platform/draw_fills.h) and frames
# drawn only where they changed (src/platform/retained_frame.h; after the first of 4
# frames) give the same framebuffer bytes as ImGui's triangles drawn whole: the
# pooling lab at 224x224 with and without --plain-fills --redraw-all. The only
# pixels allowed to differ are the measured forward/backward times' text (top right).
fills="$(mktemp -d)"
for mode in fast plain; do
  flag=(); [ "$mode" = plain ] && flag=(--plain-fills --redraw-all)
  xvfb-run -a -s '-screen 0 1280x800x24' "$app" \
      '#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=random&h=224&w=224' \
      --frames 4 --screenshot "$fills/$mode.png" --state "$fills/$mode.json" "${flag[@]}" >/dev/null 2>&1 ||
      { echo "FAIL: --frames 4 ($mode drawing)"; status=1; }
done
# ... and the frames after the first did keep part of the last one.
if python3 -c "import json, sys; r = json.load(open(sys.argv[1]))['timings']['redrawn']; print('redrawn', r); sys.exit(0 if r < 1 else 1)" "$fills/fast.json"; then
  echo "ok: frames 2-4 redrew only part of the window"
else
  echo "FAIL: every frame was redrawn whole"; status=1
fi
if [ -f "$fills/fast.png" ] && [ -f "$fills/plain.png" ]; then
  cp "$fills/fast.png" "$out/desktop-fills.png"
  region=$(convert "$fills/fast.png" "$fills/plain.png" -compose difference -composite -threshold 0 -format '%@' info: 2>/dev/null)
  # %@ is WxH+X+Y of the differing pixels (the whole image's size when none differ: 0x0 then)
  if python3 -c "
import re, sys
w, h, x, y = map(int, re.match(r'(\d+)x(\d+)\+(-?\d+)\+(-?\d+)', sys.argv[1]).groups())
same = w == 0 or h == 0 or (w, h) == (1280, 800) and x == 0 and y == 0
sys.exit(0 if same or (x >= 960 and y + h <= 24) else 1)" "$region"; then
    echo "ok: clears and partial redraws give the same pixels as whole redraws (differing: $region, the timings' text)"
  else
    echo "FAIL: --plain-fills --redraw-all and the page's drawing differ in $region"; status=1
  fi
fi
rm -rf "$fills"

# Files dropped on the window (--drop takes the drop callback's path): a PNG written
# here, the same pixels as lossless WebP and as JPEG, then a file that is no image.
# kernel_size=1 passes the input through, so state()'s output_values are the pixels
# as torchvision's ToTensor + rgb_to_grayscale make them (rounded to 2 decimals).
drops="$(mktemp -d)"
python3 - "$drops" <<'PY'
import struct, sys, zlib
pixels = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 64, 32)]  # 3 x 2
rows = b"".join(b"\0" + bytes(v for p in pixels[y * 3:(y + 1) * 3] for v in p) for y in range(2))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)) + \
      chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1] + "/pixels.png", "wb").write(png)
open(sys.argv[1] + "/notes.txt", "w").write("hello")
PY
convert "$drops/pixels.png" -define webp:lossless=true "$drops/pixels.webp"
convert "$drops/pixels.png" -quality 100 "$drops/pixels.jpg"
for f in pixels.png pixels.webp pixels.jpg notes.txt; do
  xvfb-run -a -s '-screen 0 1280x800x24' "$app" '#layer=MaxPool2d&kernel_size=1&c=1' --drop "$drops/$f" \
      --frames 3 --state "$drops/$f.json" --screenshot "$out/desktop-drop.png" >/dev/null 2>&1 ||
    { echo "FAIL: the desktop app did not exit 0 after dropping $f"; status=1; continue; }
  python3 - "$drops/$f.json" "$f" <<'PY' || status=1
import json, sys
s, name = json.load(open(sys.argv[1])), sys.argv[2]
if name == "notes.txt":
    assert s["notice"] == "notes.txt: not a PNG, JPEG or WebP image (LayerLab opens .npy, PNG, JPEG and WebP files)", s
    assert s["input_shape"] == [1, 1, 8, 8], s["input_shape"]  # nothing changed
else:
    assert s["error"] is None, s["error"]
    assert s["input_file"]["name"] == name and s["input_shape"] == [1, 1, 2, 3], s
    pixels = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 64, 32)]
    gray = [round(0.2989 * r / 255 + 0.587 * g / 255 + 0.114 * b / 255, 2) for r, g, b in pixels]
    tol = 0.03 if name.endswith(".jpg") else 0.006  # JPEG is lossy, even at quality 100
    assert all(abs(a - b) <= tol for a, b in zip(s["output_values"], gray)), (s["output_values"], gray)
print("ok: dropped", name, "->", "error" if name == "notes.txt" else "input " + str(s["input_shape"]))
PY
done
rm -rf "$drops"
exit $status
