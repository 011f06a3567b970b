// Checks the editor configurations shipped in editors/: each one parses and
// starts `pqls serve --stdio` for Power Query files.

import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as smolParse } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { EDITORS, ROOT, checkElisp, kakLspServersBlock, skipReason, stripJsonc, which } from "./lib.mjs";

// smol-toml builds null-prototype objects; a JSON round trip gives plain ones.
const parseToml = (text) => JSON.parse(JSON.stringify(smolParse(text)));

const read = (rel) => fs.readFileSync(path.join(EDITORS, rel), "utf8");

/** Asserts that a command + args start the language server. */
function assertServes(command, args, where) {
  const argv = [command, ...(args ?? [])];
  assert.match(String(argv[0]), /(^|[/\\])pqls(\.exe)?$/, `${where}: command should be pqls, got ${argv[0]}`);
  assert.ok(argv.includes("serve"), `${where}: arguments should include "serve": ${JSON.stringify(argv)}`);
  assert.ok(argv.includes("--stdio"), `${where}: arguments should include "--stdio": ${JSON.stringify(argv)}`);
}

// -- helpers of this test file ----------------------------------------------

test("stripJsonc removes comments and trailing commas but not string contents", () => {
  const src = '{\n // c\n "a": "x // y /* z */", /* b */ "b": [1, 2,],\n}';
  assert.deepEqual(JSON.parse(stripJsonc(src)), { a: "x // y /* z */", b: [1, 2] });
  assert.throws(() => stripJsonc("/* open"));
});

test("checkElisp finds unbalanced forms", () => {
  assert.equal(checkElisp('(a "(" ?\\( ?( ; )\n (b [c]))').ok, true);
  assert.equal(checkElisp("(a (b)").ok, false);
  assert.equal(checkElisp("(a))").ok, false);
  assert.equal(checkElisp("(a [b)]").ok, false);
  assert.equal(checkElisp('(a "unterminated)').ok, false);
  assert.equal(checkElisp("(x) (y) (z)").forms, 3);
});

// -- Helix ---------------------------------------------------------------------

test("helix languages.toml", () => {
  const cfg = parseToml(read("helix/languages.toml"));
  const lang = cfg.language.find((l) => l.name === "powerquery");
  assert.ok(lang, "a [[language]] named powerquery");
  assert.equal(lang.scope, "source.powerquery");
  assert.deepEqual(lang["file-types"], ["pq", "pqm"]);
  assert.equal(lang["comment-token"], "//");
  assert.deepEqual(lang["block-comment-tokens"], { start: "/*", end: "*/" });
  assert.ok(Array.isArray(lang.roots) && lang.roots.length > 0, "roots");
  assert.deepEqual(lang["language-servers"], ["pqls"]);
  const server = cfg["language-server"].pqls;
  assertServes(server.command, server.args, "helix");
});

// -- Zed -------------------------------------------------------------------------

test("zed settings.json", () => {
  const cfg = JSON.parse(stripJsonc(read("zed/settings.json")));
  const bin = cfg.lsp.pqls.binary;
  assertServes(bin.path, bin.arguments, "zed settings");
  assert.deepEqual(cfg.languages["Power Query M"].language_servers, ["pqls"]);
  assert.ok("rules" in cfg.lsp.pqls.initialization_options);
  assert.ok("rules" in cfg.lsp.pqls.settings.pqls);
});

test("zed extension", () => {
  const ext = parseToml(read("zed/extension/extension.toml"));
  assert.equal(ext.id, "pqls");
  assert.equal(ext.schema_version, 1);
  assert.deepEqual(ext.language_servers.pqls.languages, ["Power Query M"]);
  const lang = parseToml(read("zed/extension/languages/powerquery/config.toml"));
  assert.equal(lang.name, "Power Query M");
  assert.deepEqual(lang.path_suffixes, ["pq", "pqm"]);
  assert.deepEqual(lang.line_comments, ["// "]);
  const cargo = parseToml(read("zed/extension/Cargo.toml"));
  assert.ok(cargo.dependencies.zed_extension_api);
  const lib = read("zed/extension/src/lib.rs");
  assert.match(lib, /"serve"\.into\(\), "--stdio"\.into\(\)/);
  assert.match(lib, /register_extension!/);
});

// -- Sublime Text ----------------------------------------------------------------

test("sublime LSP client settings", () => {
  const cfg = JSON.parse(stripJsonc(read("sublime/LSP.sublime-settings")));
  const client = cfg.clients.pqls;
  assert.equal(client.enabled, true);
  assert.equal(client.selector, "source.powerquery");
  assertServes(client.command[0], client.command.slice(1), "sublime");
  assert.ok("rules" in client.initializationOptions);
  assert.ok("rules" in client.settings.pqls);
});

test("sublime syntax", () => {
  const syn = parseYaml(read("sublime/PowerQuery.sublime-syntax"));
  assert.equal(syn.scope, "source.powerquery");
  assert.deepEqual(syn.file_extensions, ["pq", "pqm"]);
  for (const name of ["main", "comments", "string"]) {
    assert.ok(Array.isArray(syn.contexts[name]), `context ${name}`);
  }
  // Every regex must compile in JavaScript too (a cheap sanity check: the
  // constructs used are common to Oniguruma and ECMAScript).
  const walk = (items) => {
    for (const it of items) {
      if (it.match) new RegExp(it.match);
      if (Array.isArray(it.push)) walk(it.push);
    }
  };
  for (const ctx of Object.values(syn.contexts)) walk(ctx);
  const prefs = read("sublime/Comments.tmPreferences");
  assert.match(prefs, /<string>source\.powerquery<\/string>/);
  assert.match(prefs, /TM_COMMENT_START/);
});

// -- Kakoune ---------------------------------------------------------------------

test("kak-lsp.toml (older kak-lsp)", () => {
  const cfg = parseToml(read("kakoune/kak-lsp.toml"));
  const s = cfg.language_server.pqls;
  assert.deepEqual(s.filetypes, ["powerquery"]);
  assert.ok(s.roots.includes("pqls.json"));
  assertServes(s.command, s.args, "kak-lsp.toml");
  assert.equal(s.settings_section, "pqls");
  assert.ok("rules" in s.settings.pqls);
});

test("pqls.kak (kakoune-lsp lsp_servers option)", () => {
  const kak = read("kakoune/pqls.kak");
  assert.match(kak, /hook global BufCreate \.\*\[\.\]\(pq\|pqm\) %\{\s*set-option buffer filetype powerquery/);
  assert.match(kak, /comment_line '\/\/'/);
  const block = kakLspServersBlock(kak);
  assert.ok(block, "a set-option buffer lsp_servers %{...} block");
  const cfg = parseToml(block.replace(/^\s+/gm, ""));
  assertServes(cfg.pqls.command, cfg.pqls.args, "pqls.kak");
  assert.ok(cfg.pqls.root_globs.includes("*.proj"));
  assert.equal(cfg.pqls.settings_section, "pqls");
});

// -- Emacs -----------------------------------------------------------------------

const elFiles = fs
  .readdirSync(path.join(EDITORS, "emacs"))
  .filter((f) => f.endsWith(".el"))
  .sort();

test("emacs files exist", () => {
  assert.deepEqual(elFiles, ["pq-mode.el", "pqls-eglot.el"]);
});

for (const f of elFiles) {
  test(`emacs ${f}: brackets balance`, () => {
    const r = checkElisp(read(path.join("emacs", f)));
    assert.ok(r.ok, r.error);
    assert.ok(r.forms > 3, "has top-level forms");
  });
}

test("emacs configuration content", () => {
  const mode = read("emacs/pq-mode.el");
  assert.match(mode, /\(define-derived-mode pq-mode prog-mode/);
  assert.match(mode, /\(add-to-list 'auto-mode-alist '\("\\\\\.pqm\?\\\\'" \. pq-mode\)\)/);
  for (const kw of ["otherwise", "nullable", "#datetimezone", "#sections", "#table"]) {
    assert.ok(mode.includes(`"${kw}"`), `keyword ${kw}`);
  }
  const eg = read("emacs/pqls-eglot.el");
  assert.ok(eg.includes(`(add-to-list 'eglot-server-programs '(pq-mode . ("pqls" "serve" "--stdio")))`));
});

// Emacs 28 crashes at start-up on some virtual machines; only load the files
// when a trivial batch Emacs works.
const emacs = which("emacs");
const emacsWorks =
  emacs !== undefined &&
  spawnSync(emacs, ["--batch", "-Q", "--eval", "(kill-emacs 0)"], { timeout: 60000 }).status === 0;
const emacsProblem = emacs ? "emacs does not start on this machine" : "emacs not on PATH";

for (const f of elFiles) {
  test(
    `emacs ${f}: loads in emacs --batch`,
    { skip: skipReason(emacsWorks, emacsProblem) },
    () => {
      assert.ok(emacsWorks, emacsProblem);
      const r = spawnSync(emacs, ["--batch", "-Q", "-L", path.join(EDITORS, "emacs"), "-l", path.join(EDITORS, "emacs", f)], {
        encoding: "utf8",
        timeout: 60000,
      });
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    },
  );
}

test(
  "emacs pq-mode: comments and keywords",
  { skip: skipReason(emacsWorks, emacsProblem) },
  () => {
    assert.ok(emacsWorks, emacsProblem);
    const script = `
(progn
  (require 'pq-mode)
  (with-temp-buffer
    (insert "let x = 1 // c\\n/* b */ in #date(2020,1,1)")
    (pq-mode)
    (font-lock-ensure)
    (goto-char (point-min))
    (unless (eq (get-text-property (point) 'face) 'font-lock-keyword-face) (error "let not a keyword"))
    (search-forward "// c") (backward-char 1)
    (unless (nth 4 (syntax-ppss)) (error "line comment not recognised"))
    (search-forward "/* b") 
    (unless (nth 4 (syntax-ppss)) (error "block comment not recognised"))
    (search-forward "#dat")
    (unless (eq (get-text-property (point) 'face) 'font-lock-builtin-face) (error "#date not highlighted"))
    (unless (eq (assoc-default "x.pqm" auto-mode-alist #'string-match) 'pq-mode) (error "auto-mode-alist"))
    (princ "ok\\n")))`;
    const r = spawnSync(emacs, ["--batch", "-Q", "-L", path.join(EDITORS, "emacs"), "--eval", script], {
      encoding: "utf8",
      timeout: 60000,
    });
    assert.equal(r.status, 0, r.stderr);
  },
);

// -- VS Code manifest (the extension's own tests live in editors/vscode) ------------

test("vscode package.json contributes what the client expects", () => {
  const pkg = JSON.parse(read("vscode/package.json"));
  const lang = pkg.contributes.languages.find((l) => l.id === "powerquery");
  assert.ok(lang, "language powerquery");
  assert.deepEqual(lang.extensions, [".pq", ".pqm"], ".m must not be claimed");
  assert.equal(pkg.contributes.grammars, undefined, "no grammar of our own");
  const lc = JSON.parse(read(path.join("vscode", lang.configuration)));
  assert.equal(lc.comments.lineComment, "//");
  assert.deepEqual(lc.comments.blockComment, ["/*", "*/"]);
  const props = pkg.contributes.configuration.properties;
  for (const key of ["pqls.serverPath", "pqls.rules", "pqls.settings", "pqls.trace.server", "pqls.diagnosticsDelay", "pqls.enableForDotM"]) {
    assert.ok(props[key], `setting ${key}`);
  }
  assert.equal(props["pqls.diagnosticsDelay"].default, 50);
  assert.deepEqual(props["pqls.trace.server"].enum, ["off", "messages", "verbose"]);
  assert.deepEqual(props["pqls.rules"].patternProperties["^[A-Za-z]+[0-9]+$"].enum, ["off", "error", "warning", "information", "hint"]);
  const cmds = pkg.contributes.commands.map((c) => c.command);
  assert.ok(cmds.includes("pqls.restartServer"));
  assert.ok(cmds.includes("pqls.explainRule"));
  assert.equal(pkg.main, "./dist/extension.js");
  assert.ok(pkg.dependencies["vscode-languageclient"].startsWith("11."));
  assert.ok(fs.existsSync(path.join(EDITORS, "vscode", "package-lock.json")), "package-lock.json for npm ci");
  const ignore = read("vscode/.vscodeignore");
  for (const pat of ["src/**", "node_modules/**", "package-platform.sh"]) {
    assert.ok(ignore.split("\n").includes(pat), `.vscodeignore has ${pat}`);
  }
});

test("vscode package.json is ready for the Marketplace and Open VSX", () => {
  const pkg = JSON.parse(read("vscode/package.json"));
  assert.equal(pkg.private, undefined, "private would stop publishing");
  assert.equal(pkg.license, "MIT");
  const icon = fs.readFileSync(path.join(EDITORS, "vscode", pkg.icon));
  assert.deepEqual([...icon.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "icon is a PNG");
  assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, "icon is at least 128x128");
  for (const f of ["CHANGELOG.md", "LICENSE", "README.md"]) {
    assert.ok(fs.statSync(path.join(EDITORS, "vscode", f)).size > 0, f);
  }
  assert.ok(!/--skip-license/.test(pkg.scripts.package), "packaged with its license");
  const untrusted = pkg.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, "limited");
  for (const key of ["pqls.serverPath", "pqls.useBundledServer", "pqls.serverExtraArgs"]) {
    assert.ok(untrusted.restrictedConfigurations.includes(key), `${key} is ignored in untrusted workspaces`);
    assert.ok(pkg.contributes.configuration.properties[key], `${key} is a setting`);
  }
  assert.match(read("vscode/README.md"), /"source\.fixAll\.pqls": "explicit"/, "README explains fix-on-save");
});

test("vscode package-platform.sh refuses bad targets", () => {
  const script = path.join(EDITORS, "vscode", "package-platform.sh");
  const usage = spawnSync("bash", [script], { encoding: "utf8" });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: .*TARGET BINARY OUT\.vsix/);
  const bad = spawnSync("bash", [script, "plan9-amd64", "/bin/true", "/tmp/x.vsix"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown operating system/);
});

// -- Neovim files (behaviour is tested by neovim.test.mjs) ---------------------------

test("neovim plugin layout", () => {
  for (const f of [
    "lua/pqls/init.lua",
    "lua/pqls/detect.lua",
    "lsp/pqls.lua",
    "ftdetect/powerquery.vim",
    "ftplugin/powerquery.vim",
    "syntax/powerquery.vim",
    "mason/package.yaml",
    "test/e2e.lua",
    "test/unit.lua",
    "test/vim-syntax.vim",
  ]) {
    assert.ok(fs.existsSync(path.join(EDITORS, "neovim", f)), f);
  }
  const init = read("neovim/lua/pqls/init.lua");
  assert.match(init, /cmd = \{ "pqls", "serve", "--stdio" \}/);
  const lsp = read("neovim/lsp/pqls.lua");
  assert.match(lsp, /cmd = \{ "pqls", "serve", "--stdio" \}/);
  assert.match(lsp, /filetypes = \{ "powerquery" \}/);
  // Vim has no Lua ftdetect: the .m detection must be Neovim-only.
  const ftdetect = read("neovim/ftdetect/powerquery.vim");
  assert.match(ftdetect, /if has\('nvim'\)\n\s+autocmd [^\n]*\*\.m lua /);
});

// The Mason package installs the archives GoReleaser publishes: same names,
// every target, the right binary.
test("mason package matches the release archives", () => {
  const pkg = parseYaml(read("neovim/mason/package.yaml"));
  const goreleaser = parseYaml(fs.readFileSync(path.join(ROOT, ".goreleaser.yaml"), "utf8"));
  assert.equal(pkg.name, "pqls");
  assert.ok(pkg.categories.includes("LSP"));
  assert.match(pkg.source.id, /^pkg:github\/pqls\/pqls@v\d+\.\d+\.\d+$/);
  assert.equal(pkg.neovim.lspconfig, "pqls");
  const build = goreleaser.builds.find((b) => b.binary === "pqls");
  const archive = goreleaser.archives[0];
  assert.equal(archive.name_template, "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}");
  const masonOs = { linux: "linux", darwin: "darwin", windows: "win" };
  const masonArch = { amd64: "x64", arm64: "arm64" };
  const want = [];
  for (const goos of build.goos) {
    for (const goarch of build.goarch) {
      const ext = archive.format_overrides.find((o) => o.goos === goos)?.formats[0] ?? archive.formats[0];
      want.push({
        target: `${masonOs[goos]}_${masonArch[goarch]}`,
        file: `pqls_{{ version | strip_prefix "v" }}_${goos}_${goarch}.${ext}`,
        bin: goos === "windows" ? "pqls.exe" : "pqls",
      });
    }
  }
  const key = (a) => a.target;
  assert.deepEqual([...pkg.source.asset].sort((a, b) => key(a).localeCompare(key(b))), want.sort((a, b) => key(a).localeCompare(key(b))));
  assert.equal(pkg.bin.pqls, "{{source.asset.bin}}");
});

// -- CI and hooks ---------------------------------------------------------------------

test("action.yml is a composite action that writes SARIF", () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));
  assert.equal(action.runs.using, "composite");
  for (const input of ["path", "version", "args", "sarif-file", "upload", "fail-on-findings"]) {
    assert.ok(action.inputs[input], `input ${input}`);
    assert.ok(action.inputs[input].description, `input ${input} is described`);
  }
  for (const step of action.runs.steps) {
    if (step.run) {
      assert.equal(step.shell, "bash", `${step.name}: composite run steps need a shell`);
      // Inputs reach scripts through env, never pasted into the script.
      assert.ok(!/\$\{\{\s*inputs\./.test(step.run), `${step.name}: inputs interpolated into the script`);
    }
  }
  const check = action.runs.steps.find((s) => s.id === "check");
  assert.match(check.run, /pqls check --format sarif/);
  const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
  assert.ok(upload, "uploads to code scanning");
  assert.equal(upload.with.sarif_file, "${{ steps.check.outputs.sarif-file }}");
  const install = action.runs.steps.find((s) => s.name === "Install pqls");
  assert.match(install.run, /archive="pqls_\$\{version#v\}_\$\{os\}_\$\{arch\}\.\$\{ext\}"/, "archive name as GoReleaser writes it");
  assert.match(install.run, /sha256sum -c/, "checks the archive's checksum");
});

// Runs the action's check step as the runner would, against a broken
// connector, with the pqls named by PQLS_BIN (editors/ci.sh builds one).
test("action.yml check step writes SARIF and reports the exit status", { skip: skipReason(process.env.PQLS_BIN, "PQLS_BIN not set") }, () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));
  const check = action.runs.steps.find((s) => s.id === "check");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pqls-action-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.symlinkSync(path.resolve(process.env.PQLS_BIN), path.join(bin, "pqls"));
  fs.mkdirSync(path.join(dir, "Broken"));
  fs.writeFileSync(path.join(dir, "Broken", "Broken.pq"), "[Version = \"1.0.0\"]\nsection Broken;\nshared Broken.Contents = ;\n");
  const output = path.join(dir, "output");
  const summary = path.join(dir, "summary");
  const r = spawnSync("bash", ["-c", check.run], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      PQLS_PATHS: "Broken",
      PQLS_ARGS: "--fail-on error",
      PQLS_SARIF: "out.sarif",
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
    },
  });
  assert.equal(r.status, 0, `the step itself succeeds so the upload runs:\n${r.stderr}`);
  const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").trim().split("\n").map((l) => l.split("=")));
  assert.equal(outputs["exit-code"], "1");
  assert.equal(outputs["sarif-file"], "out.sarif");
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, "out.sarif"), "utf8"));
  assert.equal(sarif.version, "2.1.0");
  assert.ok(sarif.runs[0].results.some((res) => res.ruleId === "syntax"));
  assert.match(fs.readFileSync(summary, "utf8"), /^\d+ findings?: .*\d+ errors?/);
});

test(".pre-commit-hooks.yaml runs pqls check on connector files", () => {
  const hooks = parseYaml(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8"));
  const ids = hooks.map((h) => h.id);
  assert.deepEqual(ids, ["pqls-check", "pqls-check-system"]);
  for (const h of hooks) {
    assert.equal(h.entry, "pqls check");
    assert.equal(h.pass_filenames, false, "the whole project is checked");
    const files = new RegExp(h.files);
    for (const f of ["Contoso/Contoso.pq", "lib/Helpers.pqm", "Contoso.mproj", "resources.resx", "pqls.json", "sub/pqls.json"]) {
      assert.ok(files.test(f), `${h.id} runs for ${f}`);
    }
    for (const f of ["README.md", "main.go", "notpqls.json"]) {
      assert.ok(!files.test(f), `${h.id} skips ${f}`);
    }
  }
  assert.equal(hooks[0].language, "golang");
  assert.equal(hooks[1].language, "system");
});

// -- Documentation -------------------------------------------------------------------

test("every editor directory has a README and docs/editors.md lists it", () => {
  const docs = fs.readFileSync(path.join(ROOT, "docs", "editors.md"), "utf8");
  for (const dir of ["vscode", "neovim", "helix", "emacs", "sublime", "kakoune", "zed"]) {
    assert.ok(fs.existsSync(path.join(EDITORS, dir, "README.md")), `${dir}/README.md`);
    assert.ok(docs.includes(`editors/${dir}`), `docs/editors.md mentions editors/${dir}`);
  }
  assert.match(docs, /--log-file/);
});
