// Formats M files with Microsoft's formatter (@microsoft/powerquery-formatter,
// the version pinned in package.json) and prints one JSON line per file:
//
//   {"path": "...", "ok": true|false, "error": "...", "ms": <format time>, "text": "<output>"}
//
// Usage:
//   node format.mjs < list               format the files listed on stdin, one a line
//   node format.mjs --repeat N < list    format each file N times; "ms" is the median
//
// "ms" is the wall time of tryFormat with its default settings (four spaces,
// width 120) measured with performance.now(); reading the file and Node
// start-up are excluded, and a warm-up run comes first. A leading byte order
// mark is removed first, as VS Code does.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DefaultSettings, tryFormat } from "@microsoft/powerquery-formatter";

async function formatOnce(text) {
	const start = performance.now();
	let res;
	try {
		res = await tryFormat(DefaultSettings, text);
	} catch (err) {
		return { ok: false, error: `exception: ${err?.message ?? err}`, ms: performance.now() - start };
	}
	const ms = performance.now() - start;
	if (res.kind === "Ok" || res.value !== undefined && res.error === undefined) {
		return { ok: true, ms, text: res.value };
	}
	const e = res.error;
	return { ok: false, ms, error: String(e?.innerError?.message ?? e?.message ?? e) };
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
	const args = process.argv.slice(2);
	let repeat = 1;
	for (let i = 0; i < args.length; i++) {
		if (args[i] === "--repeat") repeat = Math.max(1, parseInt(args[++i], 10) || 1);
	}
	const files = readFileSync(0, "utf8").split("\n").filter((l) => l !== "");
	await formatOnce("let a = 1 in a");
	for (const path of files) {
		let text = readFileSync(path, "utf8");
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		let r;
		const runs = [];
		for (let i = 0; i < repeat; i++) {
			r = await formatOnce(text);
			runs.push(r.ms);
		}
		r.ms = median(runs);
		process.stdout.write(JSON.stringify({ path, ...r }) + "\n");
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
