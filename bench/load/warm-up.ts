/**
 * How long each Node server is loaded (at 32 connections) before anything of it is measured.
 * V8 is still compiling and deoptimising well after 2 s of load: on a 2-core AMD EPYC
 * (2026-12-04, `--trace-opt --trace-deopt`, 2 s windows at 32 connections) gatehouse on memory
 * compiled 597, 166 and 25 functions in its first three windows and under 12 a window after,
 * the bare proxy 495, 98, then 0-1; at 1 connection gatehouse took 5 windows of 3 s to settle
 * and served 2320, 3427, 3689, 3675, then 3925-4150 req/s. Measured sooner, a server is judged
 * on its warm-up, and gatehouse's takes longer than the bare proxy's. Five seconds, then each
 * measured run's own warm-up, keep `npm run bench -- --guard` under a minute.
 */
export const NODE_WARMUP_SECONDS = 5;
