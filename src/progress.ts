// The progress line on stderr (only on a terminal): `advisor [12.3s] compiling
// 3 packages: api, cache, textutil`. It redraws itself every `tickMs` with the
// elapsed time, so a compile that takes a minute visibly moves.

export interface ProgressSink {
  write(s: string): void;
  /** Terminal columns, read at each redraw (the window may be resized). */
  columns(): number;
}

export interface Progress {
  say(message: string): void;
  done(): void;
}

export function progressPrinter(sink: ProgressSink | null, tickMs = 200, now: () => number = Date.now): Progress {
  if (!sink) return { say: () => {}, done: () => {} };
  const t0 = now();
  let message: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const draw = () => {
    if (message === null) return;
    const secs = ((now() - t0) / 1000).toFixed(1);
    // Elapsed time first, so truncation at the terminal's width never hides it.
    const line = `advisor [${secs}s] ${message}`;
    const width = sink.columns() || 80;
    sink.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
  };
  return {
    say(m: string) {
      message = m;
      draw();
      if (!timer) {
        timer = setInterval(draw, tickMs);
        // Never keeps the process alive on its own.
        timer.unref?.();
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = null;
      if (message !== null) sink.write('\r\x1b[2K');
      message = null;
    },
  };
}
