import assert from "node:assert/strict";
import { createSseParser } from "./sse_parser.ts";

/** One dispatched event: its data and the parser's id when it came out. */
interface SseEvent {
  data: string;
  id: string;
}

function all(chunks: string[], id?: string): { events: SseEvent[]; id: string; retry?: number } {
  const parser = createSseParser(id);
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let data = parser.next(); data !== undefined; data = parser.next()) {
      events.push({ data, id: parser.id });
    }
  }
  return { events, id: parser.id, retry: parser.retry };
}

const STREAM = ": hello\r\n" +
  "id: 1\r\n" +
  "data: one\r\n\r\n" +
  "data:two\n" +
  "data:  lines\n" +
  "\n" +
  'id: 2\rdata: {"a":1}\r\r' +
  "retry: 250\n" +
  "retry: soon\n" +
  "event: custom\ndata: skipped\n\n" +
  "id\n" +
  "data\n\n" +
  "id: bad\0id\ndata: keeps the last id\n\n" +
  "id: 9\n\n" +
  "data: after an id-only event\n\n" +
  "data: no blank line yet";

const EXPECTED: SseEvent[] = [
  { data: "one", id: "1" },
  { data: "two\n lines", id: "1" },
  { data: '{"a":1}', id: "2" },
  { data: "", id: "" },
  { data: "keeps the last id", id: "" },
  { data: "after an id-only event", id: "9" },
];

Deno.test("WHATWG rules: comments, CR/LF/CRLF, multi-line data, id, retry, named and empty events", () => {
  const { events, id, retry } = all([STREAM]);
  assert.deepEqual(events, EXPECTED);
  assert.equal(id, "9");
  assert.equal(retry, 250);
});

Deno.test("the same events whatever the chunk boundaries (every split point, and one char at a time)", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    assert.deepEqual(all([STREAM.slice(0, i), STREAM.slice(i)]).events, EXPECTED, `split at ${i}`);
  }
  assert.deepEqual(all([...STREAM]).events, EXPECTED);
});

Deno.test("a CRLF split across chunks is one line end, not two", () => {
  const { events } = all(["data: a\r", "\ndata: b\r", "\n\r", "\n"]);
  assert.deepEqual(events, [{ data: "a\nb", id: "" }]);
});

Deno.test("the resume id is that of the last whole event, not of one cut after its id line", () => {
  const parser = createSseParser("4");
  parser.push('id: 5\ndata: {"m":5}\n\nid: 6\ndata: {"m"');
  assert.equal(parser.next(), '{"m":5}');
  assert.equal(parser.id, "5");
  assert.equal(parser.next(), undefined);
  assert.equal(parser.id, "5");
  assert.equal(createSseParser("7").id, "7");
});

Deno.test("an empty chunk between the halves of a CRLF changes nothing", () => {
  assert.deepEqual(all(["data: a\r", "", "\ndata: b\r\n\r\n"]).events, [{ data: "a\nb", id: "" }]);
});

Deno.test("a ': ping' comment is noted as a heartbeat; other comments are not", () => {
  const parser = createSseParser();
  parser.push(": connected\n:\n\ndata: a\n\n");
  assert.equal(parser.next(), "a");
  assert.equal(parser.heartbeat, false);
  parser.push(": ping\n");
  assert.equal(parser.next(), undefined);
  assert.equal(parser.heartbeat, true);
  const tight = createSseParser();
  tight.push(":ping\n");
  tight.next();
  assert.equal(tight.heartbeat, true);
});
