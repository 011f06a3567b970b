// Package sidebyside measures pqls beside Microsoft's language services,
// @microsoft/powerquery-language-services (the validation behind the
// diagnostics of the Power Query VS Code extension), on the same files.
//
// The package holds only tests: TestSideBySide runs in every test run on a
// few files (a few seconds, in CI too), BenchmarkSideBySide measures the
// repository's M files and generated connectors of 16 KB to 1 MB and
// reports both times and the ratio. The Node half is
// testdata/languageservices/validate.mjs; the figures are in
// docs/performance.md.
package sidebyside
