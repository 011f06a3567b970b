// End-to-end test of `pqls serve` with the vscode-languageserver-protocol
// client (the protocol library VS Code's language client is built on),
// over stdio:
//
//   node client.mjs <pqls binary> <connector.pq>
//
// Opens the connector, waits for its diagnostics, asks for code actions on
// the first finding that has one, applies the edit, sends the new text and
// waits until the finding is gone; then shuts the server down and checks it
// exits with status 0. Prints "diag <line>:<character> <code> <message>"
// lines, "action <title>", and finally "ok"; on failure "FAIL: <reason>" and
// exit status 1.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  CodeActionRequest,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
  RegistrationRequest,
} from "vscode-languageserver-protocol/node";

const TIMEOUT_MS = 15000;

function fail(msg) {
  console.log("FAIL: " + String(msg).replace(/\n/g, " | "));
  process.exit(1);
}

const [bin, file] = process.argv.slice(2);
if (!bin || !file) fail("usage: node client.mjs <pqls binary> <connector.pq>");
const path = resolve(file);
const uri = pathToFileURL(path).href;
let text = readFileSync(path, "utf8");

const proc = spawn(bin, ["serve", "--stdio", "--log-level", "debug"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
proc.stderr.on("data", (d) => (stderr += d));
const exited = new Promise((res) => proc.on("exit", (code, signal) => res({ code, signal })));
proc.on("error", (e) => fail("spawn " + bin + ": " + e.message));
setTimeout(() => fail("watchdog: no result within 60 s\n" + stderr), 60000).unref();

const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
conn.onError((e) => fail("connection error: " + (e && e[0] && e[0].message)));

// Diagnostics by version, and waiters.
const published = new Map();
let waiters = [];
conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
  if (p.uri !== uri) return;
  published.set(p.version, p.diagnostics);
  waiters = waiters.filter((w) => !w());
});
function diagnosticsFor(version) {
  return new Promise((res, rej) => {
    const check = () => {
      if (published.has(version)) {
        res(published.get(version));
        return true;
      }
      return false;
    };
    if (check()) return;
    waiters.push(check);
    setTimeout(() => rej(new Error(`no diagnostics for version ${version} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref();
  });
}
conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => null));
conn.onRequest(RegistrationRequest.type, () => null);
conn.listen();

// Applies LSP text edits (UTF-16 positions, like JavaScript strings) to s.
function applyEdits(s, edits) {
  const starts = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\r" && s[i + 1] === "\n") i++;
    if (c === "\r" || c === "\n") starts.push(i + 1);
  }
  const offset = (p) => {
    if (p.line >= starts.length) return s.length;
    const start = starts[p.line];
    let end = p.line + 1 < starts.length ? starts[p.line + 1] : s.length;
    while (end > start && (s[end - 1] === "\n" || s[end - 1] === "\r")) end--;
    return Math.min(start + p.character, end);
  };
  const spans = edits.map((e, i) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText, i }));
  spans.sort((a, b) => b.s - a.s || b.i - a.i);
  for (const sp of spans) s = s.slice(0, sp.s) + sp.t + s.slice(sp.e);
  return s;
}

async function main() {
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dirname(path)).href,
    workspaceFolders: [{ uri: pathToFileURL(dirname(path)).href, name: "project" }],
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      workspace: {
        workspaceEdit: { documentChanges: true },
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: false },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } },
          isPreferredSupport: true,
        },
      },
    },
    clientInfo: { name: "pqls-node-e2e" },
  });
  const caps = init.capabilities;
  if (caps.positionEncoding !== "utf-16") fail("positionEncoding " + caps.positionEncoding);
  if (!caps.codeActionProvider) fail("no codeActionProvider");
  await conn.sendNotification(InitializedNotification.type, {});

  await conn.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "powerquery", version: 1, text },
  });
  const diags = (await diagnosticsFor(1)).filter((d) => d.source === "pqls");
  if (diags.length === 0) fail("no pqls diagnostics for version 1");
  for (const d of diags) console.log(`diag ${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`);

  // The first finding with a quick fix.
  let chosen, action;
  for (const d of diags) {
    const actions = await conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ["quickfix"] },
    });
    action = (actions || []).find((a) => a.kind === "quickfix" && (a.diagnostics || []).some((x) => x.code === d.code));
    if (action) {
      chosen = d;
      break;
    }
  }
  if (!action) fail("no quick fix for any of " + diags.map((d) => d.code).join(", "));
  console.log("action " + action.title);
  if (!chosen.codeDescription || !chosen.codeDescription.href) fail("diagnostic without codeDescription.href");

  let edits = [];
  const edit = action.edit || fail("action without an edit");
  if (edit.documentChanges) {
    for (const dc of edit.documentChanges) {
      if (dc.textDocument.uri !== uri) continue;
      if (dc.textDocument.version !== 1) fail(`edit for version ${dc.textDocument.version}, document is at 1`);
      edits = edits.concat(dc.edits);
    }
  } else {
    edits = (edit.changes && edit.changes[uri]) || [];
  }
  if (edits.length === 0) fail("the edit does not touch " + uri);
  text = applyEdits(text, edits);

  await conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text }],
  });
  const after = (await diagnosticsFor(2)).filter((d) => d.source === "pqls");
  const left = after.filter((d) => d.code === chosen.code).length;
  const before = diags.filter((d) => d.code === chosen.code).length;
  if (left >= before) fail(`${chosen.code} still reported ${left} time(s) after the fix`);

  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  const { code, signal } = await exited;
  if (code !== 0) fail(`server exited with ${code} ${signal || ""}\n${stderr}`);
  console.log("ok");
  conn.dispose();
  process.exit(0);
}

main().catch((e) => fail((e && e.message) + "\n" + stderr));
