#!/usr/bin/env bash
# Checks of editors/: builds, tests and packages the VS Code extension and
# runs the editor-configuration tests. Run from the repository root:
#
#   bash editors/ci.sh
#
# Needs node >= 20 and npm with the npm registry reachable (npm ci). Neovim
# and Emacs are optional: their checks in editors/test are skipped when the
# programs are not on PATH.
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
npx --no-install vsce package --no-dependencies --skip-license -o "$vsix" </dev/null
# The package must hold the bundle and the manifest, and no sources.
listing="$(npx --no-install vsce ls --no-dependencies </dev/null)"
for f in dist/extension.js package.json language-configuration.json README.md; do
  grep -qx "$f" <<<"$listing" || { echo "missing $f in the package" >&2; exit 1; }
done
if grep -Eq '^(src|test|out|node_modules)/' <<<"$listing"; then
  echo "the package would contain sources or node_modules:" >&2
  echo "$listing" >&2
  exit 1
fi
test -s "$vsix"
echo "packaged $vsix"

echo "== editors/test: configuration tests"
cd "$root/editors/test"
npm ci --no-progress
node --test configs.test.mjs neovim.test.mjs
