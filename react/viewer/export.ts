/** Copy and download for LogViewer: the whole log as text or JSON Lines, from data, not the DOM. */

/**
 * The log as plain text: one line per entry, `time text`.
 */
export function logText(lines: readonly { t: string; text: string }[]): string {
  let out = "";
  for (const line of lines) out += `${line.t} ${line.text}\n`;
  return out;
}

/**
 * Events as JSON Lines: one `JSON.stringify`'d event per line.
 */
export function eventsJsonl(events: readonly unknown[]): string {
  let out = "";
  for (const event of events) out += `${JSON.stringify(event)}\n`;
  return out;
}

/**
 * Puts `text` on the clipboard; false when the browser refused. Without the
 * Clipboard API it copies from a hidden text area, then gives focus back to
 * the element that had it and restores the reader's text selection.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API (or no permission): the older way, from a hidden text area.
    const focused = document.activeElement as HTMLElement | null;
    const selection = document.getSelection();
    const ranges: Range[] = [];
    for (let i = 0; i < (selection?.rangeCount ?? 0); i++) ranges.push(selection!.getRangeAt(i));
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    } finally {
      area.remove();
      focused?.focus({ preventScroll: true });
      selection?.removeAllRanges();
      for (const range of ranges) selection!.addRange(range);
    }
  }
}

/** How long a download's object URL lives: long enough for the browser to start reading it. */
const REVOKE_AFTER_MS = 1_000;

/** Saves `text` as a file named `name` through the browser's download. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
