import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * With GATEHOUSE_BENCH_PROFILE=<file> in the environment: SIGUSR2 starts V8's sampling
 * profiler (the one `node --cpu-prof` uses; prints {"profiling":true}) and the returned
 * function stops it and writes the .cpuprofile. The harness sends SIGUSR2 after the warm-up, so
 * start-up and module loading, which --cpu-prof records from the first instruction, stay out.
 * Without the variable it does nothing.
 */
export function armProfiler(say: (value: unknown) => void): () => Promise<void> {
  const file = process.env.GATEHOUSE_BENCH_PROFILE;
  if (!file) return async () => {};
  const session = new Session();
  session.connect();
  let started = false;
  process.once("SIGUSR2", () => {
    void (async () => {
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
      started = true;
      say({ profiling: true });
    })();
  });
  return async () => {
    if (!started) return;
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
  };
}
