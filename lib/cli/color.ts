/** ANSI colours for the terminal output, and the decision whether to use them. */
import type { Health, Severity } from '../model/chain';

/** Functions that wrap text in a colour, or return it unchanged when colour is off. */
export interface Palette {
  enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  health(h: Health, s?: string): string;
  severity(sev: Severity, s?: string): string;
}

/**
 * Colour when stdout is a terminal, unless `--no-color` or a non-empty NO_COLOR says no
 * (https://no-color.org); a non-empty FORCE_COLOR other than `0` forces it (for pagers and tests).
 */
export function wantColor(flag: false | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

/** The palette for a colour decision (see `wantColor`): health green/yellow/red/magenta, severity red/yellow/blue. */
export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  const red = wrap(31, 39);
  const yellow = wrap(33, 39);
  const green = wrap(32, 39);
  const blue = wrap(34, 39);
  const magenta = wrap(35, 39);
  const byHealth: Record<Health, (s: string) => string> = { healthy: green, degraded: yellow, down: red, unknown: magenta };
  const bySeverity: Record<Severity, (s: string) => string> = { critical: red, warning: yellow, info: blue };
  return {
    enabled,
    red,
    yellow,
    green,
    blue,
    magenta,
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    health: (h, s = h) => byHealth[h](s),
    severity: (sev, s = sev) => bySeverity[sev](s),
  };
}
