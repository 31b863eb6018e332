/**
 * Test support: a happy-dom `Window` whose DOM globals are put on
 * `globalThis` for React and @testing-library/react, and taken off again.
 *
 * `@happy-dom/global-registrator` is not used: it also replaces Deno's own
 * `Event`/`EventTarget`, which breaks Deno at unload. Only the DOM names below
 * are installed; Deno keeps its `fetch`, `Event`, `EventSource` and timers.
 */
import { Window } from "happy-dom";

const NAMES = [
  "window",
  "document",
  "navigator",
  "Node",
  "Element",
  "HTMLElement",
  "HTMLDivElement",
  "HTMLSpanElement",
  "HTMLButtonElement",
  "HTMLInputElement",
  "HTMLIFrameElement",
  "SVGElement",
  "Text",
  "Comment",
  "DocumentFragment",
  "Document",
  "MutationObserver",
  "getComputedStyle",
  "NodeFilter",
] as const;

/** A frame queue the test runs by hand: `requestAnimationFrame` only queues. */
export interface Frames {
  /** Callbacks waiting for the next frame. */
  readonly pending: number;
  /** Frames run so far. */
  readonly ran: number;
  /** Runs one frame: every callback queued before it. */
  run(): void;
}

/** An installed DOM; `using` takes it off. */
export interface Dom extends Disposable {
  window: Window;
  /** Present when installed with `{ manualFrames: true }`. */
  frames: Frames | undefined;
}

/**
 * Installs a fresh DOM. With `manualFrames`, `requestAnimationFrame` queues
 * its callbacks until `frames.run()`, so tests count frames, not time.
 */
export function installDom(options: { manualFrames?: boolean } = {}): Dom {
  const window = new Window({ url: "http://127.0.0.1/", width: 1024, height: 768 });
  const g = globalThis as Record<string, unknown>;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  const set = (name: string, value: unknown) => {
    if (!saved.has(name)) saved.set(name, Object.getOwnPropertyDescriptor(g, name));
    Object.defineProperty(g, name, { value, configurable: true, writable: true });
  };
  const w = window as unknown as Record<string, unknown>;
  for (const name of NAMES) {
    const value = w[name];
    set(name, typeof value === "function" && /^[a-z]/.test(name) ? value.bind(window) : value);
  }
  // Updates from the network land outside act(); RTL turns act on for its own calls.
  set("IS_REACT_ACT_ENVIRONMENT", false);

  let frames: Frames | undefined;
  if (options.manualFrames) {
    let queue = new Map<number, () => void>();
    let handle = 0;
    let ran = 0;
    set("requestAnimationFrame", (callback: () => void) => {
      queue.set(++handle, callback);
      return handle;
    });
    set("cancelAnimationFrame", (id: number) => queue.delete(id));
    frames = {
      get pending() {
        return queue.size;
      },
      get ran() {
        return ran;
      },
      run() {
        const now = queue;
        queue = new Map();
        ran++;
        for (const callback of now.values()) callback();
      },
    };
  } else {
    set("requestAnimationFrame", undefined);
    set("cancelAnimationFrame", undefined);
  }

  return {
    window,
    frames,
    [Symbol.dispose]() {
      for (const [name, descriptor] of saved) {
        if (descriptor === undefined) delete g[name];
        else Object.defineProperty(g, name, descriptor);
      }
      window.happyDOM.abort();
      window.close();
    },
  };
}
