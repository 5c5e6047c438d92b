import type { ConfigProblem } from './config-error.js';
import type { Env } from './env-reader.js';

/**
 * Reads `CORS_ORIGINS`: the exact origins (`scheme://host[:port]`, no path, no trailing slash)
 * whose pages may call the API from a browser. Unset = none: nothing cross-origin works until
 * someone names an origin. `*` (alone) lets every origin read responses; it is refused with
 * `NODE_ENV=production`, where an API that serves users' tokens names the apps it serves.
 *
 * @returns the origins as given (or `['*']`); problems are pushed to `problems`
 * @see Fetch standard §3.2 (CORS protocol), RFC 6454 §6.1 (ASCII serialisation of an origin)
 */
export function readCorsOrigins(env: Env, production: boolean, problems: ConfigProblem[]): readonly string[] {
  const origins = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (origins.includes('*')) {
    if (origins.length > 1) {
      problems.push({ variable: 'CORS_ORIGINS', problem: '"*" is mixed with named origins', fix: 'set CORS_ORIGINS to "*" alone, or to a comma list of exact origins' });
    } else if (production) {
      problems.push({
        variable: 'CORS_ORIGINS',
        problem: '"*" lets every web page read the API with its users\' credentials, and is refused with NODE_ENV=production',
        fix: 'set CORS_ORIGINS to the exact origins of your web apps, e.g. https://app.example.com',
      });
    }
    return ['*'];
  }
  for (const origin of origins) {
    // The browser sends the origin's serialisation; anything else can never match it.
    if (serialisedOrigin(origin) !== origin) {
      problems.push({
        variable: 'CORS_ORIGINS',
        problem: `"${origin}" is not an origin (scheme://host[:port], no path, no trailing slash, default port left out)`,
        fix: `write it as the browser sends it in the Origin header${serialisedOrigin(origin) ? `, e.g. ${serialisedOrigin(origin)}` : ', e.g. https://app.example.com'}`,
      });
    }
  }
  return origins;
}

function serialisedOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    // WHATWG URL keeps `*` in a host; an origin never has one (no pattern matching here).
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname.includes('*') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
