/** Test support: reads a child process's output one line at a time, with a deadline. */

/** A reader of lines; `next()` rejects when no line comes in time or the output ends. */
export interface LineReader {
  next(timeoutMs?: number): Promise<string>;
  cancel(): Promise<void>;
}

/**
 * Lines of `stream` (a process's stdout). `context` adds to the error when
 * the output ends before a line (e.g. what the process wrote to stderr).
 */
export function lineReader(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  context: (rest: string) => string = (rest) => `after "${rest}"`,
): LineReader {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next(timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (let i = 0; i < 10_000; i++) {
        const cut = buffer.indexOf("\n");
        if (cut >= 0) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 1);
          return line;
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk === "timeout") {
          throw new Error(`the process printed no line within ${timeoutMs} ms`);
        }
        if (chunk.done) throw new Error(`the process ended its output (${context(buffer)})`);
        buffer += chunk.value;
      }
      throw new Error("too many reads for one line");
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
