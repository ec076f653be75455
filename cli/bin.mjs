#!/usr/bin/env node
// The `gatehouse` command. It runs the TypeScript sources directly through tsx, so users and
// definitions need no build step.
import { register } from "tsx/esm/api";

// The AWS SDK warns on every run that its 2027 releases will need Node 22. We pin a release that
// supports Node 20 (see DESIGN.md); the warning is not something a CLI user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
