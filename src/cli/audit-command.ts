/**
 * `npm run audit -- <schema files…>`: the `@auth` coverage audit of SDL files, as a text table,
 * `--json` or `--markdown`; `--fail-on` makes it a CI check.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { auditSchema, type FieldAudit } from '../directive/schema/audit.js';
import { formatRequirement } from '../directive/schema/format-requirement.js';
import { AuthSchemaError, checkAuthSchema } from '../directive/schema/schema-checks.js';
import { loadSchemaFiles } from './load-schema-files.js';

const USAGE = `usage: npm run audit -- <schema.graphql>... [--json | --markdown] [--default allow|deny]
                     [--fail-on unprotected-mutations,anonymous-fields]

Prints, for every field, the requirement a caller must meet to read it (after type, interface and
return-type propagation) and whether anonymous callers can reach it. --default is the policy for
fields without @auth (AUTH_DEFAULT). --fail-on exits 1, listing the offenders, when any is found.`;

/** The findings `--fail-on` can fail on, and the rows each selects. */
const FAILURES = {
  'unprotected-mutations': { label: ['unprotected mutation', 'unprotected mutations'], select: (row: FieldAudit) => row.unprotectedMutation },
  'anonymous-fields': { label: ['field reachable anonymously', 'fields reachable anonymously'], select: (row: FieldAudit) => row.anonymousReachable },
} as const;
type Failure = keyof typeof FAILURES;

/** Where {@link runAuditCli} writes. */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Runs the audit command; resolves the exit code: 0 ok, 1 a `--fail-on` finding, 2 a usage
 * error or a schema that cannot be built (or misuses `@auth`).
 *
 * @example
 * ```ts
 * const code = await runAuditCli(['schema/example.graphql', '--markdown'], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runAuditCli(argv: readonly string[], out: CliOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        default: { type: 'string', default: 'allow' },
        'fail-on': { type: 'string', default: '' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    out.stderr(`gatepass audit: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (out.stdout(`${USAGE}\n`), 0);
  const problems: string[] = [];
  if (positionals.length === 0) problems.push('name at least one schema file');
  if (values.json && values.markdown) problems.push('choose one of --json and --markdown');
  if (values.default !== 'allow' && values.default !== 'deny') problems.push(`--default must be allow or deny, not "${values.default}"`);
  const failOn = values['fail-on'].split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of failOn) if (!(name in FAILURES)) problems.push(`--fail-on: unknown finding "${name}" (${Object.keys(FAILURES).join(', ')})`);
  if (problems.length > 0) return (out.stderr(`gatepass audit: ${problems.join('; ')}\n${USAGE}\n`), 2);

  let fields: readonly FieldAudit[];
  try {
    const schema = loadSchemaFiles(positionals);
    for (const warning of checkAuthSchema(schema)) out.stderr(`warning: ${warning.coordinate}: ${warning.message}\n`);
    fields = auditSchema(schema, { defaultPolicy: values.default as 'allow' | 'deny' }).fields;
  } catch (error) {
    const message = error instanceof AuthSchemaError ? error.message : `cannot build the schema: ${(error as Error).message}`;
    return (out.stderr(`gatepass audit: ${message}\n`), 2);
  }

  out.stdout(values.json ? `${JSON.stringify(fields.map(toJson), null, 2)}\n` : render(fields, values.markdown ? 'markdown' : 'text'));
  let failed = false;
  for (const name of failOn as Failure[]) {
    const offenders = fields.filter(FAILURES[name].select).map((row) => row.coordinate);
    if (offenders.length === 0) continue;
    failed = true;
    out.stderr(`${offenders.length} ${FAILURES[name].label[offenders.length === 1 ? 0 : 1]}: ${offenders.join(', ')}\n`);
  }
  return failed ? 1 : 0;
}

function toJson(row: FieldAudit) {
  const { coordinate, description, anonymousReachable, unprotectedMutation } = row;
  return { coordinate, requirement: description, anonymousReachable, unprotectedMutation };
}

function render(fields: readonly FieldAudit[], format: 'text' | 'markdown'): string {
  const header = ['Field', 'Effective requirement', 'Anonymous', 'Unprotected mutation'];
  const rows = fields.map((row) => [
    format === 'markdown' ? `\`${row.coordinate}\`` : row.coordinate,
    formatRequirement(row.description),
    row.anonymousReachable ? 'yes' : '',
    row.unprotectedMutation ? 'yes' : '',
  ]);
  if (format === 'markdown') {
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    return `${[line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')}\n`;
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

// Run only as the entry point (`tsx src/cli/audit-command.ts`), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runAuditCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
