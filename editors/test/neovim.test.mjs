// Runs the Neovim plugin's headless unit tests (editors/neovim/test/unit.lua)
// when nvim is on PATH. The end-to-end test against the real server
// (editors/neovim/test/e2e.lua) is run by the server's Go tests instead.

import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
