/**
 * Parses the argument values of one `@auth` occurrence into a clause, strictly: a value that
 * cannot be read is a problem, never a silently weaker requirement (fail closed).
 *
 * Shared by `readRequirement` (which throws on problems) and the schema checks (which collect
 * them), so that both read `@auth` the same way.
 */

/** Alternatives of AND groups: `[["a","b"],["c"]]` = (a AND b) OR c. */
export type Alternatives = readonly (readonly string[])[];

/** The arguments of one `@auth`, as written (not yet canonical). */
export interface AuthArguments {
  readonly scopes: Alternatives | undefined;
  readonly roles: Alternatives | undefined;
  /** RFC 9470: acceptable `acr` values, any-of. */
  readonly acr?: readonly string[] | undefined;
  /** RFC 9470: largest accepted age of `auth_time`, seconds. */
  readonly maxAge?: number | undefined;
  readonly adminOverride: boolean;
}

/**
 * What {@link parseAuthArguments} found. `value` is meaningful only when `problems` is empty:
 * every caller refuses the schema otherwise.
 */
export interface ParsedAuthArguments {
  readonly value: AuthArguments;
  /** Human-readable problems, e.g. `scopes: an empty AND group [] is always satisfied`. */
  readonly problems: readonly string[];
}

const KNOWN_ARGUMENTS: ReadonlySet<string> = new Set(['scopes', 'roles', 'acr', 'maxAge', 'adminOverride']);
/** Largest `maxAge`: a year; beyond it the requirement means nothing. */
const MAX_MAX_AGE = 31_536_000;

/**
 * Reads `{ scopes?, roles?, adminOverride? }` as `getDirective` returns them.
 *
 * A string where a group is expected is a one-name group: that is what GraphQL list input
 * coercion makes of `["a","b"]` when the directive is declared, and we read undeclared
 * (untyped) values the same way so that both mean a OR b.
 *
 * @see https://spec.graphql.org/October2021/#sec-List.Input-Coercion
 */
export function parseAuthArguments(args: Readonly<Record<string, unknown>>): ParsedAuthArguments {
  const problems: string[] = [];
  for (const name of Object.keys(args)) {
    if (!KNOWN_ARGUMENTS.has(name)) problems.push(`unknown argument "${name}"`);
  }
  const scopes = readAlternatives('scopes', args['scopes'], problems);
  const roles = readAlternatives('roles', args['roles'], problems);
  const rawOverride = args['adminOverride'];
  // The SDL default is true; a schema built without the SDL has no default, so apply it here.
  // An explicit null is not the default (GraphQL passes it as given): refused, not read as true.
  let adminOverride = true;
  if (rawOverride === false) adminOverride = false;
  else if (rawOverride === null) {
    problems.push('adminOverride: null is not allowed (write true or false, or leave it out)');
    adminOverride = false; // fail closed
  } else if (rawOverride !== undefined && rawOverride !== true) {
    problems.push('adminOverride must be a Boolean');
    adminOverride = false; // fail closed: an unreadable opt-out counts as opting out
  }
  return { value: { scopes, roles, acr: readAcr(args['acr'], problems), maxAge: readMaxAge(args['maxAge'], problems), adminOverride }, problems };
}

/** RFC 9470 §3 `acr_values`: space-separated in the challenge, so no value may hold a space. */
function readAcr(raw: unknown, problems: string[]): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (raw === null || items.length === 0) {
    problems.push('acr: null or [] can never be satisfied (leave acr out to accept any acr)');
    return [];
  }
  const values: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || item.length === 0 || /[\s"\\]/.test(item)) problems.push(`acr: ${JSON.stringify(item) ?? String(item)} is not an acr value (a non-empty string without spaces or quotes)`);
    else values.push(item);
  }
  return values;
}

/** RFC 9470 §3 `max_age`: whole seconds since `auth_time`. */
function readMaxAge(raw: unknown, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_MAX_AGE) {
    problems.push(`maxAge: ${JSON.stringify(raw) ?? String(raw)} is not a whole number of seconds from 0 to ${MAX_MAX_AGE}`);
    return 0; // fail closed
  }
  return raw;
}

/**
 * Reads one alternatives argument (`scopes`, `roles`, `@policy`'s `policies`) strictly, pushing
 * each problem found; shared with the Apollo Router directives' reader.
 */
export function readAlternatives(name: string, raw: unknown, problems: string[]): Alternatives | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) {
    // Read as "absent", `scopes: null` would quietly mean "authenticated only": refuse it.
    problems.push(`${name}: null is not allowed (leave ${name} out to require authentication only)`);
    return [];
  }
  // List input coercion: a single value where a list is expected is a list of one.
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) {
    problems.push(`${name}: an empty list of alternatives [] can never be satisfied`);
    return [];
  }
  const groups: string[][] = [];
  for (const item of items) {
    const group: unknown[] = Array.isArray(item) ? item : [item];
    if (group.length === 0) {
      problems.push(`${name}: an empty AND group [] is always satisfied`);
    }
    const names: string[] = [];
    for (const entry of group) {
      if (typeof entry !== 'string') {
        problems.push(`${name}: ${JSON.stringify(entry) ?? String(entry)} is not a string`);
      } else if (entry.trim() === '') {
        problems.push(`${name}: an empty name "${entry}" is never granted`);
      } else if (name === 'scopes' && /\s/.test(entry)) {
        // RFC 6749 §3.3: scopes are space-delimited, so a scope with whitespace is never granted.
        problems.push(`${name}: "${entry}" contains whitespace and is never granted (scopes are split on spaces)`);
      } else {
        names.push(entry);
      }
    }
    groups.push(names);
  }
  return groups;
}
