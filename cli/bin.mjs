#!/usr/bin/env node
// The `gatehouse` command. It runs the TypeScript sources directly through tsx, so users and
// definitions need no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
