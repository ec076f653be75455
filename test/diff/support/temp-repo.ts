import { execFileSync } from "node:child_process";
import { afterEach, beforeEach } from "vitest";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../../../cli/io.ts";
import { main } from "../../../cli/main.ts";

/** This checkout's root, found from this file so the tests run wherever the repository is cloned. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Git environment without variables a hook or an outer repository may have set, so commands
 * always act on the temporary repository.
 */
const gitEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_")));

/** A throwaway git repository with real commits. */
export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(file: string, text: string): void;
  remove(file: string): void;
  /** Commits everything and returns the commit id. */
  commit(message: string): string;
  /** Runs `gatehouse diff` in the repository the way a user would, capturing its output. */
  diff(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  cleanup(): void;
}

/**
 * Creates the repository inside this checkout's git-ignored `.gatehouse/tmp/`, so its definitions
 * can `import ... from "gatehouse-gateway"` exactly as users write them: the import resolves through this
 * package's own name (package.json `exports`, or vitest's alias), as it does in a user's project
 * through node_modules.
 */
export function createTempRepo(): TempRepo {
  const dir = join(PROJECT_ROOT, ".gatehouse", "tmp", `test-repo-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: gitEnv, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.invalid");
  git("config", "user.name", "Gatehouse test");
  git("config", "commit.gpgsign", "false");
  return {
    dir,
    git,
    write(file, text) {
      const target = join(dir, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    },
    remove(file) {
      rmSync(join(dir, file));
    },
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
    async diff(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dir, env: {} };
      const code = await main(["diff", ...args], io);
      return { code, out: out.join("\n"), err: err.join("\n") };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A definition file's source for a gateway given as data. `{ kind: "secret", name }` values are
 * written as `secret("NAME")` calls, so the file reads like one a user writes.
 */
export function definitionSource(definition: object): string {
  const body = JSON.stringify(definition, null, 2).replace(
    /\{\s*"kind": "secret",\s*"name": "([A-Z0-9_]+)"\s*\}/g,
    (_all, name: string) => `secret("${name}")`,
  );
  return `import { defineGateway, secret } from "gatehouse-gateway";\n\nexport default defineGateway(${body});\n`;
}

/** A secret reference as data, for {@link definitionSource}. */
export const secretRef = (name: string) => ({ kind: "secret", name }) as const;

/**
 * A fresh repository for each test of the file (made before it, removed after it), through one
 * handle that always means the running test's: `const repo = freshRepoEachTest();` at the top.
 */
export function freshRepoEachTest(): TempRepo {
  let current: TempRepo | null = null;
  beforeEach(() => {
    current = createTempRepo();
  });
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
  const at = (): TempRepo => {
    if (!current) throw new Error("the temporary repository exists only while a test runs");
    return current;
  };
  return {
    get dir() {
      return at().dir;
    },
    git: (...args) => at().git(...args),
    write: (file, text) => at().write(file, text),
    remove: (file) => at().remove(file),
    commit: (message) => at().commit(message),
    diff: (...args) => at().diff(...args),
    cleanup: () => at().cleanup(),
  };
}
