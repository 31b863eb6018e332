/**
 * Test support: reads a real `text/event-stream` response with `fetch`, the
 * way a browser's `EventSource` parses it (line by line: a comment or a
 * `retry:` line is an item as soon as it arrives, an event once its blank
 * line does), with a time limit on every read.
 */

/** One thing read from the stream. */
export type SseItem =
  | { kind: "event"; id: string | undefined; data: string }
  | { kind: "comment"; text: string }
  | { kind: "retry"; ms: number };

/** An open stream; `await using` cancels it. */
export class SseClient implements AsyncDisposable {
  readonly response: Response;
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #controller: AbortController;
  #buffer = "";
  #ended = false;
  /** The event being read: its data lines and id, until a blank line completes it. */
  #data: string[] = [];
  #id: string | undefined;
  /** The id of the last event read, as a browser would send back in `Last-Event-ID`. */
  lastEventId: string | undefined;

  private constructor(response: Response, controller: AbortController) {
    this.response = response;
    this.#controller = controller;
    this.#reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Opens `url`, sending `Last-Event-ID` when given; throws on a non-200 answer. */
  static async open(url: string, lastEventId?: string): Promise<SseClient> {
    const controller = new AbortController();
    const headers: HeadersInit = lastEventId === undefined ? {} : { "Last-Event-ID": lastEventId };
    const response = await fetch(url, { headers, signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`GET ${url} answered ${response.status}`);
    }
    const client = new SseClient(response, controller);
    client.lastEventId = lastEventId;
    return client;
  }

  /** The next item, or `undefined` when the stream ends; throws after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<SseItem | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cut = this.#buffer.indexOf("\n");
      if (cut >= 0) {
        const line = this.#buffer.slice(0, cut);
        this.#buffer = this.#buffer.slice(cut + 1);
        const item = this.#line(line);
        if (item !== undefined) return item;
        continue;
      }
      if (this.#ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE item within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), left)),
      ]).finally(() => clearTimeout(timer));
      if (chunk === "timeout") throw new Error(`no SSE item within ${timeoutMs} ms`);
      if (chunk.done) this.#ended = true;
      else this.#buffer += chunk.value;
    }
  }

  /** What one line does: an item, or `undefined` while an event is still being read. */
  #line(line: string): SseItem | undefined {
    if (line === "") {
      if (this.#data.length === 0) {
        this.#id = undefined;
        return undefined; // a blank line with nothing to dispatch
      }
      const item: SseItem = { kind: "event", id: this.#id, data: this.#data.join("\n") };
      this.#data = [];
      this.#id = undefined;
      if (item.id !== undefined) this.lastEventId = item.id;
      return item;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "") return { kind: "comment", text: value };
    if (field === "retry") return { kind: "retry", ms: Number(value) };
    if (field === "id") this.#id = value;
    if (field === "data") this.#data.push(value);
    return undefined;
  }

  /** The next event's data (comments and retry hints skipped), or `undefined` at the end. */
  async nextEvent(
    timeoutMs = 5_000,
  ): Promise<{ id: string | undefined; data: string } | undefined> {
    for (let i = 0; i < 10_000; i++) {
      const item = await this.next(timeoutMs);
      if (item === undefined) return undefined;
      if (item.kind === "event") return item;
    }
    throw new Error("more than 10,000 non-event items in a row");
  }

  /** Every event's parsed data until `{"event":"done"}` (included) or the end of the stream. */
  async readToEnd(limit = 1_000_000, timeoutMs = 5_000): Promise<Record<string, unknown>[]> {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < limit; i++) {
      const event = await this.nextEvent(timeoutMs);
      if (event === undefined) return events;
      const data = JSON.parse(event.data);
      events.push(data);
      if (data.event === "done") return events;
    }
    throw new Error(`more than ${limit} events`);
  }

  /** Reads `count` events' data. */
  async take(count: number, timeoutMs = 5_000): Promise<Record<string, unknown>[]> {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const event = await this.nextEvent(timeoutMs);
      if (event === undefined) throw new Error(`stream ended after ${i} of ${count} events`);
      events.push(JSON.parse(event.data));
    }
    return events;
  }

  /** Whether the server ended the response (after the buffered items). */
  async ended(timeoutMs = 5_000): Promise<boolean> {
    const item = await this.next(timeoutMs);
    return item === undefined;
  }

  /** Drops the connection, as a closed tab or a cut network would. */
  async cancel(): Promise<void> {
    this.#controller.abort();
    await this.#reader.cancel().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cancel();
  }
}
