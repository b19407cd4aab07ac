/**
 * Which hostnames a certificate covers, by ACM's rule: a name covers itself only, and a wildcard
 * `*.example.com` covers exactly one more label (`a.example.com`): never the apex `example.com`, nor
 * `a.b.example.com`. Compared case-insensitively, a trailing dot ignored. The one place for this rule.
 */
export function nameCovers(certificateName: string, hostname: string): boolean {
  const name = normal(certificateName);
  const host = normal(hostname);
  if (!name.startsWith('*.')) return name === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}

/** The hostnames none of a certificate's names (its DomainName and SubjectAlternativeNames) cover. */
export function uncoveredHostnames(
  certificateNames: readonly string[],
  hostnames: readonly string[],
): string[] {
  return hostnames.filter((host) => !certificateNames.some((name) => nameCovers(name, host)));
}

/**
 * The names to request a certificate for so it covers every hostname: the apex itself, and `*.<apex>`
 * for the API hostnames one label below it (the topology's `<api>.<domain>`); any other hostname as is.
 */
export function namesToRequest(domain: string, hostnames: readonly string[]): string[] {
  const names = hostnames.map((host) => (nameCovers(`*.${domain}`, host) ? `*.${domain}` : host));
  return [...new Set(names)].sort((a, b) => rank(a, domain) - rank(b, domain) || a.localeCompare(b));
}

function rank(name: string, domain: string): number {
  return name === domain ? 0 : name === `*.${domain}` ? 1 : 2;
}

function normal(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
