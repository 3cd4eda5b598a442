import dns from 'dns/promises';
import net from 'net';
import ipaddr from 'ipaddr.js';
import { badRequest } from './errors';

/**
 * Endpoint URL rules: https only, and no private, loopback or link-local target, unless the host
 * (name, address or CIDR range) is listed in `allowedHosts`. This keeps an admin account from
 * aiming deliveries at internal services.
 */

const PUBLIC_RANGE = 'unicast';

function isListed(host: string, addresses: string[], allowedHosts: string[]): boolean {
  const name = host.toLowerCase();
  for (const entry of allowedHosts) {
    const item = entry.trim().toLowerCase();
    if (item === name) {
      return true;
    }
    if (item.includes('/') && ipaddr.isValidCIDR(item)) {
      const range = ipaddr.parseCIDR(item);
      if (addresses.some((address) => matchesRange(address, range))) {
        return true;
      }
    } else if (ipaddr.isValid(item) && addresses.some((address) => sameAddress(address, item))) {
      return true;
    }
  }
  return false;
}

function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

function sameAddress(left: string, right: string): boolean {
  return normalize(left).toString() === normalize(right).toString();
}

function matchesRange(address: string, range: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  const parsed = normalize(address);
  return parsed.kind() === range[0].kind() && parsed.match(range);
}

async function resolveHost(host: string): Promise<string[]> {
  if (net.isIP(host)) {
    return [host];
  }
  try {
    const records = await dns.lookup(host, { all: true, verbatim: true });
    return records.map((record) => record.address);
  } catch {
    return [];
  }
}

/** Throws a 400 with code ENDPOINT_URL_REJECTED naming the URL and the fix, or returns the parsed URL. */
export async function checkEndpointUrl(text: unknown, allowedHosts: string[]): Promise<URL> {
  let url: URL;
  try {
    url = new URL(String(text));
  } catch {
    throw badRequest('ENDPOINT_URL_INVALID', `url "${String(text).slice(0, 200)}" is not a valid absolute URL.`, {
      value: String(text).slice(0, 200),
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await resolveHost(host);
  const listed = isListed(host, addresses, allowedHosts);
  const hint = `add "${host}" to the plugin config allowedHosts (config/plugins, skill-mapping.config.allowedHosts) if this receiver is trusted`;

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badRequest('ENDPOINT_URL_REJECTED', `url "${url.href}" uses ${url.protocol}; endpoints must use https.`, { value: url.href });
  }
  if (url.protocol === 'http:' && !listed) {
    throw badRequest('ENDPOINT_URL_REJECTED', `url "${url.href}" uses plain http; use https, or ${hint}.`, { value: url.href });
  }
  if (url.username || url.password) {
    throw badRequest('ENDPOINT_URL_REJECTED', `url "${url.origin}" contains credentials; remove them, the signature authenticates each delivery.`, {
      value: url.origin,
    });
  }
  if (addresses.length === 0 && !listed) {
    throw badRequest('ENDPOINT_URL_REJECTED', `url "${url.href}": host "${host}" does not resolve; check the name.`, { value: url.href });
  }
  const internal = addresses.find((address) => normalize(address).range() !== PUBLIC_RANGE);
  if (internal && !listed) {
    throw badRequest(
      'ENDPOINT_URL_REJECTED',
      `url "${url.href}" points to ${internal}, a ${normalize(internal).range()} address; internal targets are rejected. Use a public address, or ${hint}.`,
      { value: url.href, address: internal },
    );
  }
  return url;
}

/**
 * Returns a DNS lookup for delivery requests that applies the address rules at connection time.
 * A name that now resolves to an internal address (DNS rebinding, or a changed record) is
 * rejected before the socket connects. The lookup returns `[address, family]`, as axios expects.
 */
export function guardedLookup(allowedHosts: string[]) {
  return async (hostname: string): Promise<[string, number]> => {
    const records = await dns.lookup(hostname, { all: true, verbatim: true });
    if (records.length === 0) throw Object.assign(new Error(`host ${hostname} does not resolve`), { code: 'ENOTFOUND' });
    const addresses = records.map((record) => record.address);
    if (!isListed(hostname, addresses, allowedHosts)) {
      const internal = addresses.find((address) => normalize(address).range() !== PUBLIC_RANGE);
      if (internal) {
        throw Object.assign(
          new Error(`host ${hostname} now resolves to ${internal}, a ${normalize(internal).range()} address; internal targets are rejected unless the host is listed in allowedHosts`),
          { code: 'ENDPOINT_URL_REJECTED' },
        );
      }
    }
    return [records[0]!.address, records[0]!.family];
  };
}
