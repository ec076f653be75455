import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "../../bench/process/ports.ts";

/** Where the tests expect Debian's nginx (`.ci/run` installs `nginx-light`). */
export const NGINX = "/usr/sbin/nginx";

/** A running nginx started by a test. */
export interface TestNginx {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The prefix directory (config, logs, temp paths); removed by `stop`. */
  dir: string;
  /** Stops nginx (SIGQUIT, then SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's nginx in the foreground (`daemon off`) on 127.0.0.1 with its own prefix
 * directory: config, pid, logs and every temp path inside it, so it runs as any user and
 * leaves nothing behind. `locations` is the body of the `server` block (for example
 * `location / { proxy_pass http://127.0.0.1:8080/; }`). Fails with the install command when
 * nginx is missing rather than skipping: the tests that use it are the only proof against a
 * normalising proxy.
 */
export async function startNginx(locations: string): Promise<TestNginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (apt-get install nginx-light)`);
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-nginx-"));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      const stop = await launch(dir, port, locations);
      return { url: `http://127.0.0.1:${port}`, port, dir, stop };
    } catch (error) {
      // Another process may take the free port between our probe and nginx's bind.
      if (attempt >= 2 || !String(error).includes("Address already in use")) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

async function launch(dir: string, port: number, locations: string): Promise<() => Promise<void>> {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "logs", "error.log")} warn;
events { worker_connections 64; }
http {
  access_log ${join(dir, "logs", "access.log")};
  client_body_temp_path ${join(dir, "tmp-body")};
  proxy_temp_path ${join(dir, "tmp-proxy")};
  fastcgi_temp_path ${join(dir, "tmp-fastcgi")};
  uwsgi_temp_path ${join(dir, "tmp-uwsgi")};
  scgi_temp_path ${join(dir, "tmp-scgi")};
  server {
    listen 127.0.0.1:${port};
    ${locations}
  }
}
`,
  );
  // -e: errors before the config is read go to our dir too (the default /var/log/nginx is root's).
  const child = spawn(NGINX, ["-p", dir, "-c", conf, "-e", join(dir, "logs", "error.log"), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const early = exited.then(() => {
    throw new Error(`nginx exited at start: ${stderr.trim().slice(-500)}`);
  });
  early.catch(() => {});
  await Promise.race([waitForPort(port), early]);
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGQUIT");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
