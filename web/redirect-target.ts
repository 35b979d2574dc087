const SITE = 'http://this-site.invalid';

/**
 * Where to go after signing in: a path on this site and nothing else. Browsers drop tabs and newlines from a URL and
 * read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site; a newline in a Location header is
 * a 500. So the target is printable ASCII without `\`, starts with one `/`, stays so once percent-decoded, and
 * resolves against this site to this site. Anything else is `/`.
 */
export function safeRedirectTarget(next: string | undefined): string {
  if (!next || next.length > 2000 || !/^\/[\x21-\x5b\x5d-\x7e]*$/.test(next)) return '/';
  let decoded = next;
  for (let round = 0; round < 3; round++) {
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return '/';
    }
    if (once === decoded) break;
    decoded = once;
  }
  if (/[\x00-\x1f\x7f\\]/.test(decoded) || !/^\/(?!\/)/.test(decoded)) return '/';
  const url = new URL(next, SITE);
  return url.origin === SITE ? `${url.pathname}${url.search}${url.hash}` : '/';
}
