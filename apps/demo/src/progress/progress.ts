/** Where progress goes: a stream with an optional TTY flag (process.stdout fits). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Reports progress of long steps. */
export interface Progress {
  /** Starts a step; `update` it with a fraction or a note, then `done` it. */
  step(label: string): ProgressStep;
}

/** One running step. */
export interface ProgressStep {
  update(note: string): void;
  /** Ends the step with its duration and an optional note. */
  done(note?: string): number;
}

/**
 * Progress display: on a terminal one line per step rewritten in place, elsewhere (CI, pipes,
 * files) plain lines, one when a step starts and one when it ends, so logs stay readable.
 */
export function createProgress(
  stream: ProgressStream,
  clock: () => number = () => performance.now(),
): Progress {
  const tty = stream.isTTY === true;
  return {
    step(label) {
      const start = clock();
      let lastPlain = start;
      stream.write(tty ? `  … ${label}` : `  … ${label}\n`);
      return {
        update(note) {
          if (tty) {
            stream.write(`\r\x1b[2K  … ${label}: ${note}`);
            return;
          }
          // Plain output: at most one line per second, so a long loop does not flood the log.
          const now = clock();
          if (now - lastPlain >= 1000) {
            lastPlain = now;
            stream.write(`    ${label}: ${note}\n`);
          }
        },
        done(note) {
          const ms = clock() - start;
          const tail = `${note ? `${note}, ` : ""}${(ms / 1000).toFixed(1)} s`;
          stream.write(tty ? `\r\x1b[2K  ✓ ${label} (${tail})\n` : `  ✓ ${label} (${tail})\n`);
          return ms;
        },
      };
    },
  };
}
