// Pure helpers for the pqls extension.
//
// Nothing in this file may import "vscode": it is compiled on its own and
// unit-tested with node's built-in test runner (see test/logic.test.ts).
// Everything that touches the file system receives it as a parameter.

import * as path from "node:path";

/** Name of the server executable without an extension. */
export const SERVER_BASENAME = "pqls";

/** Diagnostic source that the pqls server puts on its diagnostics. */
export const DIAGNOSTIC_SOURCE = "pqls";

/** Severities accepted for a rule in `pqls.rules` (same as pqls.json). */
export const RULE_LEVELS = ["off", "error", "warning", "information", "hint"] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

// ---------------------------------------------------------------------------
// Server binary

/** Path of the binary bundled in the extension, relative to its root. */
export function bundledServerRelPath(platform: string, arch: string): string {
  const exe = platform === "win32" ? `${SERVER_BASENAME}.exe` : SERVER_BASENAME;
  return `server/${platform}-${arch}/${exe}`;
}

export interface ResolveServerInput {
  /** Value of `pqls.serverPath` (may be empty or undefined). */
  configured?: string | null;
  /**
   * Value of `pqls.useBundledServer` (default true). False skips the
   * bundled binary, so that `pqls.serverPath` or PATH decide.
   */
  useBundled?: boolean | null;
  /** Absolute path of the installed extension. */
  extensionPath: string;
  platform: string;
  arch: string;
  /** Whether a file exists. */
  exists: (p: string) => boolean;
  /** Home directory for `~` expansion. */
  home?: string;
  /** First workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
  /** The PATH environment variable, to say which pqls on PATH runs. */
  pathEnv?: string;
  /** PATHEXT on Windows (".COM;.EXE;…"). */
  pathExt?: string;
}

export interface ResolvedServer {
  command: string;
  /** Where the command came from, shown in the log and the status bar tooltip. */
  origin: "bundled" | "setting" | "path";
}

/**
 * Decides which executable to start: the binary bundled with the extension
 * (a platform-specific .vsix carries one), unless `pqls.useBundledServer`
 * is false or there is none; then the `pqls.serverPath` setting if set;
 * then `pqls` found on PATH. When PATH has no pqls either, the command is
 * the bare name, so that starting it fails with the system's own error.
 */
export function resolveServerPath(input: ResolveServerInput): ResolvedServer {
  if (input.useBundled !== false) {
    const bundled = path.join(input.extensionPath, ...bundledServerRelPath(input.platform, input.arch).split("/"));
    if (input.exists(bundled)) {
      return { command: bundled, origin: "bundled" };
    }
  }
  const configured = (input.configured ?? "").trim();
  if (configured !== "") {
    return { command: expandPath(configured, input.home, input.workspaceFolder), origin: "setting" };
  }
  const found = findOnPath(SERVER_BASENAME, input.pathEnv ?? "", input.platform, input.exists, input.pathExt);
  return { command: found ?? SERVER_BASENAME, origin: "path" };
}

/**
 * Looks name up in the folders of PATH as the operating system would:
 * on Windows with each PATHEXT extension, ";" between folders.
 */
export function findOnPath(name: string, pathEnv: string, platform: string, exists: (p: string) => boolean, pathExt?: string): string | undefined {
  const win = platform === "win32";
  const p = win ? path.win32 : path.posix;
  const exts = win ? (pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "") : [""];
  for (const dir of pathEnv.split(win ? ";" : ":")) {
    if (dir === "") {
      continue;
    }
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext.toLowerCase());
      if (exists(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Says in words which server runs, for the log and the tooltip. */
export function describeServer(r: ResolvedServer): string {
  switch (r.origin) {
    case "bundled":
      return `the server bundled with the extension (${r.command})`;
    case "setting":
      return `the server set in pqls.serverPath (${r.command})`;
    default:
      return r.command === SERVER_BASENAME
        ? "pqls from PATH (not found there yet)"
        : `pqls from PATH (${r.command})`;
  }
}

/**
 * Expands `~` and `${workspaceFolder}` in a user-supplied path. A relative
 * path that contains a separator is taken relative to the workspace folder;
 * a bare name (no separator) is left alone so that PATH lookup still works.
 */
export function expandPath(p: string, home?: string, workspaceFolder?: string): string {
  let out = p;
  if (workspaceFolder !== undefined) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  if (home !== undefined && (out === "~" || out.startsWith("~/") || out.startsWith("~\\"))) {
    out = home + out.slice(1);
  }
  const hasSep = out.includes("/") || out.includes("\\");
  if (hasSep && !isAbsoluteAnywhere(out) && workspaceFolder !== undefined) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

function isAbsoluteAnywhere(p: string): boolean {
  return path.posix.isAbsolute(p) || path.win32.isAbsolute(p);
}

/** Arguments for the language server process. */
export function serveArgs(extra: readonly string[] = []): string[] {
  return ["serve", "--stdio", ...extra.filter((a) => typeof a === "string" && a !== "")];
}

/** Arguments that print the documentation of one rule. */
export function explainArgs(code: string): string[] {
  return ["explain", code];
}

// ---------------------------------------------------------------------------
// Which files belong to the server

/** Extension of a path, lower-case, with the dot (".pq"). */
export function extOf(p: string): string {
  return path.extname(p).toLowerCase();
}

/** `.pq` and `.pqm` are always Power Query. */
export function isPowerQueryFile(p: string): boolean {
  const e = extOf(p);
  return e === ".pq" || e === ".pqm";
}

/** `.m` may be Power Query, Objective-C or MATLAB. */
export function isDotM(p: string): boolean {
  return extOf(p) === ".m";
}

/**
 * Whether a folder with these entries (file names) holds a Power Query
 * connector project: an MSBuild project of the SDK (`*.proj`, `*.mproj`), a
 * `*.pq` document, or a `pqls.json` configuration file.
 */
export function isConnectorFolderListing(names: readonly string[]): boolean {
  return names.some((n) => {
    const lower = n.toLowerCase();
    return (
      lower === "pqls.json" ||
      (lower.endsWith(".proj") && lower.length > ".proj".length) ||
      (lower.endsWith(".mproj") && lower.length > ".mproj".length) ||
      (lower.endsWith(".pq") && lower.length > ".pq".length)
    );
  });
}

/**
 * Whether the `.m` file at `file` should be handled by pqls: either the user
 * said so for every `.m` file, or the folder that holds it is a connector
 * project. `listDir` returns the entry names of a folder ([] if unreadable).
 */
export function shouldServeDotM(file: string, enableForDotM: boolean, listDir: (dir: string) => readonly string[]): boolean {
  if (!isDotM(file)) {
    return false;
  }
  if (enableForDotM) {
    return true;
  }
  return isConnectorFolderListing(listDir(path.dirname(file)));
}

/**
 * Escapes a file-system path for use as the literal prefix of a VS Code glob
 * pattern. Back-slashes become forward slashes (VS Code globs accept `/` on
 * every platform); glob meta characters are put in a one-character class.
 */
export function escapeGlob(p: string): string {
  return p.replace(/\\/g, "/").replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

/** Glob pattern matching the `.m` files directly inside `folder`. */
export function dotMPatternForFolder(folder: string): string {
  const f = escapeGlob(folder).replace(/\/+$/, "");
  return `${f}/*.m`;
}

/** A DocumentFilter-like value (structurally compatible with vscode's). */
export interface FileFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * Document selector for the language client. `.pq`/`.pqm` files are always
 * included (whatever language id another extension gave them), untitled
 * documents only when their language is `powerquery`, and `.m` files either
 * all (`enableForDotM`) or only those inside the given connector folders.
 */
export function documentSelector(enableForDotM: boolean, connectorFolders: Iterable<string>): FileFilter[] {
  const sel: FileFilter[] = [
    { scheme: "file", pattern: "**/*.pq" },
    { scheme: "file", pattern: "**/*.pqm" },
    { scheme: "untitled", language: "powerquery" },
  ];
  if (enableForDotM) {
    sel.push({ scheme: "file", pattern: "**/*.m" });
  } else {
    const seen = new Set<string>();
    for (const folder of connectorFolders) {
      const pat = dotMPatternForFolder(folder);
      if (!seen.has(pat)) {
        seen.add(pat);
        sel.push({ scheme: "file", pattern: pat });
      }
    }
  }
  return sel;
}

// ---------------------------------------------------------------------------
// Diagnostics → rule codes

/** The parts of a diagnostic that rule-code extraction needs. */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number; target?: unknown } | null;
}

const RULE_CODE = /^[A-Za-z]+[0-9]+$/;

/**
 * Returns the rule id ("PQC030") of a pqls diagnostic, or undefined when the
 * diagnostic comes from another source or carries no usable code.
 */
export function ruleCodeFromDiagnostic(d: DiagnosticLike): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) {
    return undefined;
  }
  let code = d.code;
  if (code !== null && typeof code === "object") {
    code = code.value;
  }
  if (typeof code === "number") {
    return undefined;
  }
  if (typeof code !== "string") {
    return undefined;
  }
  const c = code.trim();
  return RULE_CODE.test(c) ? c.toUpperCase() : undefined;
}

/** Whether a string looks like a rule id the user typed ("pqc30" is not). */
export function isRuleCode(s: string): boolean {
  return RULE_CODE.test(s.trim());
}

/** Distinct rule codes of the given diagnostics, in first-seen order. */
export function ruleCodesOf(diags: readonly DiagnosticLike[]): string[] {
  const out: string[] = [];
  for (const d of diags) {
    const c = ruleCodeFromDiagnostic(d);
    if (c !== undefined && !out.includes(c)) {
      out.push(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Settings → initializationOptions / workspace/configuration

/**
 * What the server receives: the shape of a pqls.json file (+ delay), and
 * the editor-only settings `features` and `inlayHints`.
 */
export interface ServerSettings {
  rules: Record<string, RuleLevel>;
  settings: Record<string, unknown>;
  diagnosticsDelay: number;
  features: FeatureMode;
  inlayHints: { parameterNames: boolean };
}

export interface RawSettings {
  rules?: unknown;
  settings?: unknown;
  diagnosticsDelay?: unknown;
  /** The mode decided by decideFeatures; "all" if left out. */
  features?: FeatureMode;
  /** `pqls.inlayHints.parameterNames`. */
  parameterNames?: unknown;
}

// ---------------------------------------------------------------------------
// Beside Microsoft's Power Query extension

/** Id of Microsoft's Power Query / M Language extension (the SDK installs it). */
export const MICROSOFT_POWER_QUERY_EXTENSION = "powerquery.vscode-powerquery";

/** Values of the `pqls.features` setting. */
export const FEATURE_SETTINGS = ["auto", "all", "complement"] as const;
export type FeatureSetting = (typeof FEATURE_SETTINGS)[number];

/**
 * What the server is asked to provide: "all" its features, or only those
 * that "complement" Microsoft's extension (which then keeps completion,
 * hover, symbols, semantic tokens and syntax errors, so nothing shows twice).
 */
export type FeatureMode = "all" | "complement";

export interface FeatureDecision {
  mode: FeatureMode;
  /** Why, for the status bar tooltip. */
  reason: string;
  problems: string[];
}

/**
 * Decides the feature mode from `pqls.features` and whether Microsoft's
 * Power Query extension is installed: "auto" (the default) complements it
 * when it is there and provides everything when it is not; "all" and
 * "complement" are taken as they are.
 */
export function decideFeatures(setting: unknown, microsoftInstalled: boolean): FeatureDecision {
  const problems: string[] = [];
  let s: FeatureSetting = "auto";
  if (setting !== undefined && setting !== null) {
    const v = typeof setting === "string" ? setting.trim().toLowerCase() : "";
    if ((FEATURE_SETTINGS as readonly string[]).includes(v)) {
      s = v as FeatureSetting;
    } else {
      problems.push(`pqls.features must be one of ${FEATURE_SETTINGS.join(", ")}, got ${JSON.stringify(setting)}; using auto`);
    }
  }
  switch (s) {
    case "all":
      return {
        mode: "all",
        reason: microsoftInstalled ? "pqls.features is all: every feature, beside Microsoft's Power Query extension" : "pqls.features is all",
        problems,
      };
    case "complement":
      return { mode: "complement", reason: "pqls.features is complement: Microsoft's extension keeps completion, hover, symbols and syntax errors", problems };
  }
  if (microsoftInstalled) {
    return {
      mode: "complement",
      reason: "Microsoft's Power Query extension is installed: it keeps completion, hover, symbols, semantic tokens and syntax errors; pqls adds the rest",
      problems,
    };
  }
  return { mode: "all", reason: "Microsoft's Power Query extension is not installed: pqls provides every feature", problems };
}

export const DEFAULT_DIAGNOSTICS_DELAY = 50;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Cleans `pqls.rules`: keys are upper-cased rule ids, values must be one of
 * RULE_LEVELS (case-insensitive; "info" is accepted for "information").
 * Invalid entries are dropped and reported in `problems`.
 */
export function normalizeRules(raw: unknown): { rules: Record<string, RuleLevel>; problems: string[] } {
  const rules: Record<string, RuleLevel> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) {
    return { rules, problems };
  }
  if (!isPlainObject(raw)) {
    problems.push("pqls.rules must be an object mapping rule ids to a level");
    return { rules, problems };
  }
  for (const [key, value] of Object.entries(raw)) {
    const id = key.trim().toUpperCase();
    if (!isRuleCode(id)) {
      problems.push(`pqls.rules: "${key}" is not a rule id (expected something like PQC030)`);
      continue;
    }
    let level = typeof value === "string" ? value.trim().toLowerCase() : "";
    if (level === "info") {
      level = "information";
    }
    if (!(RULE_LEVELS as readonly string[]).includes(level)) {
      problems.push(`pqls.rules: ${id} has level ${JSON.stringify(value)}; use one of ${RULE_LEVELS.join(", ")}`);
      continue;
    }
    rules[id] = level as RuleLevel;
  }
  return { rules, problems };
}

/**
 * Maps the extension settings to the object sent as initializationOptions
 * and returned for the `pqls` section of workspace/configuration.
 */
export function toServerSettings(raw: RawSettings): { value: ServerSettings; problems: string[] } {
  const { rules, problems } = normalizeRules(raw.rules);
  let settings: Record<string, unknown> = {};
  if (isPlainObject(raw.settings)) {
    settings = { ...raw.settings };
  } else if (raw.settings !== undefined && raw.settings !== null) {
    problems.push("pqls.settings must be an object");
  }
  let delay = DEFAULT_DIAGNOSTICS_DELAY;
  if (raw.diagnosticsDelay !== undefined && raw.diagnosticsDelay !== null) {
    const n = Number(raw.diagnosticsDelay);
    if (Number.isFinite(n) && n >= 0) {
      delay = Math.round(n);
    } else {
      problems.push(`pqls.diagnosticsDelay must be a number of milliseconds >= 0, got ${JSON.stringify(raw.diagnosticsDelay)}`);
    }
  }
  let parameterNames = false;
  if (raw.parameterNames !== undefined && raw.parameterNames !== null) {
    if (typeof raw.parameterNames === "boolean") {
      parameterNames = raw.parameterNames;
    } else {
      problems.push("pqls.inlayHints.parameterNames must be true or false");
    }
  }
  return {
    value: { rules, settings, diagnosticsDelay: delay, features: raw.features ?? "all", inlayHints: { parameterNames } },
    problems,
  };
}

/**
 * Answers one item of a workspace/configuration request. `section` is the
 * requested section ("pqls", "pqls.rules", ...). Returns `undefined` when the
 * section is not ours, so the caller can fall back to VS Code's own lookup.
 */
export function configurationFor(section: string | undefined, value: ServerSettings): unknown {
  if (section === undefined || section === "") {
    return { pqls: value };
  }
  const parts = section.split(".");
  if (parts[0] !== "pqls") {
    return undefined;
  }
  let cur: unknown = value;
  for (const p of parts.slice(1)) {
    if (!isPlainObject(cur) || !(p in cur)) {
      return null;
    }
    cur = cur[p];
  }
  return cur;
}

/** Setting keys whose change requires restarting the server. */
export const RESTART_KEYS = ["pqls.serverPath", "pqls.useBundledServer", "pqls.serverExtraArgs", "pqls.enableForDotM", "pqls.features"] as const;

/** Setting keys whose change is pushed to the running server. */
export const PUSH_KEYS = ["pqls.rules", "pqls.settings", "pqls.diagnosticsDelay", "pqls.inlayHints"] as const;

// ---------------------------------------------------------------------------
// Status bar

export type ServerState = "starting" | "running" | "stopped" | "error";

/**
 * The status bar text: the server's state, and in complement mode a note
 * that pqls works beside Microsoft's extension.
 */
export function statusText(state: ServerState, mode: FeatureMode = "all"): string {
  switch (state) {
    case "starting":
      return "$(sync~spin) pqls";
    case "running":
      return mode === "complement" ? "$(check) pqls + Power Query" : "$(check) pqls";
    case "stopped":
      return "$(circle-slash) pqls";
    case "error":
      return "$(error) pqls";
  }
}
