/**
 * Turns core's ProgressEvents into progress bars with rate and ETA on stderr, so stdout stays
 * clean for tables and --json output. Silent when stderr is not a terminal (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import type { ProgressCallback, ProgressEvent } from '@minmax/core';

export interface ProgressReporter {
  callback: ProgressCallback;
  stop(): void;
}

export function progressBars(enabled = process.stderr.isTTY === true): ProgressReporter {
  if (!enabled) return { callback: () => {}, stop: () => {} };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
      format: ' {task} |{bar}| {value}/{total} {unit} · {rate}/s · ETA {eta_formatted}{info}',
      barsize: 30,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; start: number }>();
  const callback = (e: ProgressEvent) => {
    let entry = bars.get(e.task);
    const info = e.info
      ? ' · ' +
        Object.entries(e.info)
          .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
          .join(' ')
      : '';
    if (!entry) {
      entry = { bar: multi.create(e.total, 0, { task: e.task.padEnd(14), unit: e.unit, rate: '0', info }), start: performance.now() };
      bars.set(e.task, entry);
    }
    const secs = (performance.now() - entry.start) / 1000;
    const rate = secs > 0 ? (e.done / secs).toFixed(1) : '0';
    entry.bar.setTotal(e.total);
    entry.bar.update(e.done, { rate, info });
    if (e.done >= e.total) {
      entry.bar.stop();
      multi.remove(entry.bar);
      bars.delete(e.task);
    }
  };
  return { callback, stop: () => multi.stop() };
}
