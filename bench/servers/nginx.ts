import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitForPort } from "../process/ports.ts";

/**
 * nginx.conf for the native anchor: one worker (like one Node process), proxy_pass to the
 * upstream with a pool of keep-alive connections, no access log, every temp path inside
 * `dir` so it runs as any user.
 */
export function nginxConfig(dir: string, listenPort: number, upstreamPort: number): string {
  return `worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  error_log ${join(dir, "error.log")} warn;
  client_body_temp_path ${join(dir, "tmp-body")};
  proxy_temp_path ${join(dir, "tmp-proxy")};
  fastcgi_temp_path ${join(dir, "tmp-fastcgi")};
  uwsgi_temp_path ${join(dir, "tmp-uwsgi")};
  scgi_temp_path ${join(dir, "tmp-scgi")};
  upstream bench_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** A running nginx (`daemon off`, so its pid is the master's). */
export interface RunningNginx {
  process: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Writes the config into `dir` and starts nginx in the foreground; resolves once it accepts connections. */
export async function startNginx(binary: string, dir: string, listenPort: number, upstreamPort: number): Promise<RunningNginx> {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig(dir, listenPort, upstreamPort));
  // -e: the startup error log goes to our dir too (the default /var/log/nginx is root's).
  const child = spawn(binary, ["-p", dir, "-c", conf, "-e", join(dir, "error.log"), "-g", `daemon off; pid ${join(dir, "nginx.pid")};`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const early = exited.then(() => {
    throw new Error(`nginx exited at start: ${stderr.trim().slice(-500)}`);
  });
  await Promise.race([waitForPort(listenPort), early]);
  early.catch(() => {});
  return {
    process: child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
