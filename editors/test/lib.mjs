// Small readers used by the editor-config tests.

import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** editors/ (the parent of this directory). */
export const EDITORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Repository root. */
export const ROOT = path.resolve(EDITORS, "..");

/**
 * Turns JSON with comments and trailing commas (Sublime Text settings, Zed
 * settings) into strict JSON: removes // and /* *\/ comments outside strings,
 * then commas that directly precede a closing } or ].
 */
export function stripJsonc(text) {
  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        j += text[j] === "\\" ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new Error("unterminated block comment");
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  // Trailing commas (strings are intact here, but a string cannot contain
  // ",}" followed only by whitespace in our files; keep it simple and safe by
  // walking again and skipping strings).
  let res = "";
  i = 0;
  while (i < out.length) {
    const c = out[i];
    if (c === '"') {
      let j = i + 1;
      while (j < out.length && out[j] !== '"') {
        j += out[j] === "\\" ? 2 : 1;
      }
      res += out.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ",") {
      let j = i + 1;
      while (j < out.length && /\s/.test(out[j])) j++;
      if (out[j] === "}" || out[j] === "]") {
        i++;
        continue;
      }
    }
    res += c;
    i++;
  }
  return res;
}

/**
 * Reads Emacs Lisp source far enough to check that parentheses and
 * brackets balance, honouring strings, ; comments, #| |# is not Elisp so is
 * not handled, and character literals such as ?\( or ?".
 * Returns { ok, error, forms } where forms counts top-level forms.
 */
export function checkElisp(text) {
  const stack = [];
  let forms = 0;
  let line = 1;
  let i = 0;
  const n = text.length;
  const openers = { "(": ")", "[": "]" };
  const isDelimiterBefore = (k) => k < 0 || /[\s()[\]'`,@#]/.test(text[k]);
  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === ";") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === '"') {
      const startLine = line;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === "\\") i++;
        if (text[i] === "\n") line++;
        i++;
      }
      if (i >= n) return { ok: false, error: `unterminated string starting on line ${startLine}`, forms };
      i++;
    } else if (c === "?" && isDelimiterBefore(i - 1)) {
      // Character literal: ?x, ?\x, ?\C-x, ?\^x.
      i++;
      if (text[i] === "\\") {
        i += 2;
        while ((text[i - 1] === "-" || text[i - 1] === "^") && i < n) i++;
      } else {
        i++;
      }
    } else if (c === "\\") {
      i += 2; // escaped character in a symbol
    } else if (c in openers) {
      stack.push({ close: openers[c], line });
      i++;
    } else if (c === ")" || c === "]") {
      const top = stack.pop();
      if (!top) return { ok: false, error: `unexpected '${c}' on line ${line}`, forms };
      if (top.close !== c) {
        return { ok: false, error: `'${c}' on line ${line} closes the bracket opened on line ${top.line}`, forms };
      }
      if (stack.length === 0) forms++;
      i++;
    } else {
      i++;
    }
  }
  if (stack.length > 0) {
    return { ok: false, error: `${stack.length} unclosed bracket(s), the first opened on line ${stack[0].line}`, forms };
  }
  return { ok: true, error: "", forms };
}

/** Full path of an executable on PATH, or undefined. */
export function which(name) {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const p = r.stdout.trim();
  return r.status === 0 && p !== "" ? p : undefined;
}

/**
 * Extracts the TOML text between `set-option buffer lsp_servers %{` and the
 * matching `}` in a kakrc file (Kakoune's %{...} nests braces).
 */
export function kakLspServersBlock(text) {
  const start = text.indexOf("lsp_servers %{");
  if (start < 0) return undefined;
  let i = start + "lsp_servers %{".length;
  let depth = 1;
  const from = i;
  while (i < text.length && depth > 0) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
    i++;
  }
  if (depth !== 0) return undefined;
  return text.slice(from, i - 1);
}

// skipReason returns false when a program a test needs is usable, and the
// reason to skip otherwise — except under CI, where the test must run and
// fail instead of skipping.
export function skipReason(usable, reason) {
  return usable || process.env.CI ? false : reason;
}
