/**
 * What a correct answer to the execution scenario is, and how a variant's answer differs from
 * it: whole `data`, and the errors' `path` + `extensions.code`, the way DESIGN.md's tests
 * compare GraphQL results. Messages are free: each library words its own.
 */
import type { ExecutionResult } from 'graphql';
import { USERS, type Caller } from './schema.js';

/** An error reduced to what must match: `path` and `extensions.code`. */
export interface ErrorShape {
  readonly path: string;
  readonly code: string;
}

/** The expected answer, reduced for comparison. */
export interface ExpectedAnswer {
  readonly data: unknown;
  readonly errors: readonly ErrorShape[];
}

/**
 * The expected answer to `{ users(n) { id name email handle } }`: every user; for a caller
 * denied `email`, `email: null` and one FORBIDDEN error at `["users", i, "email"]` per item.
 */
export function expectedAnswer(n: number, caller: Caller): ExpectedAnswer {
  const denied = caller === 'denied-email';
  const users = USERS.slice(0, n).map((u) => ({ id: u.id, name: u.name, email: denied ? null : u.email, handle: u.handle }));
  const errors = denied ? users.map((_, i) => ({ path: `users.${i}.email`, code: 'FORBIDDEN' })) : [];
  return { data: { users }, errors };
}

/** Reduces a result's errors to sorted {@link ErrorShape}s. */
export function errorShapes(result: ExecutionResult): ErrorShape[] {
  return (result.errors ?? [])
    .map((e) => ({ path: (e.path ?? []).join('.'), code: String(e.extensions?.['code'] ?? '(no code)') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Describes how `result` differs from `expected`, or returns `undefined` when it matches.
 *
 * @example
 * ```ts
 * describeDifference(result, expectedAnswer(10, 'denied-email'));
 * // 'errors: 1 instead of 10 (first: users.@.email FORBIDDEN, expected users.0.email FORBIDDEN); data: …'
 * ```
 */
export function describeDifference(result: ExecutionResult, expected: ExpectedAnswer): string | undefined {
  const problems: string[] = [];
  const actualErrors = errorShapes(result);
  const expectedErrors = [...expected.errors].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const show = (e: ErrorShape | undefined) => (e ? `${e.path} ${e.code}` : 'none');
  const firstMismatch = expectedErrors.findIndex((e, i) => actualErrors[i]?.path !== e.path || actualErrors[i]?.code !== e.code);
  if (actualErrors.length !== expectedErrors.length || firstMismatch >= 0) {
    const i = firstMismatch >= 0 ? firstMismatch : 0;
    problems.push(
      `errors: ${actualErrors.length} instead of ${expectedErrors.length} (first: ${show(actualErrors[i])}, expected ${show(expectedErrors[i])})`,
    );
  }
  const actualData = JSON.stringify(result.data ?? null);
  const expectedData = JSON.stringify(expected.data);
  if (actualData !== expectedData) problems.push(`data: ${firstDataDifference(result.data, expected.data)}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** The first item of `data.users` that differs, as short JSON. */
function firstDataDifference(actual: unknown, expected: unknown): string {
  const actualUsers = (actual as { users?: unknown[] } | null | undefined)?.users;
  const expectedUsers = (expected as { users: unknown[] }).users;
  if (!Array.isArray(actualUsers)) return `got ${JSON.stringify(actual ?? null).slice(0, 80)}`;
  if (actualUsers.length !== expectedUsers.length) return `${actualUsers.length} users instead of ${expectedUsers.length}`;
  const i = expectedUsers.findIndex((u, k) => JSON.stringify(actualUsers[k]) !== JSON.stringify(u));
  return `users[${i}] is ${JSON.stringify(actualUsers[i])}, expected ${JSON.stringify(expectedUsers[i])}`;
}
