'use client';
import { useMemo } from 'react';
import { SEVERITY_ORDER, type Finding, type Severity } from '../../lib/model/chain';
import { groupFindings, type FindingGroup } from '../../lib/model/groups';
import { linkKey } from '../../lib/model/ids';
import { CountBadge, FindingObjects, HintBlock, objectsNoun } from '../ui/finding';
import { SeverityBadge, SEVERITY_TEXT } from '../ui/health';

const SHOW_BUTTON =
  'ml-auto rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800';

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
          <button type="button" onClick={onShow} className={SHOW_BUTTON}>
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
 * Identical findings as one card (see groupFindings): the code with `×count`, the message they share,
 * the objects (each showing its own node in the diagram), and the next command of the first, the worst.
 * A group of one is the finding's own card. `findings` is the flat list the group's members index.
 */
export function FindingGroupCard({
  group,
  findings,
  onShow,
  placed,
}: {
  group: FindingGroup;
  findings: readonly Finding[];
  onShow?: (f: Finding) => void;
  placed?: (f: Finding) => boolean;
}) {
  const members = group.members.map((i) => findings[i]!);
  const first = members[0]!;
  const showOf = (f: Finding) => (onShow && (placed?.(f) ?? true) ? () => onShow(f) : undefined);
  if (group.count === 1) return <FindingCard finding={first} onShow={showOf(first)} />;
  const showFirst = showOf(first);
  // The host's TLS or DNS finding repeated per Ingress is about one node: there is no "first" to show.
  const oneLink = members.every((f) => linkKey(f.link) === linkKey(first.link));
  return (
    <article className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700" aria-label={`${SEVERITY_TEXT[group.severity]} finding ${group.code}`}>
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={group.severity} />
        <code className="text-sm font-semibold">{group.code}</code>
        <CountBadge count={group.count} />
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          on {group.count} {objectsNoun(group.objects)}
        </span>
        {showFirst ? (
          <button type="button" onClick={showFirst} className={SHOW_BUTTON}>
            {oneLink ? 'Show in diagram' : 'Show first in diagram'}
          </button>
        ) : null}
      </div>
      <p className="mt-1.5 text-sm break-words">{group.message}</p>
      <FindingObjects findings={members} onShow={onShow ? showOf : undefined} />
      <HintBlock hint={group.hint} caption={`Next step, for the first (${first.object.kind} ${first.object.name}):`} />
    </article>
  );
}

/** A list of findings as cards, identical ones grouped. */
export function FindingGroupCards({ findings, onShow, placed }: { findings: Finding[]; onShow?: (f: Finding) => void; placed?: (f: Finding) => boolean }) {
  const sorted = useMemo(() => bySeverity(findings), [findings]);
  const groups = useMemo(() => groupFindings(sorted), [sorted]);
  return (
    <ul className="space-y-2">
      {groups.map((g) => (
        <li key={g.key}>
          <FindingGroupCard group={g} findings={sorted} onShow={onShow} placed={placed} />
        </li>
      ))}
    </ul>
  );
}

/**
 * All findings of a domain by severity, identical ones grouped; each links to its place in the
 * diagram. `placed(f)` says whether the finding's node or edge is drawn. A severity's heading counts
 * findings, so "Warning (12)" over one card of 12 crash-looping Pods says the same as the flat list.
 */
export function FindingsList({ findings, onShow, placed }: { findings: Finding[]; onShow: (f: Finding) => void; placed: (f: Finding) => boolean }) {
  const sorted = useMemo(() => bySeverity(findings), [findings]);
  const groups = useMemo(() => groupFindings(sorted), [sorted]);
  if (findings.length === 0) return <p className="text-sm">No findings: every link of this chain is healthy.</p>;
  const bySev = SEVERITY_ORDER.map((s) => [s, groups.filter((g) => g.severity === s)] as [Severity, FindingGroup[]]).filter(([, gs]) => gs.length > 0);
  return (
    <div className="space-y-4">
      {bySev.map(([s, gs]) => (
        <div key={s}>
          <h3 className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
            {SEVERITY_TEXT[s]} ({gs.reduce((n, g) => n + g.count, 0)})
          </h3>
          <ul className="space-y-2">
            {gs.map((g) => (
              <li key={g.key}>
                <FindingGroupCard group={g} findings={sorted} onShow={onShow} placed={placed} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
