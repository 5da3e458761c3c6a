# scripts/lib.sh — shared by scripts/build, scripts/test and scripts/play.
#   ensure_packages PKG...   apt-get install what dpkg says is missing (update only then)
#   ensure_imgui             Dear ImGui 1.90.1 sources from Debian's source package into .deps/imgui
#   ensure_npm               npm packages of package-lock.json into node_modules/
#   step / ok / die          progress lines

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMGUI_VERSION="1.90.1"
# What `apt-get install nodejs` gives on Debian 12 (bookworm): the oldest node the
# project supports. tests/engines/ checks every locked npm package against it.
DEBIAN_NODE="18.20.4"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian 12 has no usable imgui sources; Debian 13 (trixie) has imgui_1.90.1+ds
# with the GLFW and OpenGL3 backends. A private apt configuration reads only
# trixie's deb-src index and leaves the system's sources alone.
ensure_imgui() {
  local dest="$ROOT/.deps/imgui"
  if [ -f "$dest/imgui.h" ] && grep -q "IMGUI_VERSION *\"$IMGUI_VERSION\"" "$dest/imgui.h"; then return 0; fi
  step "fetching Dear ImGui $IMGUI_VERSION sources (Debian source package imgui, trixie)"
  local apt="$ROOT/.deps/apt"
  rm -rf "$apt" "$dest"
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/src"
  local mirror
  # The machine's own Debian mirror: the first active URI ending in /debian.
  mirror="$({ grep -hE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
              grep -hE '^[[:space:]]*deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
                | awk '{print $2}'; } | grep -E '/debian/?$' | head -n1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  cat > "$apt/parts/trixie.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/parts"
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" update -q >"$apt/update.log" 2>&1 \
    || die "cannot read Debian trixie's source index from $mirror (see $apt/update.log)"
  (cd "$apt/src" && apt-get "${opts[@]}" source --download-only "imgui=$IMGUI_VERSION+ds-1" >"$apt/source.log" 2>&1) \
    || (cd "$apt/src" && apt-get "${opts[@]}" source --download-only imgui >>"$apt/source.log" 2>&1) \
    || die "cannot download the imgui source package (see $apt/source.log)"
  local tarball
  tarball="$(ls "$apt/src"/imgui_"$IMGUI_VERSION"*.orig.tar.* 2>/dev/null | head -n1)"
  [ -n "$tarball" ] || die "Debian's imgui source package is not version $IMGUI_VERSION: $(ls "$apt/src")"
  mkdir -p "$apt/unpack"
  tar -xf "$tarball" -C "$apt/unpack"
  mv "$apt/unpack"/imgui-* "$dest"
  grep -q "IMGUI_VERSION *\"$IMGUI_VERSION\"" "$dest/imgui.h" \
    || die "unpacked imgui is not $IMGUI_VERSION ($(grep -m1 'define IMGUI_VERSION ' "$dest/imgui.h"))"
  [ -f "$dest/backends/imgui_impl_glfw.cpp" ] && [ -f "$dest/backends/imgui_impl_opengl3.cpp" ] \
    || die "imgui sources lack the GLFW/OpenGL3 backends"
  rm -rf "$apt/unpack" "$apt/lists" "$apt/cache"
}

# node and npm from Debian when missing; then the node found must be at least the
# major version package.json's engines.node asks for (">=18").
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm
  fi
  local need have
  need="$(sed -n 's/^ *"node": *">= *\([0-9]*\).*/\1/p' "$ROOT/package.json" | head -n1)"
  [ -n "$need" ] || die "package.json has no engines.node of the form \">=N\""
  have="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
  [ "${have%%.*}" -ge "$need" ] \
    || die "node $have ($(command -v node)) is too old: LayerLab needs node >= $need (Debian 12's nodejs is $DEBIAN_NODE)"
}

ensure_npm() {
  ensure_node
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ]; then return 0; fi
  step "installing npm packages"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Packages to build everything (native + WebAssembly), and the extra ones the tests use.
BUILD_PACKAGES=(ca-certificates xz-utils cmake ninja-build g++ pkg-config nlohmann-json3-dev libgtest-dev
                libbenchmark-dev libglfw3-dev libgl-dev libstb-dev libwebp-dev emscripten python3 python3-fonttools
                fonts-noto-cjk)
TEST_PACKAGES=(chromium xvfb xauth x11-apps imagemagick libgl1-mesa-dri clang libclang-rt-14-dev python3-numpy python3-sphinx)
