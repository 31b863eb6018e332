/**
 * The browser benchmark's page: one of five log viewers reads a job of
 * 100,000 entries over SSE, inside a React <Profiler> (profiling build) that
 * counts commits, and a frame counter that finds the most commits in one
 * animation frame. `?app=ours|viewer|eventsource|melloware|naive&job=<id>&n=<entries>`;
 * the driver calls `window.__start()` and waits for `window.__bench.doneAt`.
 * `viewer` is `LogViewer` with `ansi`, shown before the start so that the
 * driver can type a search term first.
 */
import { Profiler, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { LazyLog } from "@melloware/react-logviewer";
import { LogPanel, LogViewer, useLogStream } from "../../react/mod.ts";
import type { LogEntry } from "../../react/mod.ts";
import { useLogStream as useEventSourceLogStream } from "./eventsource_hook.ts";

interface Bench {
  app: string;
  commits: number;
  received: number;
  startAt: number;
  doneAt: number;
  longest: number;
  longTasks: number;
  /** Animation frames from the start to the last entry. */
  frames: number;
  /** The most React commits inside one animation frame. */
  maxCommitsPerFrame: number;
  /** New `logs` arrays the hook handed to the panel (one per batch of entries). */
  updates: number;
  /** The most new `logs` arrays inside one animation frame. */
  maxUpdatesPerFrame: number;
  /** React's own render time, summed over commits (Profiler actualDuration). */
  renderMs: number;
}

const params = new URLSearchParams(location.search);
const app = params.get("app") ?? "ours";
const job = params.get("job") ?? "";
const expected = Number(params.get("n"));
const url = `/log/${job}/stream`;
const bench: Bench = {
  app,
  commits: 0,
  received: 0,
  startAt: 0,
  doneAt: 0,
  longest: 0,
  longTasks: 0,
  frames: 0,
  maxCommitsPerFrame: 0,
  updates: 0,
  maxUpdatesPerFrame: 0,
  renderMs: 0,
};

let shownLogs: unknown = null;
/** Counts a new `logs` array from a hook. */
const sawLogs = (logs: unknown) => {
  if (logs !== shownLogs) bench.updates++;
  shownLogs = logs;
};
(globalThis as unknown as { __bench: Bench }).__bench = bench;

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (bench.startAt === 0 || entry.startTime < bench.startAt) continue;
    bench.longTasks++;
    bench.longest = Math.max(bench.longest, entry.duration);
  }
}).observe({ type: "longtask", buffered: true });

const finish = () => {
  if (bench.doneAt === 0) bench.doneAt = performance.now();
};

/** Counts frames and the commits between two frames, from the start to the last entry. */
function countFrames() {
  let last = bench.commits;
  let lastUpdates = bench.updates;
  const frame = () => {
    bench.maxCommitsPerFrame = Math.max(bench.maxCommitsPerFrame, bench.commits - last);
    bench.maxUpdatesPerFrame = Math.max(bench.maxUpdatesPerFrame, bench.updates - lastUpdates);
    last = bench.commits;
    lastUpdates = bench.updates;
    if (bench.doneAt > 0) return;
    bench.frames++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * What each reader built on the stream states (ours, the viewer, the EventSource hook) does per
 * render: counts the entries and the updates, and ends the round once the stream is done with
 * every entry.
 */
function useRound(logs: readonly LogEntry[], status: string) {
  bench.received = logs.length;
  sawLogs(logs);
  useEffect(() => {
    if (status === "done" && logs.length >= expected) finish();
  });
}

/** Ours: useLogStream + LogPanel. */
function Ours({ url }: { url: string | null }) {
  const { logs, active, status } = useLogStream(url);
  useRound(logs, status);
  return <LogPanel logs={logs} active={active} maxHeight="400px" />;
}

/** Ours, the full viewer: useLogStream + LogViewer with ANSI colours (and a search the driver types). */
function Viewer({ url }: { url: string | null }) {
  const stream = useLogStream(url);
  useRound(stream.logs, stream.status);
  return <LogViewer {...stream} ansi maxHeight="400px" />;
}

/** The EventSource hook (useLogStream before the fetch() reader) + the same LogPanel. */
function EventSourceHook({ url }: { url: string | null }) {
  const { logs, active, status } = useEventSourceLogStream(url);
  useRound(logs, status);
  return <LogPanel logs={logs} active={active} maxHeight="400px" />;
}

/** A naive hook: setState with a copied array per event. */
function useNaiveStream(url: string | null): { logs: LogEntry[]; active: boolean } {
  const [logs, setLogs] = useState<LogEntry[]>([]);
  const [active, setActive] = useState(false);
  useEffect(() => {
    if (url === null) return;
    setActive(true);
    const source = new EventSource(url);
    source.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.event === "done") {
        source.close();
        setActive(false);
        return;
      }
      setLogs((prev) => [...prev, { text: data.message, t: `${data.t}s`, level: data.level }]);
    };
    return () => source.close();
  }, [url]);
  return { logs, active };
}

/** The naive hook, rendered by the same LogPanel. */
function Naive({ url }: { url: string | null }) {
  const { logs, active } = useNaiveStream(url);
  bench.received = logs.length;
  useEffect(() => {
    if (!active && logs.length >= expected) finish();
  });
  return <LogPanel logs={logs} active={active} maxHeight="400px" />;
}

/** @melloware/react-logviewer's LazyLog reading the same SSE route. */
function Melloware({ url }: { url: string | null }) {
  const seen = useRef(0);
  if (url === null) return null;
  return (
    <div style={{ height: 400 }}>
      <LazyLog
        url={url}
        eventsource
        follow
        eventsourceOptions={{
          reconnect: false,
          formatMessage: (data: string) => {
            const event = JSON.parse(data);
            if (event.event === "done") {
              // LazyLog renders the last line on a later frame: done once it is in the DOM.
              const last = `entry ${expected - 1}:`;
              const check = (tries: number) => {
                if (document.body.textContent?.includes(last)) finish();
                else if (tries < 10_000) requestAnimationFrame(() => check(tries + 1));
              };
              check(0);
              // LazyLog skips a non-string (its types say string; its code checks).
              return undefined as unknown as string;
            }
            bench.received = ++seen.current;
            return `${event.t}s ${event.message}`;
          },
        }}
      />
    </div>
  );
}

function App() {
  const [started, setStarted] = useState(false);
  (globalThis as unknown as { __start: () => void }).__start = () => {
    bench.startAt = performance.now();
    countFrames();
    setStarted(true);
  };
  const u = started ? url : null;
  const View = app === "melloware"
    ? Melloware
    : app === "naive"
    ? Naive
    : app === "eventsource"
    ? EventSourceHook
    : app === "viewer"
    ? Viewer
    : Ours;
  return (
    <Profiler
      id={app}
      onRender={(_id, _phase, actual) => {
        if (bench.startAt === 0) return;
        bench.commits++;
        bench.renderMs += actual;
      }}
    >
      <View url={u} />
    </Profiler>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
