/**
 * Where a process connects, seen from outside: the sockets its file descriptors hold, looked up in the
 * kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6) every few milliseconds while a check runs.
 * Linux only; the battery runs where the project's tests run.
 *
 * A sampler cannot see a connection attempt that fails within one interval, which is why the SSRF check
 * also counts the names asked at the DNS relay and the SNI at the TLS relay (scripts/battery/relays.ts).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processTree } from '../../bench/cluster/proc';

/** One socket of the kernel's tables. */
interface SocketEntry {
  proto: 'tcp' | 'udp';
  localPort: number;
  remote: string;
  remotePort: number;
  listening: boolean;
}

/** What a sampler saw while it ran. */
export interface SocketReport {
  samples: number;
  /** Outgoing sockets by `proto address:port`, with the number of samples each was seen in. */
  outbound: Map<string, number>;
  /** The outgoing sockets whose peer is not one of the allowed ones. */
  unexpected: string[];
}

/** A hex address of /proc/net/tcp{,6}: 32-bit words in host (little-endian) order. */
function parseAddress(hex: string): string {
  const [addr = '', port = '0'] = hex.split(':');
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  const p = parseInt(port, 16);
  if (bytes.length === 4) return `${bytes.join('.')}:${p}`;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is shown as the IPv4 address it is.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `${bytes.slice(12).join('.')}:${p}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return `[${groups.join(':')}]:${p}`;
}

function socketTable(): Map<string, SocketEntry> {
  const table = new Map<string, SocketEntry>();
  for (const file of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    let text = '';
    try {
      text = readFileSync(`/proc/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = parseAddress(f[1] ?? '');
      const remote = parseAddress(f[2] ?? '');
      const remotePort = Number(remote.slice(remote.lastIndexOf(':') + 1));
      const proto = file.startsWith('tcp') ? 'tcp' : 'udp';
      table.set(f[9] ?? '', {
        proto,
        localPort: Number(local.slice(local.lastIndexOf(':') + 1)),
        remote: remote.slice(0, remote.lastIndexOf(':')),
        remotePort,
        // TCP state 0A is LISTEN; an unconnected UDP socket has no peer.
        listening: (proto === 'tcp' && f[3] === '0A') || remotePort === 0,
      });
    }
  }
  return table;
}

function socketInodes(pid: number): string[] {
  const inodes: string[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.push(m[1]);
    } catch {
      // Closed between the listing and the read.
    }
  }
  return inodes;
}

function allPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** The process listening on TCP `port` (on any address), if one can be seen. */
export function pidListeningOn(port: number): number | undefined {
  const table = socketTable();
  const inodes = new Set([...table].filter(([, s]) => s.proto === 'tcp' && s.listening && s.localPort === port).map(([inode]) => inode));
  if (!inodes.size) return undefined;
  for (const pid of allPids()) if (socketInodes(pid).some((i) => inodes.has(i))) return pid;
  return undefined;
}

const isLoopback = (address: string) => /^127\./.test(address) || address === '[0:0:0:0:0:0:0:1]';

/**
 * Samples the outgoing sockets of `pid` and its descendants every `intervalMs` until `stop()`. Sockets
 * accepted on `ownPort` (its clients) are not outgoing; an outgoing socket is expected when its peer is on
 * loopback at one of `allowedPorts`.
 */
export function sampleSockets(pid: number, ownPort: number, allowedPorts: ReadonlySet<number>, intervalMs = 50): { stop(): SocketReport } {
  const report: SocketReport = { samples: 0, outbound: new Map(), unexpected: [] };
  let tree = processTree(pid);
  const sample = () => {
    if (report.samples % 20 === 0) tree = processTree(pid);
    report.samples++;
    const table = socketTable();
    for (const p of tree) {
      for (const inode of socketInodes(p)) {
        const s = table.get(inode);
        if (!s || s.listening || s.localPort === ownPort) continue;
        const key = `${s.proto} ${s.remote}:${s.remotePort}`;
        report.outbound.set(key, (report.outbound.get(key) ?? 0) + 1);
        if (!(isLoopback(s.remote) && allowedPorts.has(s.remotePort)) && !report.unexpected.includes(key)) report.unexpected.push(key);
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return report;
    },
  };
}
