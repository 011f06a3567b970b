// Validates M files with Microsoft's language services
// (@microsoft/powerquery-language-services, the version pinned in
// package.json: the validation behind the Power Query VS Code extension's
// diagnostics) and prints one JSON line per file:
//
//   {"path": "...", "ok": true|false, "error": "...", "ms": <validate time>,
//    "runs": [<each time>], "diagnostics": <count>, "syntaxError": true|false}
//
// Usage:
//   node validate.mjs < list               validate the files listed on stdin, one a line
//   node validate.mjs --repeat N < list    validate each file N times; "ms" is the median
//   node validate.mjs --messages < list     add "messages": the diagnostics' lines and texts
//   node validate.mjs --library TSV < list  use the standard library of TSV
//                                           (pqls's model/stdlib.tsv: name, signature)
//
// "ms" is the wall time of one validate() call on a fresh TextDocument (a new
// document each run, so no cache of an earlier run is reused): lex, parse,
// scope and type inspection, and every check it has (duplicate identifiers,
// function and invoke expressions, unknown identifiers), with the settings
// createValidationSettings gives by default. Reading the file and Node
// start-up are excluded, and a warm-up run comes first. A leading byte order
// mark is removed first, as VS Code does.
//
// The package ships no standard library (the Power Query extension supplies
// its own). Without --library it uses NoOpLibrary, so every library name
// (Table.AddColumn, Web.Contents) is reported as an unknown identifier, with
// a did-you-mean search. With --library, each function of the table becomes
// a library function with its parameters (name, optional, nullable,
// primitive type) and return type, as the extension's library gives them,
// so unknown-identifier and invocation checks run as they do in the editor.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DefaultSettings, Language } from "@microsoft/powerquery-parser";
import { NoOpTraceManagerInstance } from "@microsoft/powerquery-parser/lib/powerquery-parser/common/trace.js";
import {
	InspectionUtils,
	Library,
	LibraryDefinitionUtils,
	ValidationSettingsUtils,
	textDocument,
	validate,
} from "@microsoft/powerquery-language-services";

const { TypeKind } = Language.Type;
// anynonnull is read as any: their checker does not accept text for anynonnull.
const typeKinds = new Map(Object.values(TypeKind).map((k) => [k.toLowerCase(), k]));
typeKinds.set("anynonnull", TypeKind.Any);

// typeOf reads an M type name ("nullable text", "number") as a TypeKind
// and nullability; names it does not know are Any.
function typeOf(text) {
	let t = (text ?? "any").trim().toLowerCase();
	let nullable = false;
	if (t.startsWith("nullable ")) {
		nullable = true;
		t = t.slice("nullable ".length).trim();
	}
	const kind = typeKinds.get(t) ?? TypeKind.Any;
	return { kind, nullable: nullable || kind === TypeKind.Any };
}

// libraryFrom builds a library from the rows "name<TAB>signature<TAB>..." of
// a TSV file; a signature is "Name(a as text, optional b as nullable number) as table".
function libraryFrom(path) {
	const defs = new Map();
	for (const line of readFileSync(path, "utf8").split("\n").slice(1)) {
		const [name, sig] = line.split("\t");
		if (!name || !sig) continue;
		const open = sig.indexOf("(");
		const close = sig.lastIndexOf(")");
		if (open < 0 || close < open) continue;
		const params = [];
		for (const part of sig.slice(open + 1, close).split(",")) {
			const p = part.trim();
			if (p === "") continue;
			const optional = p.startsWith("optional ");
			const [label, type] = p.replace(/^optional /, "").split(/ as /);
			const t = typeOf(type);
			params.push({ isOptional: optional, isNullable: t.nullable, label: label.trim(), documentation: undefined, typeKind: t.kind });
		}
		const ret = typeOf(sig.slice(close + 1).replace(/^\s*as\s+/, ""));
		const fnType = Language.TypeUtils.definedFunction(
			false,
			params.map((p) => ({ nameLiteral: p.label, isOptional: p.isOptional, isNullable: p.isNullable, type: p.typeKind })),
			Language.TypeUtils.primitiveType(ret.nullable, ret.kind),
		);
		defs.set(name, LibraryDefinitionUtils.functionDefinition(name, "", fnType, 3 /* Function */, params));
	}
	const libraryDefinitions = { staticLibraryDefinitions: defs, dynamicLibraryDefinitions: () => new Map() };
	return { libraryDefinitions, externalTypeResolver: LibraryDefinitionUtils.externalTypeResolver(libraryDefinitions) };
}

const args = process.argv.slice(2);
let repeat = 1;
let library = Library.NoOpLibrary;
let messages = false;
for (let i = 0; i < args.length; i++) {
	if (args[i] === "--repeat") repeat = Math.max(1, parseInt(args[++i], 10) || 1);
	else if (args[i] === "--messages") messages = true;
	else if (args[i] === "--library") library = libraryFrom(args[++i]);
	else throw new Error(`unknown argument ${args[i]}`);
}

const inspectionSettings = InspectionUtils.inspectionSettings(DefaultSettings, {
	isWorkspaceCacheAllowed: false,
	library,
});
const analysisSettings = {
	inspectionSettings,
	isWorkspaceCacheAllowed: false,
	initialCorrelationId: undefined,
	traceManager: NoOpTraceManagerInstance,
};
const validationSettings = ValidationSettingsUtils.createValidationSettings(inspectionSettings, {
	source: "pqls-sidebyside",
});

let version = 0;

async function validateOnce(path, text) {
	// A new URI and version each run: nothing is served from a cache.
	const doc = textDocument(`file://${path}#${++version}`, version, text);
	const start = performance.now();
	let res;
	try {
		res = await validate(doc, analysisSettings, validationSettings);
	} catch (err) {
		return { ok: false, error: `exception: ${err?.message ?? err}`, ms: performance.now() - start };
	}
	const ms = performance.now() - start;
	if (res.kind === "Ok" || (res.error === undefined && "value" in res)) {
		const v = res.value;
		const diags = v?.diagnostics ?? [];
		const r = { ok: true, ms, diagnostics: diags.length, syntaxError: v?.hasSyntaxError ?? false };
		if (messages) r.messages = diags.map((d) => `${d.range.start.line + 1}: ${d.message}`);
		return r;
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
	const files = readFileSync(0, "utf8").split("\n").filter((l) => l !== "");
	await validateOnce("/warm-up.pq", "section W; shared A = let a = 1 in a + Text.From(a);");
	for (const path of files) {
		let text = readFileSync(path, "utf8");
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		let r;
		const runs = [];
		for (let i = 0; i < repeat; i++) {
			r = await validateOnce(path, text);
			runs.push(r.ms);
		}
		r.ms = median(runs);
		r.runs = runs;
		process.stdout.write(JSON.stringify({ path, ...r }) + "\n");
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
