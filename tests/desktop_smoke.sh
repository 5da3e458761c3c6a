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
exit $status
