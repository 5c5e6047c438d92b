/**
 * A requirement as one line of text, for audit tables and logs read by people:
 * `(read:email OR read:handle) AND read:user`, `write:post AND role moderator`, `authenticated`,
 * `none`, `any of: a | b`. `describeRequirement` stays the exact, machine-readable form.
 */
import type { ClauseDescription, RequirementDescription } from './requirements.js';

interface Part {
  readonly text: string;
  /** An OR of alternatives: parenthesised when ANDed with other parts. */
  readonly or: boolean;
}

/**
 * Formats a described requirement: clauses and the parts of a clause are ANDed; a clause's
 * alternatives are ORed; role names are written `role name`, step-up `acr mfa` and `login within
 * 300s`; a clause that opts out of the admin override is marked `(no admin override)`, one read
 * from an Apollo Router directive names it (`read:email (@requiresScopes)`; `@policy` is marked
 * unsupported, never granted). The alternatives of `anyOf` (a field returning
 * an interface or union) are written `any of: a | b`, parenthesised after other parts.
 *
 * @example
 * ```ts
 * formatRequirement({ allOf: [{ scopes: [['read:email'], ['read:handle']] }, { scopes: [['read:user']] }] });
 * // '(read:email OR read:handle) AND read:user'
 * ```
 */
export function formatRequirement(description: RequirementDescription): string {
  if (description.perRepresentation) {
    return `${formatRequirement({ ...description, perRepresentation: undefined } as RequirementDescription)}; each representation: its type's`;
  }
  const anyOf = description.anyOf ?? [];
  const alternatives = anyOf.length > 0 ? `any of: ${anyOf.map(formatRequirement).join(' | ')}` : undefined;
  if (description.allOf.length === 0) return alternatives ?? 'none';
  const all = formatAllOf(description);
  return alternatives === undefined ? all : `${all} AND (${alternatives})`;
}

function formatAllOf(description: RequirementDescription): string {
  const clauses = description.allOf.map(clauseParts);
  const count = clauses.reduce((sum, parts) => sum + parts.length, 0);
  return clauses
    .map((parts, i) => {
      const text = parts.map((part) => (part.or && count > 1 ? `(${part.text})` : part.text)).join(' AND ');
      const clause = description.allOf[i];
      // Router clauses name their directive (which also means: no admin override).
      if (clause?.directive === 'policy') return `${text} (@policy: unsupported, never granted)`;
      if (clause?.directive !== undefined) return `${text} (@${clause.directive})`;
      return clause?.adminOverride === false ? `${text} (no admin override)` : text;
    })
    .join(' AND ');
}

function clauseParts(clause: ClauseDescription): Part[] {
  const parts: Part[] = [];
  if (clause.scopes !== undefined) parts.push(alternatives(clause.scopes, ''));
  if (clause.roles !== undefined) parts.push(alternatives(clause.roles, 'role '));
  if (clause.policies !== undefined) parts.push(alternatives(clause.policies, 'policy '));
  // RFC 9470 step-up: `acr mfa OR acr hwk`, `login within 300s`.
  if (clause.acr !== undefined) parts.push(alternatives(clause.acr.map((value) => [value]), 'acr '));
  if (clause.maxAge !== undefined) parts.push({ text: `login within ${clause.maxAge}s`, or: false });
  return parts.length > 0 ? parts : [{ text: 'authenticated', or: false }];
}

function alternatives(groups: readonly (readonly string[])[], prefix: string): Part {
  const texts = groups.map((group) => group.map((name) => `${prefix}${name}`).join(' AND '));
  if (texts.length === 1) return { text: texts[0] ?? '', or: false };
  return { text: texts.map((text, i) => ((groups[i]?.length ?? 0) > 1 ? `(${text})` : text)).join(' OR '), or: true };
}
