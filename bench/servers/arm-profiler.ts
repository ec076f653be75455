import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * With GATEHOUSE_BENCH_PROFILE=<file> in the environment: SIGUSR2 starts V8's sampling
 * profiler (the one `node --cpu-prof` uses; prints {"profiling":true}) and the returned
 * function stops it and writes the .cpuprofile. With GATEHOUSE_BENCH_HEAP_PROFILE=<file> instead,
 * SIGUSR2 starts V8's sampling heap profiler counting every sampled allocation, also those the
 * scavenger or the major GC has freed since (what a request allocates, not what it retains), and
 * the function writes the .heapprofile. The harness sends SIGUSR2 after the warm-up, so
 * start-up and module loading, which --cpu-prof records from the first instruction, stay out.
 * Without either variable it does nothing.
 */
export function armProfiler(say: (value: unknown) => void): () => Promise<void> {
  const cpuFile = process.env.GATEHOUSE_BENCH_PROFILE;
  const heapFile = process.env.GATEHOUSE_BENCH_HEAP_PROFILE;
  if (!cpuFile && !heapFile) return async () => {};
  const session = new Session();
  session.connect();
  let started = false;
  process.once("SIGUSR2", () => {
    void (async () => {
      if (heapFile) {
        await session.post("HeapProfiler.enable");
        await session.post("HeapProfiler.startSampling", {
          samplingInterval: 4096,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      } else {
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
      }
      started = true;
      say({ profiling: true });
    })();
  });
  return async () => {
    if (!started) return;
    if (heapFile) {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      writeFileSync(heapFile, JSON.stringify(profile));
      return;
    }
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(cpuFile!, JSON.stringify(profile));
  };
}
