'use client';
import type { Finding } from '../../lib/model/chain';
import { FindingLine, HintBlock } from '../ui/finding';
import { FindingCard } from './findings';

/**
 * The body of the domain's summary banner. A symptom whose causes the engine linked reads "because"
 * its first cause, with that cause's command (a crash loop's `logs --previous`, a pending Pod's
 * `describe`): the command that shows the fault, not the symptom. The symptom's own command stays one
 * click away, and the other causes are named. Without causes, the symptom is shown whole.
 */
export function SymptomAndCause({
  symptom,
  causes,
  onShow,
  canShow,
}: {
  symptom: Finding;
  causes: readonly Finding[];
  onShow: (f: Finding) => void;
  canShow: (f: Finding) => boolean;
}) {
  const show = (f: Finding) => (canShow(f) ? () => onShow(f) : undefined);
  const [first, ...others] = causes;
  if (!first) return <FindingCard bare finding={symptom} onShow={show(symptom)} />;
  return (
    <div className="space-y-3" data-slot="symptom-cause">
      <div className="flex flex-wrap items-start gap-2">
        <FindingLine finding={symptom} className="min-w-0 flex-1 text-sm" />
        {show(symptom) ? (
          <button
            type="button"
            onClick={show(symptom)}
            className="rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800"
          >
            Show in diagram
          </button>
        ) : null}
      </div>
      <section aria-label="Cause" className="rounded-md border border-zinc-300 bg-white p-3 dark:border-zinc-600 dark:bg-zinc-900">
        <p className="mb-1.5 text-sm font-semibold">Because</p>
        <FindingCard bare finding={first} onShow={show(first)} showLabel={`Show ${first.object.kind} in diagram`} />
        {others.length ? (
          <p className="mt-2 text-xs text-zinc-700 dark:text-zinc-300">
            Also: {others.map((c) => `${c.object.kind} ${c.object.name} (${c.code})`).join(', ')}
          </p>
        ) : null}
      </section>
      <details className="text-sm">
        <summary className="cursor-pointer text-xs font-medium text-zinc-700 dark:text-zinc-300">The symptom&apos;s own evidence</summary>
        <HintBlock hint={symptom.hint} />
      </details>
    </div>
  );
}
