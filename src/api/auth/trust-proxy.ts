/**
 * `NEXTOFFER_TRUST_PROXY` as Fastify's `trustProxy`: empty — trust no proxy (the socket address is
 * the client); a hop count — trust that many proxies in front; otherwise a comma-separated list of
 * addresses, CIDRs or the proxy-addr names `loopback`, `linklocal`, `uniquelocal`.
 */
import { isIP } from 'node:net';
import { AppError } from '../../errors.js';

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export function trustProxyOption(
  raw: string,
): false | string[] | ((address: string, hop: number) => boolean) {
  const value = raw.trim();
  if (value === '') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  const items = value.split(',').map((s) => s.trim());
  for (const item of items) {
    const [ip, bits, extra] = item.split('/');
    const family = isIP(ip);
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!NAMES.has(item) && (family === 0 || !okBits || extra !== undefined))
      throw new AppError(
        'CONFIG_INVALID',
        `NEXTOFFER_TRUST_PROXY=${JSON.stringify(raw)}: ${JSON.stringify(item)} must be a hop count, an IP address, a CIDR or one of loopback, linklocal, uniquelocal`,
      );
  }
  return items;
}
