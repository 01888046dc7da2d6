/**
 * Core purity, checked by a test (ARCHITECTURE: "core imports nothing but effect"). Backs the Biome
 * override on `packages/core/src/**`, and also catches what Biome's `noRestrictedGlobals` cannot:
 * members of allowed globals such as `Date.now()`, `Math.random()`, `performance.now()` and an
 * argument-less `new Date()`.
 *
 * Every non-test `.ts` file under `packages/core/src` is parsed with the TypeScript compiler, so comments
 * and strings never trigger a false alarm; each offence is reported as `file:line: what`.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const srcDir = fileURLToPath(new URL("../src", import.meta.url))

/** Module specifiers core may import: `effect`, `effect/*` and relative paths. */
const allowedImport = (specifier: string): boolean =>
  specifier === "effect" ||
  specifier.startsWith("effect/") ||
  specifier.startsWith("./") ||
  specifier.startsWith("../")

/** Globals core may not touch at all (IO, timers, the process). */
const bannedGlobals = new Set(["process", "fetch", "setTimeout", "setInterval", "performance", "require"])

/** Members of otherwise-allowed globals that read the clock or randomness. */
const bannedMembers = new Set(["Date.now", "Math.random", "performance.now"])

/** Identifier positions that are names, not references to a global. */
const isNamePosition = (node: ts.Identifier): boolean => {
  const parent = node.parent
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodSignature(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isImportSpecifier(parent) && parent.propertyName === node) ||
    (ts.isExportSpecifier(parent) && parent.propertyName === node) ||
    ts.isLiteralTypeNode(parent)
  )
}

/** The offences in one source file, as `file:line: what`. */
export const findOffences = (file: string, text: string): ReadonlyArray<string> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const offences: Array<string> = []
  const report = (node: ts.Node, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
    offences.push(`${file}:${line + 1}: ${what}`)
  }
  const checkSpecifier = (node: ts.Node, specifier: ts.Expression | undefined) => {
    if (specifier !== undefined && ts.isStringLiteralLike(specifier) && !allowedImport(specifier.text)) {
      report(node, `imports "${specifier.text}" (core imports only effect, effect/* and relative paths)`)
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkSpecifier(node, node.moduleSpecifier)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      checkSpecifier(node, node.argument.literal as ts.Expression)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments
      if (specifier === undefined || !ts.isStringLiteralLike(specifier)) report(node, "dynamic import()")
      else checkSpecifier(node, specifier)
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const member = `${node.expression.text}.${node.name.text}`
      if (bannedMembers.has(member)) report(node, `uses ${member} (use Effect Clock / Random)`)
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "Date"
    ) {
      if (node.arguments === undefined || node.arguments.length === 0) {
        report(node, "uses new Date() without arguments (reads the wall clock: use Effect Clock)")
      }
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "Date"
    ) {
      report(node, "calls Date() (reads the wall clock: use Effect Clock)")
    } else if (
      ts.isIdentifier(node) &&
      bannedGlobals.has(node.text) &&
      !isNamePosition(node) &&
      !(
        ts.isPropertyAccessExpression(node.parent) &&
        bannedMembers.has(`${node.text}.${node.parent.name.text}`)
      )
    ) {
      report(node, `uses ${node.text} (core does no IO and reads no process state or clock)`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return offences
}

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()

describe("core purity", () => {
  it("finds every kind of offence in a probe (so the check can fail)", () => {
    const probe = [
      'import { readFileSync } from "node:fs"',
      'import type { Pool } from "mysql2"',
      'export { x } from "./ok"',
      'import { Effect } from "effect"',
      'import { Schema } from "effect/Schema"',
      "export const env = process.env",
      "export const now = Date.now()",
      "export const r = Math.random()",
      "export const t = performance.now()",
      "export const d = new Date()",
      "export const fixed = new Date(0)",
      "setTimeout(() => {}, 1)",
      "setInterval(() => {}, 1)",
      'fetch("https://example.com")',
      'const m = require("x")',
      'const lazy = import("node:path")',
      "// Date.now() in a comment is fine",
      'const s = "process.env in a string is fine"',
      "const o = { fetch: 1, process: 2 }",
      "o.process"
    ].join("\n")
    const found = findOffences("probe.ts", probe)
    expect(found.map((offence) => offence.split(":")[1])).toEqual([
      "1",
      "2",
      "6",
      "7",
      "8",
      "9",
      "10",
      "12",
      "13",
      "14",
      "15",
      "16"
    ])
    expect(found[0]).toBe(
      'probe.ts:1: imports "node:fs" (core imports only effect, effect/* and relative paths)'
    )
  })

  it("every non-test file under packages/core/src imports only effect and touches no IO, clock or randomness", () => {
    const files = sourceFiles(srcDir)
    expect(files.length).toBeGreaterThan(0)
    const offences = files.flatMap((file) =>
      findOffences(relative(join(srcDir, "../../.."), file), readFileSync(file, "utf8"))
    )
    expect(offences, `core must stay pure:\n${offences.join("\n")}`).toEqual([])
  })
})
