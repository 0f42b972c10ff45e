/**
 * How a finding reads everywhere: severity, the stable code, the message with the evidence, and the
 * next command to run with a copy button.
 */
import type { Finding } from '../../lib/model/chain';
import { CopyButton } from './copy-button';
import { SeverityIcon, SEVERITY_TEXT } from './health';

/** One line: icon, code and message. For lists where the row links elsewhere. */
export function FindingLine({ finding, className }: { finding: Finding; className?: string }) {
  return (
    <span className={`inline-flex min-w-0 items-start gap-1.5 ${className ?? ''}`}>
      <SeverityIcon severity={finding.severity} className="mt-0.5" />
      <span className="min-w-0">
        <span className="sr-only">{SEVERITY_TEXT[finding.severity]}: </span>
        <code className="mr-1 text-xs font-semibold">{finding.code}</code>
        <span className="break-words">{finding.message}</span>
      </span>
    </span>
  );
}

/** The next command of a finding in a code block with a copy button. */
export function HintBlock({ hint }: { hint: string }) {
  return (
    <div className="mt-2 flex items-start gap-2">
      <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-2 py-1.5 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-zinc-800 dark:bg-zinc-800 dark:text-zinc-100">
        <span className="sr-only">Next step: </span>
        {hint}
      </pre>
      <CopyButton text={hint} label="Copy" what="the command" />
    </div>
  );
}
