#!/usr/bin/env bash
# Builds a platform-specific .vsix with the pqls server inside:
#
#   editors/vscode/package-platform.sh TARGET BINARY OUT.vsix
#
# TARGET is a VS Code target (linux-x64, linux-arm64, darwin-x64,
# darwin-arm64, win32-x64, win32-arm64) or the same in Go's words
# (linux-amd64, windows-arm64, …). BINARY is the pqls executable built for
# it. The extension must have been installed and bundled first
# (npm ci && npm run bundle in editors/vscode); GoReleaser's before hook
# does that. The script works in a staging folder of its own, so several
# targets can be packaged at once.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 TARGET BINARY OUT.vsix" >&2
  exit 2
fi
target="$1" binary="$2" out="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Go's names to VS Code's.
os="${target%-*}" arch="${target##*-}"
case "$os" in
  windows) os=win32 ;;
  linux|darwin|win32) ;;
  *) echo "package-platform: unknown operating system in target $target" >&2; exit 2 ;;
esac
case "$arch" in
  amd64) arch=x64 ;;
  x64|arm64) ;;
  *) echo "package-platform: unknown architecture in target $target" >&2; exit 2 ;;
esac
target="$os-$arch"
exe=pqls
[ "$os" = win32 ] && exe=pqls.exe

[ -f "$binary" ] || { echo "package-platform: no binary at $binary" >&2; exit 1; }
[ -f "$here/dist/extension.js" ] || { echo "package-platform: run npm ci && npm run bundle in $here first" >&2; exit 1; }
vsce="$here/node_modules/.bin/vsce"
[ -x "$vsce" ] || { echo "package-platform: vsce missing; run npm ci in $here" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$here/package.json" "$here/README.md" "$here/CHANGELOG.md" "$here/LICENSE" \
  "$here/language-configuration.json" "$here/.vscodeignore" "$here/dist" "$stage/"
mkdir -p "$stage/images" "$stage/server/$target"
cp "$here/images/icon.png" "$stage/images/"
cp "$binary" "$stage/server/$target/$exe"
chmod 0755 "$stage/server/$target/$exe"

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# The staged package.json has no scripts to run: the bundle is already built.
(cd "$stage" && node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
  delete p.scripts["vscode:prepublish"];
  fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");
' && "$vsce" package --no-dependencies --target "$target" -o "$out" </dev/null >/dev/null)
echo "packaged $out ($target)"
