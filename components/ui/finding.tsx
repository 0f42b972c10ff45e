/**
 * How a finding reads everywhere: severity, the stable code, the message with the evidence, and the
 * next command to run with a copy button. Identical findings come as one group (lib/model/groups.ts):
 * the code with its count, the message they share, and the objects they are about.
 */
import type { Finding } from '../../lib/model/chain';
import { pluralKind } from '../../lib/model/groups';
import type { ObjectRef } from '../../lib/model/k8s';
import { CopyButton } from './copy-button';
import { SeverityIcon, SEVERITY_TEXT } from './health';

/**
 * One line: icon, code and message; with `count` (a group of identical findings), `×count` after the
 * code. For lists where the row links elsewhere.
 */
export function FindingLine({ finding, count, className }: { finding: Pick<Finding, 'severity' | 'code' | 'message'>; count?: number; className?: string }) {
  return (
    <span className={`inline-flex min-w-0 items-start gap-1.5 ${className ?? ''}`}>
      <SeverityIcon severity={finding.severity} className="mt-0.5" />
      <span className="min-w-0">
        <span className="sr-only">{SEVERITY_TEXT[finding.severity]}: </span>
        <code className="mr-1 text-xs font-semibold">{finding.code}</code>
        {count !== undefined && count > 1 ? <CountBadge count={count} /> : null}
        <span className="break-words">{finding.message}</span>
      </span>
    </span>
  );
}

/** `×12`, read as "12 times". */
export function CountBadge({ count }: { count: number }) {
  return (
    <span className="mr-1 inline-block rounded-full bg-zinc-200 px-1.5 text-xs font-semibold tabular-nums text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100">
      <span aria-hidden="true">×{count}</span>
      <span className="sr-only">{count} times</span>
    </span>
  );
}

/** The next command of a finding in a code block with a copy button. */
export function HintBlock({ hint, caption }: { hint: string; caption?: string }) {
  return (
    <div className="mt-2">
      {caption ? <p className="mb-0.5 text-xs text-zinc-600 dark:text-zinc-400">{caption}</p> : null}
      <div className="flex items-start gap-2">
        <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-2 py-1.5 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-zinc-800 dark:bg-zinc-800 dark:text-zinc-100">
          <span className="sr-only">Next step: </span>
          {hint}
        </pre>
        <CopyButton text={hint} label="Copy" what="the command" />
      </div>
    </div>
  );
}

/** Objects named in a list before the rest folds away. */
const SHOWN_OBJECTS = 4;

/** `Pods`, or `objects` for a mix of kinds. */
export function objectsNoun(objects: readonly ObjectRef[]): string {
  const kinds = new Set(objects.map((o) => o.kind));
  const kind = objects[0]?.kind ?? 'object';
  if (kinds.size > 1) return objects.length === 1 ? 'object' : 'objects';
  return objects.length === 1 ? kind : pluralKind(kind);
}

/**
 * The objects of a group of identical findings. Up to four are listed; a longer list shows the first
 * few and folds the whole list away, so twelve Pods take one line until asked for. With `onShow`,
 * each name is a button that shows that object's own finding (its node) in the diagram.
 */
export function FindingObjects({ findings, onShow }: { findings: readonly Finding[]; onShow?: (f: Finding) => ((() => void) | undefined) }) {
  const objects = findings.map((f) => f.object);
  const namespaces = new Set(objects.map((o) => o.namespace ?? ''));
  const label = (o: ObjectRef) => (namespaces.size > 1 && o.namespace ? `${o.namespace}/${o.name}` : o.name);
  const noun = `${findings.length} ${objectsNoun(objects)}`;
  const items = (
    <ul aria-label={noun} className="flex flex-wrap gap-1.5">
      {findings.map((f, i) => {
        const show = onShow?.(f);
        return (
          <li key={`${label(f.object)}-${i}`}>
            {show ? (
              <button
                type="button"
                onClick={show}
                aria-label={`Show ${f.object.kind} ${label(f.object)} in diagram`}
                className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs break-all hover:bg-zinc-200 hover:underline dark:bg-zinc-800 dark:hover:bg-zinc-700"
              >
                {label(f.object)}
              </button>
            ) : (
              <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs break-all dark:bg-zinc-800">{label(f.object)}</code>
            )}
          </li>
        );
      })}
    </ul>
  );
  if (findings.length <= SHOWN_OBJECTS) {
    return (
      <div className="mt-1.5 flex flex-wrap items-baseline gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span>{noun}:</span>
        {items}
      </div>
    );
  }
  const first = objects.slice(0, SHOWN_OBJECTS - 1).map(label).join(', ');
  return (
    <details className="group mt-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <summary className="cursor-pointer select-none break-all hover:text-zinc-900 dark:hover:text-zinc-100">
        {noun}
        {/* Open, the list below names them all: the summary is only the count. */}
        <span className="group-open:hidden">
          : <span className="font-mono">{first}</span> and {findings.length - (SHOWN_OBJECTS - 1)} more
        </span>
      </summary>
      <div className="mt-1.5">{items}</div>
    </details>
  );
}
