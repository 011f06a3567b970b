// Parses M files with Microsoft's parser (@microsoft/powerquery-parser, the
// version pinned in package.json) and prints one JSON line per file:
//
//   {"path": "...", "ok": true|false, "error": "...", "ms": <parse time>}
//
// Usage:
//   node parse.mjs FILE...              parse the files given
//   node parse.mjs < list               parse the files listed on stdin, one a line
//   node parse.mjs --repeat N FILE...   parse each file N times; "ms" is the
//                                       median and "runs" holds every time
//
// "ms" is the wall time of TaskUtils.tryLexParse (lex and parse, default
// settings: CombinatorialParserV2, expression-or-section documents) measured
// with performance.now(); reading the file and Node start-up are excluded.
// A short warm-up parse runs first so the first file does not pay for
// compiling the parser's code.
//
// A leading byte order mark (U+FEFF) is removed before parsing, as VS Code
// does when it opens a file for the Power Query extension. Nothing else is
// changed: inputs their lexer rejects although the spec allows them (lone CR
// line ends, ".05", #!"verbatim", Section!Member) come out as ok:false, which
// the Go side allows (only files that Microsoft's parser accepts and ours
// rejects are failures).

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";

function errorText(task) {
	const e = task.error;
	if (e === undefined) return `${task.stage} error`;
	let msg = e.innerError?.message ?? e.message ?? String(e);
	msg = `${task.stage}: ${msg}`;
	// Lex errors of several lines: name the first line that failed.
	const map = e.innerError?.errorLineMap;
	if (map instanceof Map && map.size > 0) {
		const [line, entry] = map.entries().next().value;
		const err = entry?.error;
		const inner = err?.innerError?.message ?? err?.message ?? "";
		msg += ` (line ${line + 1}: ${inner})`;
	}
	return msg;
}

async function parseOnce(text) {
	const start = performance.now();
	let task;
	let thrown;
	try {
		task = await TaskUtils.tryLexParse(DefaultSettings, text);
	} catch (err) {
		thrown = err;
	}
	const ms = performance.now() - start;
	if (thrown !== undefined) {
		return { ok: false, error: `exception: ${thrown?.message ?? thrown}`, ms };
	}
	if (TaskUtils.isOk(task)) {
		return { ok: true, ms };
	}
	return { ok: false, error: errorText(task), ms };
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
	const args = process.argv.slice(2);
	let repeat = 1;
	const files = [];
	for (let i = 0; i < args.length; i++) {
		if (args[i] === "--repeat") {
			repeat = Math.max(1, parseInt(args[++i], 10) || 1);
		} else {
			files.push(args[i]);
		}
	}
	if (files.length === 0) {
		const list = readFileSync(0, "utf8");
		for (const line of list.split(/\r?\n/)) {
			if (line.trim() !== "") files.push(line);
		}
	}

	// Warm-up: compile the hot paths of the lexer and parser.
	const warm = 'section W; shared W.F = (x as text, optional y as nullable number) as table => let a = [A = 1, #"b c" = {1..3}], b = try a[A]? ?? 2 otherwise null in if b > 1 then #table({"A"}, {{b}}) else error "no"; /* c */ // d\n';
	for (let i = 0; i < 20; i++) await parseOnce(warm);

	for (const path of files) {
		let text;
		try {
			text = readFileSync(path, "utf8");
		} catch (err) {
			process.stdout.write(JSON.stringify({ path, ok: false, error: `read: ${err.message}`, ms: 0 }) + "\n");
			continue;
		}
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		const runs = [];
		let result;
		for (let i = 0; i < repeat; i++) {
			result = await parseOnce(text);
			runs.push(result.ms);
		}
		const out = { path, ok: result.ok };
		if (!result.ok) out.error = result.error;
		out.ms = repeat > 1 ? median(runs) : runs[0];
		if (repeat > 1) out.runs = runs;
		process.stdout.write(JSON.stringify(out) + "\n");
	}
}

main().catch((err) => {
	process.stderr.write(`${err?.stack ?? err}\n`);
	process.exit(1);
});
