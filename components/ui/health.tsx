/**
 * Health and severity shown as icon + word + colour together: colour is never the only signal, so the
 * state reads the same for colour-blind users, in a greyscale print and to a screen reader.
 */
import { HEALTH_ORDER, type Health, type LinkHealth, type Severity } from '../../lib/model/chain';

/**
 * The word for each health, as the badges show it; `not-checked` is a TLS or DNS link nothing verified,
 * which is never drawn as healthy.
 */
export const HEALTH_TEXT: Record<LinkHealth, string> = { healthy: 'Healthy', degraded: 'Degraded', down: 'Down', unknown: 'Unknown', 'not-checked': 'Not checked' };
/** The word for each finding severity. */
export const SEVERITY_TEXT: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

/** Text colour per health (full class names so Tailwind finds them). */
export const HEALTH_TEXT_CLASS: Record<LinkHealth, string> = {
  healthy: 'text-healthy',
  degraded: 'text-degraded',
  down: 'text-down',
  unknown: 'text-unknown',
  'not-checked': 'text-unchecked',
};

const BADGE_CLASS: Record<LinkHealth, string> = {
  healthy: 'text-healthy border-healthy/40 bg-healthy/10',
  degraded: 'text-degraded border-degraded/50 bg-degraded/10',
  down: 'text-down border-down/50 bg-down/10',
  unknown: 'text-unknown border-unknown/50 bg-unknown/10',
  'not-checked': 'text-unchecked border-unchecked/50 border-dashed bg-unchecked/10',
};

const SEVERITY_HEALTH: Record<Severity, Health> = { critical: 'down', warning: 'degraded', info: 'unknown' };

type Glyph = 'check' | 'warn' | 'cross' | 'question' | 'info' | 'dash';
const HEALTH_GLYPH: Record<LinkHealth, Glyph> = { healthy: 'check', degraded: 'warn', down: 'cross', unknown: 'question', 'not-checked': 'dash' };
const SEVERITY_GLYPH: Record<Severity, Glyph> = { critical: 'cross', warning: 'warn', info: 'info' };

/** The path data of each glyph on a 16x16 grid; shared with the SVG diagram, which draws them inline. */
export const GLYPH_PATHS: Record<Glyph, { shape: string; mark: string }> = {
  check: { shape: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', mark: 'M4.8 8.3l2.2 2.2 4.3-4.6' },
  warn: { shape: 'M8 1.5l7 12.5H1z', mark: 'M8 6v3.6M8 11.6v.4' },
  cross: { shape: 'M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z', mark: 'M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8' },
  question: { shape: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', mark: 'M6.2 6.2a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.5M8 11.6v.4' },
  info: { shape: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', mark: 'M8 7.2v4.2M8 4.6v.4' },
  dash: { shape: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', mark: 'M4.8 8h6.4' },
};

/** The glyph of a health state, for the diagram's SVG. */
export const healthGlyph = (h: LinkHealth) => GLYPH_PATHS[HEALTH_GLYPH[h]];

function GlyphSvg({ glyph, className }: { glyph: Glyph; className?: string }) {
  const g = GLYPH_PATHS[glyph];
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={`inline-block h-4 w-4 shrink-0 ${className ?? ''}`}>
      <path d={g.shape} fill="currentColor" opacity="0.18" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      <path d={g.mark} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** The icon of a health state; decorative (pair it with text). */
export function HealthIcon({ health, className }: { health: LinkHealth; className?: string }) {
  return <GlyphSvg glyph={HEALTH_GLYPH[health]} className={`${HEALTH_TEXT_CLASS[health]} ${className ?? ''}`} />;
}

/** The icon of a severity; decorative (pair it with text). */
export function SeverityIcon({ severity, className }: { severity: Severity; className?: string }) {
  return <GlyphSvg glyph={SEVERITY_GLYPH[severity]} className={`${HEALTH_TEXT_CLASS[SEVERITY_HEALTH[severity]]} ${className ?? ''}`} />;
}

/** A zero count: neutral, not the health's colour, and still readable (no opacity: it fails contrast). */
const MUTED_BADGE_CLASS = 'text-zinc-600 border-zinc-300 dark:text-zinc-400 dark:border-zinc-700';

/**
 * A pill with icon and word, e.g. "✕ Down". `label` replaces the word (e.g. "3 down"); `muted` draws it
 * neutral (a count of zero).
 */
export function HealthBadge({ health, label, size = 'md', muted = false }: { health: LinkHealth; label?: string; size?: 'sm' | 'md' | 'lg'; muted?: boolean }) {
  const sz = size === 'lg' ? 'px-3 py-1 text-base' : size === 'sm' ? 'px-1.5 py-0 text-xs' : 'px-2 py-0.5 text-sm';
  return (
    <span className={`inline-flex items-center gap-1 rounded-full border font-medium whitespace-nowrap ${sz} ${muted ? MUTED_BADGE_CLASS : BADGE_CLASS[health]}`}>
      {muted ? <GlyphSvg glyph={HEALTH_GLYPH[health]} className="text-zinc-500 dark:text-zinc-400" /> : <HealthIcon health={health} />}
      {label ?? HEALTH_TEXT[health]}
    </span>
  );
}

/** A pill for a finding's severity. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const h = SEVERITY_HEALTH[severity];
  return (
    <span className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-semibold uppercase tracking-wide whitespace-nowrap ${BADGE_CLASS[h]}`}>
      <SeverityIcon severity={severity} />
      {SEVERITY_TEXT[severity]}
    </span>
  );
}

/** Domain counts per health, worst first, zeros neutral; each count reads as "2 down". */
export function HealthCounts({ counts, className }: { counts: Record<Health, number>; className?: string }) {
  return (
    <ul className={`flex flex-wrap gap-1.5 ${className ?? ''}`} aria-label="Domains by health">
      {HEALTH_ORDER.map((h) => (
        <li key={h}>
          <HealthBadge health={h} size="sm" label={`${counts[h]} ${h}`} muted={counts[h] === 0} />
        </li>
      ))}
    </ul>
  );
}
