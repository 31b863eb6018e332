/**
 * In-process SSE readers for `Deno.bench`: each reads a response body and
 * counts frames; `until(n)` resolves once every reader has n frames.
 */
export class ReaderFleet {
  readonly #counts: number[] = [];
  /** Readers that have received a first chunk. */
  #started = 0;
  #onStarted: (() => void) | undefined;
  readonly #readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  #target = Infinity;
  #resolve: (() => void) | undefined;

  /** Starts reading `body` in the background. */
  add(body: ReadableStream<Uint8Array>): void {
    const index = this.#counts.push(0) - 1;
    const reader = body.getReader();
    this.#readers.push(reader);
    (async () => {
      let prev = 0;
      for (let i = 0; i < 1e9; i++) {
        const { done, value } = await reader.read();
        if (done) return;
        if (i === 0 && ++this.#started === this.#counts.length) this.#onStarted?.();
        let frames = 0;
        for (let k = value.indexOf(10); k >= 0; k = value.indexOf(10, k + 1)) {
          if ((k > 0 ? value[k - 1] : prev) === 10) frames++;
        }
        if (value.length > 0) prev = value[value.length - 1];
        this.#counts[index] += frames;
        this.#check();
      }
    })().catch(() => {});
  }

  /**
   * Resolves once every reader has received its first bytes (a stream may
   * open with a `retry:` line that is part of the first event's block, so
   * not a frame of its own).
   */
  started(): Promise<void> {
    if (this.#started === this.#counts.length) return Promise.resolve();
    return new Promise((resolve) => this.#onStarted = resolve);
  }

  /** Frames the slowest reader has. */
  get min(): number {
    return Math.min(...this.#counts);
  }

  /** Resolves once every reader has at least `frames` frames. */
  until(frames: number): Promise<void> {
    this.#target = frames;
    const done = new Promise<void>((resolve) => this.#resolve = resolve);
    this.#check();
    return done;
  }

  #check(): void {
    if (this.#resolve === undefined || this.min < this.#target) return;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve();
  }

  /** Cancels every reader. */
  async cancel(): Promise<void> {
    for (const reader of this.#readers) await reader.cancel().catch(() => {});
  }
}
