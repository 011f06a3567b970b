#!/usr/bin/env bash
# Checks of editors/: builds, tests and packages the VS Code extension and
# runs the editor-configuration tests. Run from the repository root:
#
#   bash editors/ci.sh
#
# Needs node >= 20 and npm with the npm registry reachable (npm ci), Go, and
# unzip. Neovim, Vim and Emacs are optional: their checks in editors/test are
# skipped when the programs are not on PATH (unless CI is set).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vsix="${PQLS_VSIX:-/tmp/pqls.vsix}"

# npm prints progress and funding notes; keep the log readable.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

echo "== editors/vscode: install"
cd "$root/editors/vscode"
npm ci --no-progress

echo "== editors/vscode: type-check"
npm run --silent typecheck

echo "== editors/vscode: bundle"
npm run --silent bundle

echo "== editors/vscode: unit tests"
npm run --silent build:test
node --test out/test/logic.test.js

echo "== editors/vscode: package"
rm -f "$vsix"
npx --no-install vsce package --no-dependencies -o "$vsix" </dev/null
# The package must hold the bundle, the manifest and what the Marketplace
# shows, and no sources.
listing="$(npx --no-install vsce ls --no-dependencies </dev/null)"
for f in dist/extension.js package.json language-configuration.json README.md CHANGELOG.md LICENSE images/icon.png; do
  grep -qx "$f" <<<"$listing" || { echo "missing $f in the package" >&2; exit 1; }
done
if grep -Eq '^(src|test|out|node_modules)/' <<<"$listing"; then
  echo "the package would contain sources or node_modules:" >&2
  echo "$listing" >&2
  exit 1
fi
test -s "$vsix"
echo "packaged $vsix"

echo "== editors/vscode: platform package with the server inside"
platform_dir="$(mktemp -d)"
trap 'rm -rf "$platform_dir"' EXIT
(cd "$root" && CGO_ENABLED=0 go build -o "$platform_dir/pqls" ./cmd/pqls)
bash "$root/editors/vscode/package-platform.sh" linux-amd64 "$platform_dir/pqls" "$platform_dir/pqls-linux-x64.vsix"
# A .vsix is a zip: the server must sit where the extension looks first,
# executable, and the manifest must name the target.
node -e '
  const { execFileSync } = require("child_process");
  const zip = process.argv[1];
  const list = execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).split("\n");
  if (!list.includes("extension/server/linux-x64/pqls")) throw new Error("no server in " + zip + ":\n" + list.join("\n"));
  const perms = execFileSync("unzip", ["-Z", zip, "extension/server/linux-x64/pqls"], { encoding: "utf8" });
  if (!/^-rwx/.test(perms)) throw new Error("server not executable: " + perms);
  const manifest = execFileSync("unzip", ["-p", zip, "extension.vsixmanifest"], { encoding: "utf8" });
  if (!/TargetPlatform="linux-x64"/.test(manifest)) throw new Error("manifest lacks the target:\n" + manifest);
' "$platform_dir/pqls-linux-x64.vsix"
unzip -p "$platform_dir/pqls-linux-x64.vsix" extension/server/linux-x64/pqls > "$platform_dir/unpacked"
chmod +x "$platform_dir/unpacked"
"$platform_dir/unpacked" version | grep -q '^pqls ' || { echo "the bundled server does not run" >&2; exit 1; }

echo "== editors/test: configuration tests"
cd "$root/editors/test"
npm ci --no-progress
# PQLS_BIN: the action.yml test runs the action's check step with it.
PQLS_BIN="$platform_dir/pqls" node --test configs.test.mjs neovim.test.mjs
