/**
 * Test support for the log stream (`createLogStream`) without React: wait
 * for a state, keep a stream open for a test, and serve canned answers.
 */
import { createLogStream, type LogStreamState } from "../../client/log_stream.ts";
import type { LogStreamClient } from "../../client/stream_types.ts";
import { serve } from "./serve.ts";

/** Resolves with the state once `predicate` holds (bounded: rejects after `ms`, showing the state). */
export function until(
  stream: LogStreamClient,
  predicate: (state: LogStreamState) => boolean,
  ms = 15_000,
): Promise<LogStreamState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = stream.getSnapshot();
      if (!predicate(state)) return;
      clearTimeout(timer);
      queueMicrotask(unsubscribe);
      resolve(state);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      const { status, error, logs } = stream.getSnapshot();
      reject(new Error(`still ${status} (${error?.message}) with ${logs.length} entries`));
    }, ms);
    const unsubscribe = stream.subscribe(check);
    check();
  });
}

/** Opens a stream and keeps one listener on it; `using` closes it. */
export function open(url: string, options?: Parameters<typeof createLogStream>[1]) {
  const stream = createLogStream(url, options);
  const unsubscribe = stream.subscribe(() => {});
  return Object.assign(stream, {
    [Symbol.dispose]() {
      unsubscribe();
      stream.close();
    },
  });
}

export const texts = (state: LogStreamState) => state.logs.map((entry) => entry.text);
export const ended = (state: LogStreamState) => state.status === "done" || state.status === "error";

/** A server answering each request with the next of `answers` (the last one repeats). */
export function answering(...answers: (() => Response)[]) {
  let calls = 0;
  const seen: Headers[] = [];
  const server = serve((request) => {
    seen.push(new Headers(request.headers));
    return answers[Math.min(calls++, answers.length - 1)]();
  });
  return Object.assign(server, { seen, calls: () => calls });
}

export const sse = (body: string, init: ResponseInit = {}) =>
  new Response(body, { ...init, headers: { "Content-Type": "text/event-stream" } });
