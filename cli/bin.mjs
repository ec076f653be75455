#!/usr/bin/env node
// The `gatehouse` command. It runs the built JavaScript under dist/ (npm builds it when the
// package is installed from git, packed or published), so plain Node runs it with no loader.
const [major] = process.versions.node.split(".").map(Number);
if (major < 24) {
  console.error(`gatehouse needs Node.js 24 or newer; this is Node.js ${process.version}.`);
  process.exit(2);
}

const entry = new URL("../dist/cli/main.js", import.meta.url);
let main;
try {
  // `dev` and `serve` restart themselves in place (same pid) with a smaller young generation and
  // one malloc arena: see cli/server-heap.ts.
  const { serverReexec } = await import(new URL("../dist/cli/server-heap.js", import.meta.url).href);
  const again = serverReexec(process.execPath, process.execArgv, process.argv, process.env);
  if (again !== null && typeof process.execve === "function") process.execve(process.execPath, again.args, again.env);
  ({ main } = await import(entry.href));
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !/dist\/cli\/(main|server-heap)\.js/.test(String(error.message))) throw error;
  console.error("gatehouse: the package is not built (dist/ is missing). In a clone of gatehouse, run: npm install (or npm run build)");
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
