// Go's convention for generated files (https://go.dev/s/generatedcode): a line
// `// Code generated … DO NOT EDIT.` before the package clause. One test for
// the parser's GoFile.generated and for the ranking's cheap header scan (which
// must not parse every file of the module).
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

/** Whether the lines before the package clause (the first `package` line) mark the file generated. */
export function isGeneratedSource(lines: string[]): boolean {
  for (const line of lines) {
    if (GENERATED.test(line.replace(/\r$/, ''))) return true;
    if (/^package\s/.test(line)) return false;
  }
  return false;
}
