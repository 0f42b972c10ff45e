'use client';
import { SEVERITY_ORDER, type Finding, type Severity } from '../../lib/model/chain';
import { HintBlock } from '../ui/finding';
import { SeverityBadge, SEVERITY_TEXT } from '../ui/health';

/** One finding in full: severity, code, the object, the message and the next command. `bare`: no frame (inside another box). */
export function FindingCard({ finding: f, onShow, showLabel, bare }: { finding: Finding; onShow?: () => void; showLabel?: string; bare?: boolean }) {
  return (
    <article className={bare ? '' : 'rounded-md border border-zinc-200 p-3 dark:border-zinc-700'} aria-label={`${SEVERITY_TEXT[f.severity]} finding ${f.code}`}>
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={f.severity} />
        <code className="text-sm font-semibold">{f.code}</code>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          {f.object.kind}/{f.object.name}
        </span>
        {onShow ? (
          <button
            type="button"
            onClick={onShow}
            className="ml-auto rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800"
          >
            {showLabel ?? 'Show in diagram'}
          </button>
        ) : null}
      </div>
      <p className="mt-1.5 text-sm break-words">{f.message}</p>
      <HintBlock hint={f.hint} />
    </article>
  );
}

/** Sorts findings critical first, keeping the engine's order within a severity. */
export function bySeverity(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.f.severity) - SEVERITY_ORDER.indexOf(b.f.severity) || a.i - b.i)
    .map((x) => x.f);
}

/**
 * All findings of a domain grouped by severity; each links to its place in the diagram.
 * `placed(f)` says whether the finding's node or edge is drawn.
 */
export function FindingsList({ findings, onShow, placed }: { findings: Finding[]; onShow: (f: Finding) => void; placed: (f: Finding) => boolean }) {
  if (findings.length === 0) return <p className="text-sm">No findings: every link of this chain is healthy.</p>;
  const groups = SEVERITY_ORDER.map((s) => [s, bySeverity(findings).filter((f) => f.severity === s)] as [Severity, Finding[]]).filter(([, fs]) => fs.length > 0);
  return (
    <div className="space-y-4">
      {groups.map(([s, fs]) => (
        <div key={s}>
          <h3 className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
            {SEVERITY_TEXT[s]} ({fs.length})
          </h3>
          <ul className="space-y-2">
            {fs.map((f, i) => (
              <li key={`${f.code}-${i}`}>
                <FindingCard finding={f} onShow={placed(f) ? () => onShow(f) : undefined} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
