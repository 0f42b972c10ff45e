/**
 * A tiny authoritative DNS server on loopback UDP, for the demo and the probe tests: it answers A, AAAA
 * and CNAME from a record map, NXDOMAIN for names it does not know, and NODATA (NOERROR, no answer) for
 * names that exist without the asked type. Like an authoritative server it follows CNAMEs that stay
 * inside its own records and puts the whole chain in the answer.
 *
 * Tests point the probes at it, so DNS lookups in tests never reach the machine's resolver.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import * as dnsPacket from 'dns-packet';

/** The records of one name. */
export interface DnsRecordSet {
  A?: string[];
  AAAA?: string[];
  /** A name with a CNAME has no other records (RFC 1034 3.6.2). */
  CNAME?: string;
}

export interface DnsServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A loopback IPv4 address (127.0.0.0/8). Default 127.0.0.1. */
  address?: string;
  /** Name (case-insensitive, no trailing dot) -> records. */
  records: Record<string, DnsRecordSet>;
}

export interface DnsServer {
  address: string;
  port: number;
  /** `address:port`, the form the probe's `servers` and `CHAINBOARD_DNS_SERVERS` take. */
  server: string;
  /** Replace the records of a name; `undefined` removes the name (it then answers NXDOMAIN). */
  set(name: string, records: DnsRecordSet | undefined): void;
  /** Queries received since start. */
  queries(): number;
  stop(): Promise<void>;
}

const TTL = 60;
const MAX_CHAIN = 8;

const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

type Answer = dnsPacket.Answer;

/** Build the answer section and rcode for one question, following in-zone CNAMEs. */
function answer(records: Map<string, DnsRecordSet>, qname: string, qtype: string): { rcode: number; answers: Answer[] } {
  const answers: Answer[] = [];
  let name = qname;
  let set = records.get(norm(name));
  if (!set) return { rcode: 3 /* NXDOMAIN */, answers };
  for (let hops = 0; set && hops < MAX_CHAIN; hops++) {
    if (set.CNAME && qtype !== 'CNAME') {
      answers.push({ name, type: 'CNAME', class: 'IN', ttl: TTL, data: set.CNAME });
      name = set.CNAME;
      set = records.get(norm(name));
      continue;
    }
    if (qtype === 'A') for (const data of set.A ?? []) answers.push({ name, type: 'A', class: 'IN', ttl: TTL, data });
    if (qtype === 'AAAA') for (const data of set.AAAA ?? []) answers.push({ name, type: 'AAAA', class: 'IN', ttl: TTL, data });
    if (qtype === 'CNAME' && set.CNAME) answers.push({ name, type: 'CNAME', class: 'IN', ttl: TTL, data: set.CNAME });
    break;
  }
  // An empty answer with NOERROR is NODATA: the name exists, the type does not.
  return { rcode: 0, answers };
}

/** Start the server on UDP. */
export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const address = opts.address ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) {
    throw new Error(`the demo DNS server only listens on 127.0.0.0/8, not ${address}`);
  }
  const records = new Map<string, DnsRecordSet>();
  for (const [name, set] of Object.entries(opts.records)) records.set(norm(name), set);
  let received = 0;

  const socket = createSocket('udp4');
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    received++;
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // not DNS: drop it, as servers do
    }
    const question = query.questions?.[0];
    let rcode = 4; // NOTIMP for anything but a single standard query
    let answers: Answer[] = [];
    if (question && query.type === 'query') ({ rcode, answers } = answer(records, question.name, question.type));
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions: query.questions ?? [],
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  // A send to a client that went away must not crash the demo.
  socket.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? 0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;

  return {
    address,
    port,
    server: `${address}:${port}`,
    set(name, set) {
      if (set) records.set(norm(name), set);
      else records.delete(norm(name));
    },
    queries: () => received,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
