/**
 * What the numbers were measured on: Node, CPU, cores and the exact installed versions of the
 * packages under comparison (read from node_modules, not from package.json ranges).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** The packages whose versions the report header names. */
export const REPORTED_PACKAGES = [
  'graphql',
  '@graphql-tools/schema',
  '@graphql-tools/utils',
  '@apollo/server',
  'jose',
  'lru-cache',
  'graphql-shield',
  'graphql-middleware',
  '@envelop/core',
  '@envelop/generic-auth',
  'autocannon',
] as const;

/** The machine and software a report was measured on. */
export interface EnvironmentInfo {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly loadAverage: readonly number[];
  readonly packages: Readonly<Record<string, string>>;
  readonly date: string;
}

/** The exact version installed under `node_modules/<name>`, or `missing`. */
export function installedVersion(name: string, root: URL = new URL('../../', import.meta.url)): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'missing';
  }
}

/**
 * Describes this machine and the installed packages.
 *
 * @example
 * ```ts
 * const info = environmentInfo();
 * info.packages['graphql-shield']; // '7.6.5'
 * ```
 */
export function environmentInfo(): EnvironmentInfo {
  const cpu = cpus();
  return {
    node: process.version,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    packages: Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, installedVersion(name)])),
    date: new Date().toISOString(),
  };
}

/** The report header lines (markdown). */
export function environmentMarkdown(info: EnvironmentInfo, mode: string): string {
  const packages = Object.entries(info.packages).map(([name, version]) => `${name} ${version}`).join(', ');
  return [
    `- mode: ${mode}; date: ${info.date}`,
    `- Node ${info.node}; CPU ${info.cpu} × ${info.cores}; ${info.memoryGiB} GiB; load average at start ${info.loadAverage.join(' / ')}`,
    `- packages: ${packages}`,
  ].join('\n');
}
