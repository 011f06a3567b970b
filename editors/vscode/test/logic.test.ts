// Unit tests for src/logic.ts, run with node's built-in test runner after
// esbuild has bundled this file (npm test).

import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import {
  bundledServerRelPath,
  configurationFor,
  decideFeatures,
  describeServer,
  documentSelector,
  dotMPatternForFolder,
  escapeGlob,
  expandPath,
  explainArgs,
  findOnPath,
  isConnectorFolderListing,
  isDotM,
  isPowerQueryFile,
  normalizeRules,
  resolveServerPath,
  ruleCodeFromDiagnostic,
  ruleCodesOf,
  serveArgs,
  shouldServeDotM,
  statusText,
  toServerSettings,
} from "../src/logic";

test("bundled binary path per platform", () => {
  assert.equal(bundledServerRelPath("linux", "x64"), "server/linux-x64/pqls");
  assert.equal(bundledServerRelPath("darwin", "arm64"), "server/darwin-arm64/pqls");
  assert.equal(bundledServerRelPath("win32", "x64"), "server/win32-x64/pqls.exe");
});

test("server path: the bundled binary comes first", () => {
  const ext = path.join(path.sep, "ext");
  const bundled = path.join(ext, "server", "linux-arm64", "pqls");
  const seen: string[] = [];
  const r = resolveServerPath({
    configured: "/opt/pqls/bin/pqls",
    extensionPath: ext,
    platform: "linux",
    arch: "arm64",
    exists: (p) => {
      seen.push(p);
      return p === bundled;
    },
  });
  assert.deepEqual(r, { command: bundled, origin: "bundled" });
  assert.deepEqual(seen, [bundled]);
  assert.match(describeServer(r), /bundled with the extension/);
});

test("server path: the setting when nothing is bundled, or the bundled one is turned off", () => {
  const input = {
    configured: " /opt/pqls/bin/pqls ",
    extensionPath: "/ext",
    platform: "linux",
    arch: "x64",
  };
  const none = resolveServerPath({ ...input, exists: () => false });
  assert.deepEqual(none, { command: "/opt/pqls/bin/pqls", origin: "setting" });
  const off = resolveServerPath({ ...input, useBundled: false, exists: () => true });
  assert.deepEqual(off, { command: "/opt/pqls/bin/pqls", origin: "setting" });
  assert.match(describeServer(off), /pqls\.serverPath \(\/opt\/pqls\/bin\/pqls\)/);
});

test("server path: PATH last, naming the binary it finds", () => {
  const ext = path.join(path.sep, "ext");
  const onPath = resolveServerPath({
    configured: "",
    extensionPath: ext,
    platform: "linux",
    arch: "x64",
    pathEnv: "/usr/bin::/home/u/go/bin",
    exists: (p) => p === "/home/u/go/bin/pqls",
  });
  assert.deepEqual(onPath, { command: "/home/u/go/bin/pqls", origin: "path" });
  assert.match(describeServer(onPath), /PATH \(\/home\/u\/go\/bin\/pqls\)/);

  const none = resolveServerPath({ configured: undefined, extensionPath: ext, platform: "linux", arch: "arm64", exists: () => false });
  assert.deepEqual(none, { command: "pqls", origin: "path" });
  assert.match(describeServer(none), /not found/);
  const nul = resolveServerPath({ configured: null, extensionPath: ext, platform: "win32", arch: "x64", exists: () => false });
  assert.deepEqual(nul, { command: "pqls", origin: "path" });
});

test("PATH lookup on Windows uses PATHEXT and ;", () => {
  const seen: string[] = [];
  const found = findOnPath("pqls", "C:\\Tools;C:\\Go\\bin", "win32", (p) => {
    seen.push(p);
    return p === "C:\\Go\\bin\\pqls.exe";
  }, ".COM;.EXE");
  assert.equal(found, "C:\\Go\\bin\\pqls.exe");
  assert.deepEqual(seen, ["C:\\Tools\\pqls.com", "C:\\Tools\\pqls.exe", "C:\\Go\\bin\\pqls.com", "C:\\Go\\bin\\pqls.exe"]);
  assert.equal(findOnPath("pqls", "", "linux", () => true), undefined);
});

test("server path expansion", () => {
  assert.equal(expandPath("~/bin/pqls", "/home/u"), "/home/u/bin/pqls");
  assert.equal(expandPath("~", "/home/u"), "/home/u");
  assert.equal(expandPath("${workspaceFolder}/bin/pqls", undefined, "/w"), "/w/bin/pqls");
  assert.equal(expandPath("bin/pqls", undefined, "/w"), path.join("/w", "bin/pqls"));
  // A bare name is left for PATH lookup, even with a workspace.
  assert.equal(expandPath("pqls-dev", "/home/u", "/w"), "pqls-dev");
  assert.equal(expandPath("/abs/pqls", "/home/u", "/w"), "/abs/pqls");
  assert.equal(expandPath("C:\\tools\\pqls.exe", undefined, "/w"), "C:\\tools\\pqls.exe");
  // "~user" is not expanded.
  assert.equal(expandPath("~x/pqls", "/home/u"), "~x/pqls");
});

test("server arguments", () => {
  assert.deepEqual(serveArgs(), ["serve", "--stdio"]);
  assert.deepEqual(serveArgs(["--log-level", "debug", ""]), ["serve", "--stdio", "--log-level", "debug"]);
  assert.deepEqual(explainArgs("PQC030"), ["explain", "PQC030"]);
});

test("file kinds", () => {
  assert.ok(isPowerQueryFile("/a/Conn.pq"));
  assert.ok(isPowerQueryFile("/a/Diagnostics.PQM"));
  assert.ok(isPowerQueryFile("C:\\a\\x.query.pq"));
  assert.ok(!isPowerQueryFile("/a/Conn.m"));
  assert.ok(!isPowerQueryFile("/a/pq"));
  assert.ok(isDotM("/a/Conn.m"));
  assert.ok(isDotM("/a/Conn.M"));
  assert.ok(!isDotM("/a/Conn.mout"));
  assert.ok(!isDotM("/a/Conn.mproj"));
});

test("connector folder detection", () => {
  assert.ok(isConnectorFolderListing(["TripPin.proj", "TripPin.m"]));
  assert.ok(isConnectorFolderListing(["Old.mproj"]));
  assert.ok(isConnectorFolderListing(["Conn.pq", "readme.md"]));
  assert.ok(isConnectorFolderListing(["Conn.query.pq"]));
  assert.ok(isConnectorFolderListing(["pqls.json"]));
  assert.ok(isConnectorFolderListing(["BUILD.PROJ"]));
  // Objective-C / MATLAB folders.
  assert.ok(!isConnectorFolderListing(["main.m", "AppDelegate.h", "App.xcodeproj"]));
  assert.ok(!isConnectorFolderListing(["solver.m", "plot.m", "data.mat"]));
  assert.ok(!isConnectorFolderListing([]));
  // Bare extensions are not project files.
  assert.ok(!isConnectorFolderListing([".proj", ".pq", ".mproj"]));
});

test(".m files are served only in connector folders or when enabled", () => {
  const dirs: Record<string, string[]> = {
    [path.dirname(path.resolve("/c/Conn.m"))]: ["Conn.m", "Conn.proj"],
    [path.dirname(path.resolve("/objc/main.m"))]: ["main.m", "main.h"],
  };
  const listDir = (d: string) => dirs[d] ?? [];
  assert.equal(shouldServeDotM(path.resolve("/c/Conn.m"), false, listDir), true);
  assert.equal(shouldServeDotM(path.resolve("/objc/main.m"), false, listDir), false);
  assert.equal(shouldServeDotM(path.resolve("/objc/main.m"), true, listDir), true);
  assert.equal(shouldServeDotM(path.resolve("/c/Conn.pq"), true, listDir), false, "not a .m file");
  assert.equal(shouldServeDotM(path.resolve("/nowhere/x.m"), false, () => []), false);
});

test("glob escaping", () => {
  assert.equal(escapeGlob("/home/u/Conn"), "/home/u/Conn");
  assert.equal(escapeGlob("C:\\Users\\u\\Conn"), "C:/Users/u/Conn");
  assert.equal(escapeGlob("/a/[x]{y}*?"), "/a/[[]x[]][{]y[}][*][?]");
  assert.equal(dotMPatternForFolder("/w/Conn/"), "/w/Conn/*.m");
  assert.equal(dotMPatternForFolder("C:\\w\\Conn"), "C:/w/Conn/*.m");
});

test("document selector", () => {
  const base = [
    { scheme: "file", pattern: "**/*.pq" },
    { scheme: "file", pattern: "**/*.pqm" },
    { scheme: "untitled", language: "powerquery" },
  ];
  assert.deepEqual(documentSelector(false, []), base);
  assert.deepEqual(documentSelector(true, ["/a"]), [...base, { scheme: "file", pattern: "**/*.m" }]);
  assert.deepEqual(documentSelector(false, new Set(["/a", "/b/", "/a"])), [
    ...base,
    { scheme: "file", pattern: "/a/*.m" },
    { scheme: "file", pattern: "/b/*.m" },
  ]);
});

test("rule code from a diagnostic", () => {
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: "PQC030" }), "PQC030");
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: " pqc031 " }), "PQC031");
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: { value: "PQC040", target: "https://x" } }), "PQC040");
  assert.equal(ruleCodeFromDiagnostic({ source: "powerquery", code: "PQC030" }), undefined);
  assert.equal(ruleCodeFromDiagnostic({ code: "PQC030" }), undefined);
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls" }), undefined);
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: 12 }), undefined);
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: null }), undefined);
  assert.equal(ruleCodeFromDiagnostic({ source: "pqls", code: "not a code" }), undefined);
  assert.deepEqual(
    ruleCodesOf([
      { source: "pqls", code: "PQC030" },
      { source: "other", code: "X1" },
      { source: "pqls", code: { value: "PQC001" } },
      { source: "pqls", code: "pqc030" },
    ]),
    ["PQC030", "PQC001"],
  );
});

test("rules normalisation", () => {
  const { rules, problems } = normalizeRules({
    pqc030: "off",
    PQC033: "Warning",
    PQC001: "info",
    PQC002: "loud",
    "not a rule": "off",
    PQC003: 3,
  });
  assert.deepEqual(rules, { PQC030: "off", PQC033: "warning", PQC001: "information" });
  assert.equal(problems.length, 3);
  assert.deepEqual(normalizeRules(undefined), { rules: {}, problems: [] });
  assert.equal(normalizeRules(["PQC030"]).problems.length, 1);
});

test("settings map to initializationOptions", () => {
  const { value, problems } = toServerSettings({
    rules: { PQC030: "error" },
    settings: { reviewMode: true, forbiddenWords: ["API"] },
    diagnosticsDelay: 120.4,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(value, {
    rules: { PQC030: "error" },
    settings: { reviewMode: true, forbiddenWords: ["API"] },
    diagnosticsDelay: 120,
    features: "all",
    inlayHints: { parameterNames: false },
  });
  // Round-trips through JSON unchanged (it is what the server receives).
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);

  const empty = toServerSettings({});
  assert.deepEqual(empty.value, { rules: {}, settings: {}, diagnosticsDelay: 50, features: "all", inlayHints: { parameterNames: false } });
  // Objects, never arrays, for empty maps.
  assert.equal(
    JSON.stringify(empty.value),
    '{"rules":{},"settings":{},"diagnosticsDelay":50,"features":"all","inlayHints":{"parameterNames":false}}',
  );

  const bad = toServerSettings({ settings: "x", diagnosticsDelay: -1, parameterNames: "yes" });
  assert.equal(bad.problems.length, 3);
  assert.equal(bad.value.inlayHints.parameterNames, false);

  const on = toServerSettings({ features: "complement", parameterNames: true }).value;
  assert.equal(on.features, "complement");
  assert.deepEqual(on.inlayHints, { parameterNames: true });
  assert.equal(bad.value.diagnosticsDelay, 50);
});

test("workspace/configuration answers", () => {
  const v = toServerSettings({ rules: { PQC030: "off" }, settings: { reviewMode: true } }).value;
  assert.deepEqual(configurationFor("pqls", v), v);
  assert.deepEqual(configurationFor("pqls.rules", v), { PQC030: "off" });
  assert.equal(configurationFor("pqls.settings.reviewMode", v), true);
  assert.equal(configurationFor("pqls.nothing", v), null);
  assert.deepEqual(configurationFor(undefined, v), { pqls: v });
  assert.equal(configurationFor("editor", v), undefined);
  assert.equal(configurationFor("pqlsx", v), undefined);
});

test("status bar text", () => {
  assert.match(statusText("starting"), /pqls/);
  assert.match(statusText("running"), /check/);
  assert.match(statusText("stopped"), /circle-slash/);
  assert.match(statusText("error"), /error/);
});

test("features beside Microsoft's Power Query extension", () => {
  // auto (the default): complement when Microsoft's extension is there.
  assert.equal(decideFeatures(undefined, true).mode, "complement");
  assert.equal(decideFeatures(undefined, false).mode, "all");
  assert.equal(decideFeatures("auto", true).mode, "complement");
  assert.equal(decideFeatures("auto", false).mode, "all");
  // Explicit choices win over the detection.
  assert.equal(decideFeatures("all", true).mode, "all");
  assert.equal(decideFeatures("complement", false).mode, "complement");
  assert.equal(decideFeatures(" Complement ", false).mode, "complement");
  // A bad value is reported and treated as auto.
  const bad = decideFeatures("both", true);
  assert.equal(bad.mode, "complement");
  assert.equal(bad.problems.length, 1);
  assert.equal(decideFeatures(3, false).mode, "all");
  // The reason says what happened, for the tooltip.
  assert.match(decideFeatures(undefined, true).reason, /Microsoft's Power Query extension is installed/);
  assert.match(decideFeatures(undefined, false).reason, /not installed/);
  // The status bar shows the mode.
  assert.match(statusText("running", "complement"), /Power Query/);
  assert.doesNotMatch(statusText("running", "all"), /Power Query/);
});
