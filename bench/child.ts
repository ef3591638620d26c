/**
 * A bench phase in a child process of its own: the handlers keep one store per
 * process (storeFromEnv, made at first use), so a phase with a fresh table in
 * a fresh DynamoDB Local needs a fresh process.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `file` with `args` in a child (same Node, same tsx loader) and resolves with the one message it sends. */
export function inChildProcess<T>(file: string, args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(file, args);
    let result: T | undefined;
    child.on('message', (message) => (result = message as T));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 && result ? resolve(result) : reject(new Error(`${what} failed (${signal ?? `exit code ${code}`})`))));
  });
}

/** In the child: when `moduleUrl` was started with `arg`, runs `phase` with the argument after it, sends its result and exits. */
export function runAsChild<T>(moduleUrl: string, arg: string, phase: (name: string) => Promise<T>): void {
  if (process.argv[2] !== arg || process.argv[1] !== fileURLToPath(moduleUrl)) return;
  phase(process.argv[3])
    .then((result) => new Promise<void>((done, fail) => process.send!(result, (error: Error | null) => (error ? fail(error) : done()))))
    .then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
}
