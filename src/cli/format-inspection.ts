import type { InspectionReport } from './inspect-token.js';
import type { FieldAccess } from './schema-access.js';
import { DENIAL_CODES, type Denial } from '../directive/request/denial-error.js';

/**
 * Renders an inspection as the terminal shows it: the decoded header and claims, one ✓/✗ line
 * per check (• where a check does not apply), the scopes and roles as the API reads them, and
 * the verdict. The token itself is never printed.
 */
export function formatInspection(report: InspectionReport, context: { readonly mode: 'dev' | 'production' }): string {
  const lines: string[] = [];
  lines.push(`configuration: ${context.mode === 'dev' ? 'dev mode (embedded dev issuer)' : 'production (AUTH_* environment)'}`);
  if (report.header) lines.push(`header: ${JSON.stringify(report.header)}`);
  if (report.claims) lines.push(`claims: ${JSON.stringify(report.claims)}`);
  lines.push('');
  const width = Math.max(...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    const mark = check.ok === undefined ? '•' : check.ok ? '✓' : '✗';
    lines.push(`${mark} ${check.name.padEnd(width)}  ${check.detail}`);
  }
  lines.push('');
  if (report.principal) {
    const list = (values: ReadonlySet<string>) => (values.size > 0 ? [...values].join(' ') : '(none)');
    lines.push(`subject: ${report.principal.subject}`);
    lines.push(`scopes:  ${list(report.principal.scopes)}`);
    lines.push(`roles:   ${list(report.principal.roles)}`);
    lines.push(`admin:   ${report.principal.isAdmin ? 'yes' : 'no'}`);
    lines.push('');
  }
  lines.push(report.accepted ? '✓ ACCEPTED: the API would accept this token' : `✗ REFUSED: ${report.verdict}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Renders what a token may read of a schema: readable fields first, then the others with the
 * requirement they lack. A refused token reads what anonymous callers read.
 */
export function formatSchemaAccess(fields: readonly FieldAccess[], accepted: boolean): string {
  const readable = fields.filter((field) => field.allowed);
  const denied = fields.filter((field) => !field.allowed);
  const lines = ['', accepted ? 'with this token, the schema reads:' : 'the token is refused, so the schema reads as for an anonymous caller:'];
  lines.push(`  may read (${readable.length}):`);
  for (const field of readable) lines.push(`    ✓ ${field.coordinate}${field.decision === 'allow-admin' ? '  (admin override)' : ''}`);
  lines.push(`  may not read (${denied.length}):`);
  for (const field of denied) lines.push(`    ✗ ${field.coordinate}  needs ${field.requirement} (${DENIAL_CODES[field.decision as Denial] ?? field.decision})`);
  return `${lines.join('\n')}\n`;
}
