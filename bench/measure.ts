/**
 * A tiny benchmark harness: warm up, then run the case in rounds until enough time has passed, and
 * print one `BENCH {json}` line per case so runs can be compared with each other.
 */
export interface BenchResult {
  readonly name: string
  readonly per_s: number
  readonly ops: number
  readonly ms: number
  readonly [extra: string]: unknown
}

export const measure = (
  name: string,
  run: (iterations: number) => void,
  options: {
    readonly minMs?: number
    readonly batch?: number
    /** The per-second figure the case should reach: adds `target_per_s` and `ratio` to the line. */
    readonly target?: number
    readonly extra?: Record<string, unknown>
  } = {}
): BenchResult => {
  const minMs = options.minMs ?? 2000
  const batch = options.batch ?? 10_000
  run(batch) // warm up: let the JIT settle
  run(batch)
  let ops = 0
  const started = process.hrtime.bigint()
  let elapsedMs = 0
  while (elapsedMs < minMs) {
    run(batch)
    ops += batch
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6
  }
  const perSecond = Math.round((ops / elapsedMs) * 1000)
  const result: BenchResult = {
    name,
    per_s: perSecond,
    ops,
    ms: Math.round(elapsedMs),
    ...(options.target === undefined
      ? {}
      : { target_per_s: options.target, ratio: Math.round((perSecond / options.target) * 100) / 100 }),
    ...options.extra
  }
  console.log(`BENCH ${JSON.stringify(result)}`)
  return result
}
