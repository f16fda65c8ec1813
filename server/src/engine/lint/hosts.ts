// Finds host names in configuration values: URLs (`http://api.prod:8080/x`), `host:port` pairs,
// and bare names where the variable says it holds a host (`DB_HOST=postgres`).
export interface HostRef {
  host: string;
  port?: number;
  /** offsets of the host inside the value */
  start: number;
  end: number;
}

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  grpc: 80,
  grpcs: 443,
  h2c: 80,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  nats: 4222,
  kafka: 9092,
  memcached: 11211,
  ldap: 389,
  ldaps: 636,
  ftp: 21,
  smtp: 25,
  tcp: 0,
  udp: 0,
};

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = `${LABEL}(?:\\.${LABEL})*\\.?`;
const URL_RE = new RegExp(`\\b([a-z][a-z0-9+.-]*)://(?:[^@/\\s]*@)?(${HOSTNAME})(?::(\\d{1,5}))?`, 'gi');
const HOST_PORT_RE = new RegExp(`(?:^|[\\s,;=])(${HOSTNAME}):(\\d{1,5})(?=$|[\\s,;/])`, 'gi');
const BARE_RE = new RegExp(`^(${HOSTNAME})$`, 'i');
const HOST_VAR = /(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|SERVICE|ENDPOINT|URL|URI|BROKERS?)$/i;

export function findHosts(value: string, where: string): HostRef[] {
  const out: HostRef[] = [];
  if (value.length > 4096) return out;
  // most values (log levels, paths, flags) hold no URL and no host:port: skip those patterns
  const colon = value.includes(':');
  if (colon && value.includes('://'))
    for (const m of value.matchAll(URL_RE)) {
      const scheme = m[1].toLowerCase();
      const host = m[2];
      const start = m.index! + m[0].indexOf(host, m[1].length + 3);
      const port = m[3] ? Number(m[3]) : DEFAULT_PORTS[scheme] || undefined;
      out.push({ host, start, end: start + host.length, ...(port ? { port } : {}) });
    }
  if (out.length) return out.filter(valid);
  if (colon)
    for (const m of value.matchAll(HOST_PORT_RE)) {
      const host = m[1];
      const start = m.index! + m[0].indexOf(host);
      out.push({ host, port: Number(m[2]), start, end: start + host.length });
    }
  if (out.length) return out.filter(valid);
  if (namesHost(where) && BARE_RE.test(value.trim()) && /[a-z]/i.test(value)) {
    const start = value.indexOf(value.trim());
    out.push({ host: value.trim(), start, end: start + value.trim().length });
  }
  return out.filter(valid);
}

/** Whether a bare value at `where` is taken as a host (an env variable named like one): all findHosts reads of `where`. */
export function namesHost(where: string): boolean {
  return where.startsWith('env ') && HOST_VAR.test(where.slice(4));
}

function valid(h: HostRef): boolean {
  if (h.port !== undefined && (h.port < 1 || h.port > 65535)) return false;
  if (/^\d+(\.\d+)*$/.test(h.host)) return false; // an IP or a version number
  return h.host.toLowerCase() !== 'localhost';
}
