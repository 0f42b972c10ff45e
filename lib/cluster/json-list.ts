/**
 * Pretty-printed JSON Lists, as `kubectl get ... -A -o json` writes them, read item by item, a few MB of
 * the file at a time. JSON.parse of a whole List builds every raw object before the first one can be
 * slimmed, and they all outlive many collections. Parsed one item at a time, each raw object is garbage
 * as soon as it is slimmed and dies young. Memory stays at one window of the file, and a file too large
 * for one string can still be read.
 *
 * In valid JSON a line break never falls inside a string. So in a List printed with one item per
 * indented block, an item ends at the first `}` that opens a line at the first item's indentation. A cut
 * there is trusted only once the piece parses as one JSON value: a piece that parses is balanced, so it
 * is exactly one item. The List's own members (all but the items) must parse too, around an empty
 * `items` array, before the first item is handed over.
 *
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** How much of the file is read at a time. */
const CHUNK = 4 * 1024 * 1024;
/** The List's members before and after its items must fit in this many bytes. */
const EDGE = 64 * 1024;

const NL = 0x0a;
const SPACE = 0x20;
const isJsonSpace = (c: number | undefined) => c === SPACE || c === NL || c === 0x0d || c === 0x09;
/** Members before `"items"` that are plain scalars: then `"items"` is a key of the top-level object. */
const SCALAR_MEMBERS =
  /^\{(?:[ \t\r\n]*"(?:[^"\\\n]|\\.)*"[ \t\r\n]*:[ \t\r\n]*(?:"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)[ \t\r\n]*,)*[ \t\r\n]*$/;

/** What the reader tells its caller. */
export interface JsonListHandler {
  /**
   * The List's own members, with `items` empty. Called once, before any item; returning false stops the
   * reading (the file is then not read as a List).
   */
  head(list: Record<string, unknown>): boolean;
  /** Each item, parsed, in file order. */
  item(value: unknown, index: number): void;
}

/**
 * Read a JSON List file item by item. Returns true when every item was handed over. False when the file
 * is not a List printed one item per indented block (YAML, compact JSON, a single object, broken JSON):
 * the caller then reads it whole. When false comes after `head` accepted the List, items may have been
 * handed over already: the caller undoes them. Throws only when the file cannot be read.
 */
export function readJsonList(file: string, handler: JsonListHandler): boolean {
  const fd = openSync(file, 'r');
  try {
    return readList(new Window(fd, fstatSync(fd).size), handler);
  } finally {
    closeSync(fd);
  }
}

/** Bytes `[start, start + view.length)` of the file. */
class Window {
  private buf: Buffer;
  view: Buffer;
  start = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, size)));
    this.view = this.buf.subarray(0, 0);
  }

  /** Read on, keeping the bytes from file offset `keep` on; false at the end of the file. */
  more(keep: number): boolean {
    const kept = this.start + this.view.length - keep;
    if (kept >= this.buf.length) {
      // One item larger than the window: the window grows to hold it.
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, keep - this.start, this.view.length);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, keep - this.start, this.view.length);
    }
    this.start = keep;
    const n = readSync(this.fd, this.buf, kept, this.buf.length - kept, keep + kept);
    this.view = this.buf.subarray(0, kept + n);
    return n > 0;
  }

  /** The byte at file offset `at`, reading on (keeping from `keep`) as needed; undefined past the end. */
  byte(at: number, keep: number): number | undefined {
    while (at >= this.start + this.view.length) if (!this.more(keep)) return undefined;
    return this.view[at - this.start];
  }

  /** The first offset from `from` on that is not JSON whitespace. */
  skipSpace(from: number, keep: number): number {
    let at = from;
    while (isJsonSpace(this.byte(at, keep))) at++;
    return at;
  }

  text(from: number, to: number): string {
    return this.view.toString('utf8', from - this.start, to - this.start);
  }

  /** The file's last `length` bytes (or all of it), apart from the window. */
  end(length: number): { bytes: Buffer; at: number } {
    const bytes = Buffer.allocUnsafe(Math.min(length, this.size));
    const at = this.size - bytes.length;
    readSync(this.fd, bytes, 0, bytes.length, at);
    return { bytes, at };
  }
}

function readList(w: Window, handler: JsonListHandler): boolean {
  // The head: everything up to the first item lies in the first window (the window starts at 0 and
  // only grows while `keep` is 0).
  w.more(0);
  const bom = w.view[0] === 0xef && w.view[1] === 0xbb && w.view[2] === 0xbf ? 3 : 0;
  const begin = w.skipSpace(bom, 0);
  if (w.byte(begin, 0) !== 0x7b) return false; // {
  const key = w.view.indexOf('"items"', begin);
  if (key < 0 || key - begin > EDGE || !SCALAR_MEMBERS.test(w.text(begin, key))) return false;
  let open = w.skipSpace(key + '"items"'.length, 0);
  if (w.byte(open, 0) !== 0x3a) return false; // :
  open = w.skipSpace(open + 1, 0);
  if (w.byte(open, 0) !== 0x5b) return false; // [
  const first = w.skipSpace(open + 1, 0);
  if (w.byte(first, 0) !== 0x7b) return false; // an empty List, or one not printed one item per block
  const lineStart = w.view.lastIndexOf(NL, first) + 1;
  if (lineStart <= open || !spaces(w.view, lineStart, first)) return false;
  const indent = first - lineStart;

  const close = closingBracket(w, indent);
  if (close === undefined || close.at <= first) return false;
  let head: unknown;
  try {
    head = JSON.parse(`${w.text(begin, open + 1)}${close.rest}`);
  } catch {
    return false;
  }
  const h = head as Record<string, unknown>;
  if (!Array.isArray(h.items) || h.items.length !== 0 || !handler.head(h)) return false;

  let s = first;
  let searchFrom = first + 1;
  for (let index = 0; ; index++) {
    // The item's end: the first `}` opening a line at the items' indentation.
    let e: number;
    for (;;) {
      const rel = w.view.indexOf(0x7d, searchFrom - w.start);
      if (rel < 0) {
        searchFrom = w.start + w.view.length;
        if (!w.more(s - indent - 1)) return false;
        continue;
      }
      e = w.start + rel;
      searchFrom = e + 1;
      if (w.view[e - indent - 1 - w.start] === NL && spaces(w.view, e - indent - w.start, e - w.start)) break;
    }
    let item: unknown;
    try {
      item = JSON.parse(w.text(s, e + 1));
    } catch {
      return false;
    }
    handler.item(item, index);
    const next = w.skipSpace(e + 1, e + 1);
    const c = w.byte(next, e + 1);
    if (c === 0x5d) return next === close.at; // ]
    if (c !== 0x2c) return false; // ,
    s = w.skipSpace(next + 1, next + 1);
    // The next item opens its own line, at the same indentation: the bytes kept from its line start on.
    if (w.byte(s, s) !== 0x7b || s - indent - 1 <= next) return false;
    searchFrom = s + 1;
  }
}

/**
 * The List's `]` after its last item, found from the end of the file, and the text from there on; the
 * text must not name `items` again (a second `items` member would win in JSON.parse).
 */
function closingBracket(w: Window, indent: number): { at: number; rest: string } | undefined {
  const { bytes: tail, at: base } = w.end(EDGE);
  const lastEnd = tail.lastIndexOf(`\n${' '.repeat(indent)}}`);
  if (lastEnd < 0) return undefined;
  let at = lastEnd + indent + 2;
  while (isJsonSpace(tail[at])) at++;
  if (tail[at] !== 0x5d) return undefined;
  const rest = tail.toString('utf8', at);
  return rest.includes('"items"') ? undefined : { at: base + at, rest };
}

function spaces(b: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (b[k] !== SPACE) return false;
  return true;
}
