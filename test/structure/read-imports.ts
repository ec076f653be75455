import { builtinModules } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import ts from "typescript";

/** Where an import points: a file of the repository, a Node built-in, or an npm package. */
export type ImportTarget = { kind: "file"; path: string } | { kind: "node"; name: string } | { kind: "package"; name: string };

/** One import (static, re-export, dynamic, `import("x").T` type, or `require`) of a source file. */
export interface ImportEdge {
  specifier: string;
  target: ImportTarget;
  line: number;
  /** `import type` / `export type` / an import type node: erased at run time, still an edge of the design. */
  typeOnly: boolean;
}

/** A use of a Node-only global (`Buffer`, `process`, `NodeJS.*`, `require`, `__dirname`). */
export interface NodeGlobalUse {
  name: string;
  line: number;
}

/** What the dependency rule needs to know of one file: its repository path, imports and Node-only globals. */
export interface SourceFacts {
  /** Repository-relative, `/`-separated. */
  path: string;
  imports: ImportEdge[];
  nodeGlobals: NodeGlobalUse[];
}

const NODE_BUILTINS = new Set(builtinModules);
const NODE_GLOBAL_VALUES = new Set(["Buffer", "process", "require", "__dirname", "__filename", "global"]);

/**
 * Parses one file with TypeScript's own parser (the full syntax tree, not a regular expression)
 * and lists its imports and Node-only globals. The tree, unlike `ts.preProcessFile` or esbuild's
 * metafile, also shows type-only imports (esbuild drops them) and identifiers such as `Buffer`
 * and `NodeJS.ReadableStream`, so one parse answers both halves of the rule.
 */
export function parseSource(path: string, text: string): SourceFacts {
  const kind = path.endsWith(".mjs") || path.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportEdge[] = [];
  const nodeGlobals: NodeGlobalUse[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const add = (literal: ts.Node | undefined, typeOnly: boolean) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    imports.push({ specifier: literal.text, target: resolveTarget(path, literal.text), line: lineOf(literal), typeOnly });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly === true || allNamedTypeOnly(clause);
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false);
      else if (ts.isIdentifier(callee) && callee.text === "require") add(node.arguments[0], false);
    }
    if (ts.isIdentifier(node) && NODE_GLOBAL_VALUES.has(node.text) && isGlobalReference(node)) {
      nodeGlobals.push({ name: node.text, line: lineOf(node) });
    }
    if (ts.isQualifiedName(node) && ts.isIdentifier(node.left) && node.left.text === "NodeJS") {
      nodeGlobals.push({ name: `NodeJS.${node.right.text}`, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { path, imports, nodeGlobals };
}

/** `import { type A, type B } from "x"` is as type-only as `import type { A, B }`. */
function allNamedTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return false;
  const elements = clause.namedBindings.elements;
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/**
 * True when an identifier names the global itself: not a property (`x.process`), a member or
 * parameter name, an object key, or a local declaration of the same name.
 */
function isGlobalReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === node
  )
    return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node)
    return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return false;
  if (ts.isCallExpression(parent) && parent.expression === node && node.text === "require") return false; // counted as an import
  return true;
}

/** Resolves a specifier as written in `from`: relative paths to repository paths, the rest by name. */
export function resolveTarget(from: string, specifier: string): ImportTarget {
  if (specifier.startsWith(".")) return { kind: "file", path: posix.normalize(posix.join(posix.dirname(from), specifier)) };
  if (specifier.startsWith("node:")) return { kind: "node", name: specifier };
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  if (NODE_BUILTINS.has(name)) return { kind: "node", name };
  return { kind: "package", name };
}

/** Top-level folders that are not the product's source: tests, benchmarks, examples, tooling. */
const NOT_SOURCE = new Set(["test", "bench", "examples", "gateways", "node_modules", "dist", "coverage"]);
const SOURCE_FILE = /\.(ts|mts|mjs|js)$/;

/**
 * Every source file of the repository at `root`: each top-level folder but tests, benchmarks,
 * examples and dot-folders, so a new package is checked from the day it appears.
 */
export function readSourceTree(root: string): SourceFacts[] {
  const facts: SourceFacts[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (SOURCE_FILE.test(entry.name)) facts.push(parseSource(relative(root, full).split(sep).join("/"), readFileSync(full, "utf8")));
    }
  };
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith(".") && !NOT_SOURCE.has(entry.name)) walk(join(root, entry.name));
  }
  return facts;
}

/** The repository root, from this file's place in it. */
export const REPOSITORY_ROOT = dirname(dirname(dirname(new URL(import.meta.url).pathname)));
