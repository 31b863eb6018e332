/**
 * Test support: happy-dom has no layout engine, so this gives the panel the
 * geometry a browser would: the scroll box is `viewport` px tall, each row is
 * as tall as its text's lines (20 px a line, 60 characters a line), the
 * content height is the rows' padding plus the rendered rows, and `scrollTop`
 * is clamped to what can be scrolled, as in a browser.
 */
import type { Window } from "happy-dom";

/** Px per line of text. */
export const LINE_PX = 20;
/** Characters per line. */
export const LINE_CHARS = 60;

/** The height the model gives a row with this text. */
export function rowHeight(text: string): number {
  return LINE_PX * Math.max(1, Math.ceil(text.length / LINE_CHARS));
}

/** Installs the layout model on the window's element prototype. */
export function installLayout(window: Window, viewport = 160): void {
  const proto = (window as unknown as { HTMLElement: { prototype: object } }).HTMLElement
    .prototype;
  const isBox = (el: Element) => el.classList.contains("streamator-log");
  const isRow = (el: Element) => el.parentElement?.classList.contains("streamator-log-rows");
  const contentHeight = (el: Element): number => {
    const rows = el.querySelector(".streamator-log-rows") as HTMLElement | null;
    if (rows === null) return LINE_PX;
    let sum = parseFloat(rows.style.paddingTop || "0") +
      parseFloat(rows.style.paddingBottom || "0");
    for (const row of Array.from(rows.children)) sum += rowHeight(row.textContent ?? "");
    return sum;
  };
  const scrollTops = new WeakMap<Element, number>();
  Object.defineProperties(proto, {
    clientHeight: {
      configurable: true,
      get(this: Element) {
        return isBox(this) ? Math.min(viewport, contentHeight(this)) : 0;
      },
    },
    clientWidth: {
      configurable: true,
      get(this: Element) {
        return isBox(this) ? 400 : 0;
      },
    },
    scrollHeight: {
      configurable: true,
      get(this: Element) {
        return isBox(this) ? contentHeight(this) : 0;
      },
    },
    scrollTop: {
      configurable: true,
      get(this: Element) {
        return scrollTops.get(this) ?? 0;
      },
      set(this: Element & { scrollHeight: number; clientHeight: number }, value: number) {
        const max = Math.max(0, this.scrollHeight - this.clientHeight);
        scrollTops.set(this, Math.max(0, Math.min(max, Number(value) || 0)));
      },
    },
    getBoundingClientRect: {
      configurable: true,
      value(this: Element) {
        const height = isRow(this) ? rowHeight(this.textContent ?? "") : 0;
        return { x: 0, y: 0, top: 0, left: 0, right: 400, bottom: height, width: 400, height };
      },
    },
  });
}
