/**
 * The wrappers that enforce a plan at run time: around a field's `resolve`/`subscribe`, and
 * around an abstract type's `resolveType`. The decision is taken once per (requirement, request)
 * and memoised in the request's {@link AuthContext}; a list of 10 000 items costs one decision.
 *
 * @see DESIGN.md "Work happens once where it can"
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLTypeResolver } from 'graphql';
import { pathToArray } from '@graphql-tools/utils';
import type { Logger } from 'pino';
import { describeAnyOf, type AbstractEntry } from '../schema/abstract-entry.js';
import { check, decideAnyOf, type Decision } from './check.js';
import type { AuthContext } from './auth-context.js';
import { createDenialError, createUnlocatedDenialError, type Denial } from './denial-error.js';
import { recordDryRunDenial } from './dry-run-denials.js';
import { explainDenial, type ExplainSettings } from './explain-denial.js';
import { describeRequirement, type Requirement, type RequirementDescription } from '../schema/requirements.js';

/** What the guards need from the transformer's options (all resolved to values). */
export interface GuardSettings extends ExplainSettings {
  readonly logger: Logger;
  /** `dry-run` enforcement: a would-be denial is recorded and logged, and the field resolves. */
  readonly dryRun: boolean;
  readonly getAuth: (context: unknown) => AuthContext;
  readonly onDecision: ((requirement: Requirement, decision: Decision) => void) | undefined;
}

/** Wrapper factories bound to one set of {@link GuardSettings}. */
export interface Guards {
  /**
   * Wraps `resolve` (or `subscribe`): the resolver runs only when `requirement` is satisfied
   * and, when `anyOf` is given (an abstract return type), at least one of its requirements.
   */
  field(resolve: GraphQLFieldResolver<unknown, unknown>, requirement: Requirement,
    anyOf?: readonly Requirement[]): GraphQLFieldResolver<unknown, unknown>;
  /**
   * Wraps federation's `_entities`: each representation is checked by the entry of its
   * `__typename` (plan-entities.ts) before the resolver sees it; a denied one becomes `null` with
   * its error at `["_entities", i]` and never reaches `__resolveReference`.
   */
  entities(resolve: GraphQLFieldResolver<unknown, unknown>,
    entries: ReadonlyMap<string, AbstractEntry>): GraphQLFieldResolver<unknown, unknown>;
  /** Wraps `resolveType`: the concrete object type's requirement is checked for each item. */
  resolveType(original: GraphQLTypeResolver<unknown, unknown>,
    objectTypes: ReadonlyMap<string, Requirement>): GraphQLTypeResolver<unknown, unknown>;
}

/**
 * Creates the guards. A denied field returns (not throws) its located error: graphql-js
 * completes an `Error` result as a field error, and keeps it as is because it has a `path`.
 */
export function createGuards(settings: GuardSettings): Guards {
  const { logger, getAuth, onDecision, dryRun } = settings;

  const decide = (requirement: Requirement, context: unknown, info: GraphQLResolveInfo): Decision => {
    const auth = getAuth(context);
    const memo = auth.decisions.get(requirement);
    if (memo !== undefined) return memo;
    const decision = check(requirement, auth.principal);
    auth.decisions.set(requirement, decision);
    onDecision?.(requirement, decision);
    if (decision === 'allow-admin') {
      // DESIGN.md: every admin pass is logged; once per (requirement, request), at its first path.
      logger.info(
        { subject: auth.principal?.subject, path: pathToArray(info.path), requirement: describeRequirement(requirement) },
        'admin override',
      );
    }
    return decision;
  };

  /** The denial of an entry check (requirement, then one of `anyOf`), or undefined when it passes. */
  const decideEntry = (
    requirement: Requirement, anyOf: readonly Requirement[], context: unknown, info: GraphQLResolveInfo,
  ): { decision: Denial; requirement: Requirement | RequirementDescription } | undefined => {
    const decision = requirement.clauses.length === 0 ? 'allow' : decide(requirement, context, info);
    if (decision !== 'allow' && decision !== 'allow-admin') return { decision, requirement };
    if (anyOf.length === 0) return undefined;
    // No possible type the principal may read: no item could be returned, so nothing runs.
    const any = decideAnyOf(anyOf, (alternative) => decide(alternative, context, info));
    if (any === 'allow' || any === 'allow-admin') return undefined;
    return { decision: any, requirement: describeAnyOf(requirement, anyOf) };
  };

  const explain = (decision: Decision, requirement: Requirement | RequirementDescription, context: unknown) =>
    explainDenial(decision, requirement, getAuth(context).principal, settings);

  /** Dry run: records and logs the would-be denial, and lets it pass. */
  const passInDryRun = (
    decision: Decision, requirement: Requirement | RequirementDescription, context: unknown, info: GraphQLResolveInfo,
    path: ReadonlyArray<string | number> = pathToArray(info.path),
  ): boolean => {
    if (!dryRun || decision === 'allow' || decision === 'allow-admin') return false;
    // Reported as an error would explain it (nothing to anonymous callers); logged in full.
    if (recordDryRunDenial(context, { path, decision, ...explain(decision, requirement, context) })) {
      const description = 'clauses' in requirement ? describeRequirement(requirement) : requirement;
      // The subject identifies the caller for the operator; the token itself never reaches a log.
      logger.info({ subject: getAuth(context).principal?.subject ?? null, path, decision, requirement: description }, 'dry-run: would deny');
    }
    return true;
  };

  /** A denied field: null with its located error, or (dry run) its resolver after all. */
  const deny: DenyField = (decision, requirement, resolve, source, args, context, info) => {
    if (passInDryRun(decision, requirement, context, info)) return resolve(source, args, context, info);
    return createDenialError(
      decision as Exclude<Decision, 'allow' | 'allow-admin'>, info.fieldNodes, pathToArray(info.path) as Array<string | number>,
      explain(decision, requirement, context),
    );
  };

  return {
    field(resolve, requirement, anyOf) {
      if (anyOf === undefined || anyOf.length === 0) {
        return function guardedResolver(source, args, context, info) {
          const decision = decide(requirement, context, info);
          if (decision === 'allow' || decision === 'allow-admin') return resolve(source, args, context, info);
          return deny(decision, requirement, resolve, source, args, context, info);
        };
      }
      return function guardedAbstractResolver(source, args, context, info) {
        const denied = decideEntry(requirement, anyOf, context, info);
        if (denied === undefined) return resolve(source, args, context, info);
        return deny(denied.decision, denied.requirement, resolve, source, args, context, info);
      };
    },

    entities(resolve, entries) {
      return function guardedEntities(source, args, context, info) {
        const representations = args['representations'];
        if (!Array.isArray(representations)) return resolve(source, args, context, info);
        let denials: Map<number, unknown> | undefined;
        representations.forEach((representation: unknown, index) => {
          const typename = (representation as { __typename?: unknown } | null)?.__typename;
          // An unknown type is left to the resolver, which refuses it.
          const entry = typeof typename === 'string' ? entries.get(typename) : undefined;
          const denied = entry === undefined ? undefined : decideEntry(entry.common, entry.anyOf, context, info);
          if (denied === undefined) return;
          const path = [...pathToArray(info.path), index];
          if (passInDryRun(denied.decision, denied.requirement, context, info, path)) return;
          const error = createDenialError(denied.decision, info.fieldNodes, path, explain(denied.decision, denied.requirement, context));
          (denials ??= new Map()).set(index, error);
        });
        if (denials === undefined) return resolve(source, args, context, info);
        // The resolver (and so `__resolveReference`) sees only the representations allowed.
        const refused = denials;
        const allowed = representations.filter((_: unknown, index) => !refused.has(index));
        const merge = (items: unknown): unknown => {
          if (!Array.isArray(items)) return items;
          let next = 0;
          return representations.map((_: unknown, index) => (refused.has(index) ? refused.get(index) : items[next++]));
        };
        const resolved = resolve(source, { ...args, representations: allowed }, context, info);
        return isPromiseLike(resolved) ? Promise.resolve(resolved).then(merge) : merge(resolved);
      };
    },

    resolveType(resolveTypeFn, objectTypes) {
      const admit = (typeName: string | undefined, context: unknown, info: GraphQLResolveInfo): string | undefined => {
        const requirement = typeName === undefined ? undefined : objectTypes.get(typeName);
        if (requirement === undefined || requirement.clauses.length === 0) return typeName;
        const decision = decide(requirement, context, info);
        if (decision === 'allow' || decision === 'allow-admin') return typeName;
        if (passInDryRun(decision, requirement, context, info)) return typeName;
        // Thrown: graphql-js locates it at the item being completed (info.path is the field's).
        throw createUnlocatedDenialError(decision, explain(decision, requirement, context));
      };
      return function guardedResolveType(value, context, info, abstractType) {
        const typeName = resolveTypeFn(value, context, info, abstractType);
        if (isPromiseLike(typeName)) return Promise.resolve(typeName).then((name) => admit(name, context, info));
        return admit(typeName, context, info);
      };
    },
  };
}

type DenyField = (
  decision: Decision, requirement: Requirement | RequirementDescription, resolve: GraphQLFieldResolver<unknown, unknown>,
  source: unknown, args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo,
) => unknown;

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
