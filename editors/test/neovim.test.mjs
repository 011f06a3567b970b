// Runs the Neovim plugin's headless unit tests (editors/neovim/test/unit.lua)
// when nvim is on PATH. The end-to-end test against the real server
// (editors/neovim/test/e2e.lua) is run by the server's Go tests instead.

import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EDITORS, skipReason, which } from "./lib.mjs";

const nvim = which("nvim");

test("neovim plugin unit tests", { skip: skipReason(nvim, "nvim not on PATH") }, () => {
  assert.ok(nvim, "nvim not on PATH");
  const r = spawnSync(nvim, ["--headless", "-u", path.join(EDITORS, "neovim", "test", "unit.lua")], {
    encoding: "utf8",
    timeout: 60000,
    env: { ...process.env, HOME: process.env.HOME ?? "/tmp" },
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  const summary = r.stdout.match(/^(\d+) passed, (\d+) failed$/m);
  assert.ok(summary, `no summary line in:\n${out}`);
  assert.equal(summary[2], "0", out);
  assert.ok(Number(summary[1]) > 0, out);
});

test("neovim plugin loads with -u NONE", { skip: skipReason(nvim, "nvim not on PATH") }, () => {
  assert.ok(nvim, "nvim not on PATH");
  const r = spawnSync(
    nvim,
    ["--headless", "-u", "NONE", "-c", `set rtp+=${path.join(EDITORS, "neovim")}`, "-c", 'lua require("pqls").setup{}', "-c", "qa!"],
    { encoding: "utf8", timeout: 60000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), "", "no errors printed");
});

const vim = which("vim");

// Vim, not Neovim: ftdetect and the syntax file alone highlight M.
test("vim highlights M with the syntax file", { skip: skipReason(vim, "vim not on PATH") }, () => {
  assert.ok(vim, "vim not on PATH");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pqls-vim-"));
  const file = path.join(dir, "Contoso.pq");
  fs.writeFileSync(file, 'section Contoso;\nshared #"Quoted name" = Web.Contents("https://contoso.example"); // fetch\n');
  const result = path.join(dir, "result");
  const r = spawnSync(
    vim,
    ["-Nu", "NONE", "-i", "NONE", "-es", "--cmd", `set rtp^=${path.join(EDITORS, "neovim")}`, "--cmd", `let g:out = '${result}'`,
      "-S", path.join(EDITORS, "neovim", "test", "vim-syntax.vim"), file],
    { encoding: "utf8", timeout: 60000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(result, "utf8").trim(), "ok");
});
