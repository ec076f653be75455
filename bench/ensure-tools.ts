import { spawnSync } from "node:child_process";

/** Where the external tools are, or null for a missing one, with what happened on the way. */
export interface Tools {
  nginx: string | null;
  wrk: string | null;
  messages: string[];
}

/** The absolute path of `name` on PATH or in the sbin folders nginx lives in, or null. */
export function findBinary(name: string): string | null {
  const path = `${process.env.PATH ?? ""}:/usr/sbin:/sbin:/usr/local/sbin`;
  const found = spawnSync("sh", ["-c", `PATH="${path}" command -v ${name}`], { encoding: "utf8" });
  const out = found.stdout?.trim();
  return found.status === 0 && out ? out : null;
}

/**
 * Finds nginx and wrk; installs the missing ones from Debian (`apt-get update`, then
 * `apt-get install -y nginx wrk`) when allowed and possible (root, or sudo without a password).
 * Never fails: a tool that cannot be had is null and the caller degrades, saying why.
 */
export function ensureTools(allowInstall: boolean): Tools {
  const messages: string[] = [];
  let nginx = findBinary("nginx");
  let wrk = findBinary("wrk");
  const missing = [nginx ? null : "nginx", wrk ? null : "wrk"].filter((n): n is string => n !== null);
  if (missing.length && allowInstall) {
    const asRoot = process.getuid?.() === 0;
    const sudo = !asRoot && spawnSync("sudo", ["-n", "true"]).status === 0;
    if (!asRoot && !sudo) {
      messages.push(
        `${missing.join(" and ")} missing and cannot be installed (not root, no passwordless sudo): run \`sudo apt-get install -y ${missing.join(" ")}\``,
      );
    } else {
      const prefix = sudo ? ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND,RUNLEVEL"] : [];
      messages.push(`installing ${missing.join(" and ")} from Debian (apt-get)...`);
      // RUNLEVEL=1 keeps Debian's maintainer scripts from starting the packaged nginx service on
      // port 80: the bench runs its own nginx on a loopback port and nothing else may listen.
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive", RUNLEVEL: "1" };
      const run = (args: string[]) => {
        const [command, ...rest] = [...prefix, ...args];
        return spawnSync(command!, rest, { encoding: "utf8", env, timeout: 300_000 });
      };
      const update = run(["apt-get", "update", "-qq"]);
      const install = update.status === 0 ? run(["apt-get", "install", "-y", "-qq", ...missing]) : update;
      if (install.status !== 0)
        messages.push(
          `apt-get failed (${install.status ?? install.signal}): ${(install.stderr || install.stdout || "").trim().split("\n").slice(-3).join(" | ")}`,
        );
      nginx = findBinary("nginx");
      wrk = findBinary("wrk");
    }
  } else if (missing.length) {
    messages.push(`${missing.join(" and ")} missing (--no-install given)`);
  }
  if (!nginx) messages.push("nginx unavailable: the nginx rows and the x-nginx ratios are left out");
  if (!wrk) messages.push("wrk unavailable: using autocannon (a Node load generator; it needs more CPU than wrk, so absolute figures are lower)");
  return { nginx, wrk, messages };
}
