/**
 * Child processes for the scenarios that need isolation: each runs TypeScript through tsx's
 * loader, talks to the parent over IPC, and is stopped by its own pid only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message between the parent and a bench child: a `type` tag and a payload. */
export interface BenchMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Extra Node flags, e.g. `--expose-gc`. */
  readonly nodeFlags?: readonly string[];
  /** Extra environment variables (the parent's environment is inherited). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called for every message that is not awaited by {@link BenchChild.next}. */
  readonly onMessage?: (message: BenchMessage) => void;
}

/** A running bench child. */
export interface BenchChild {
  readonly process: ChildProcess;
  /** Resolves with the next message of `type` (rejects when the child exits first). */
  next<T extends BenchMessage>(type: string): Promise<T>;
  send(message: BenchMessage): void;
  /** Sends SIGTERM to this child (by pid) and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Starts `bench/<entry>` (a path relative to the bench folder) in a child Node process.
 *
 * @example
 * ```ts
 * const child = startChild('http/server-child.ts', ['noauth']);
 * const { url } = await child.next<{ type: 'listening'; url: string }>('listening');
 * ```
 */
export function startChild(entry: string, args: readonly string[] = [], options: ChildOptions = {}): BenchChild {
  const file = fileURLToPath(new URL(`../${entry}`, import.meta.url));
  const child = fork(file, [...args], {
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiters = new Map<string, Array<{ resolve: (m: BenchMessage) => void; reject: (e: Error) => void }>>();
  let exited: Error | undefined;
  child.on('message', (raw) => {
    const message = raw as BenchMessage;
    const queue = waiters.get(message.type);
    const waiter = queue?.shift();
    if (waiter) waiter.resolve(message);
    else options.onMessage?.(message);
  });
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = new Error(`bench child ${entry} exited (code ${code}, signal ${signal})`);
      for (const queue of waiters.values()) for (const waiter of queue) waiter.reject(exited);
      waiters.clear();
      resolve();
    });
  });
  return {
    process: child,
    next<T extends BenchMessage>(type: string): Promise<T> {
      if (exited) return Promise.reject(exited);
      return new Promise<T>((resolve, reject) => {
        const queue = waiters.get(type) ?? [];
        queue.push({ resolve: resolve as (m: BenchMessage) => void, reject });
        waiters.set(type, queue);
      });
    },
    send(message) {
      child.send(message);
    },
    async stop() {
      if (!exited && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exitPromise;
    },
  };
}

/**
 * Runs a child to completion and returns its `result` message's `value`.
 * A child that fails sends `{ type: 'error', message }` or exits without a result: both reject.
 */
export async function runChild<T>(entry: string, args: readonly string[] = [], options: ChildOptions = {}): Promise<T> {
  const child = startChild(entry, args, options);
  const failure = child.next<BenchMessage & { message: string }>('error').then((m) => {
    throw new Error(`${entry}: ${m.message}`);
  });
  const result = await Promise.race([child.next<BenchMessage & { value: T }>('result'), failure]);
  failure.catch(() => undefined);
  await child.stop();
  return result.value;
}

/**
 * Child side: runs `main`, sends its value as `{ type: 'result', value }` (or an `error`), then
 * disconnects so the process can exit.
 */
export function runAsChild<T>(main: () => Promise<T>): void {
  main()
    .then((value) => process.send?.({ type: 'result', value }))
    .catch((error: unknown) => {
      process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
}

/** Child side: sends one message to the parent. */
export function sendToParent(message: BenchMessage): void {
  process.send?.(message);
}
