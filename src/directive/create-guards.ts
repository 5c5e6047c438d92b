/**
 * The wrappers that enforce a plan at run time: around a field's `resolve`/`subscribe`, and
 * around an abstract type's `resolveType`. The decision is taken once per (requirement, request)
 * and memoised in the request's {@link AuthContext}; a list of 10 000 items costs one decision.
 *
 * @see DESIGN.md "Work happens once where it can"
 */
import {
  defaultTypeResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLTypeResolver,
} from 'graphql';
import { pathToArray } from '@graphql-tools/utils';
import type { Logger } from 'pino';
import { check, type Decision } from './check.js';
import type { AuthContext } from './context.js';
import { createDenialError, createUnlocatedDenialError } from './denial-error.js';
import { recordDryRunDenial } from './dry-run-denials.js';
import { explainDenial, type ExplainSettings } from './explain-denial.js';
import { describeRequirement, type Requirement } from './requirements.js';

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
  /** Wraps `resolve` (or `subscribe`): the resolver runs only when `requirement` is satisfied. */
  field(resolve: GraphQLFieldResolver<unknown, unknown>, requirement: Requirement): GraphQLFieldResolver<unknown, unknown>;
  /** Wraps `resolveType`: the concrete object type's requirement is checked for each item. */
  resolveType(original: GraphQLTypeResolver<unknown, unknown> | undefined,
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

  const explain = (decision: Decision, requirement: Requirement, context: unknown) =>
    explainDenial(decision, requirement, getAuth(context).principal, settings);

  /** Dry run: records and logs the would-be denial, and lets it pass. */
  const passInDryRun = (decision: Decision, requirement: Requirement, context: unknown, info: GraphQLResolveInfo): boolean => {
    if (!dryRun || decision === 'allow' || decision === 'allow-admin') return false;
    const auth = getAuth(context);
    const path = pathToArray(info.path);
    const description = describeRequirement(requirement);
    if (recordDryRunDenial(auth, { path, decision, requirement: description })) {
      // The subject identifies the caller for the operator; the token itself never reaches a log.
      logger.info({ subject: auth.principal?.subject ?? null, path, decision, requirement: description }, 'dry-run: would deny');
    }
    return true;
  };

  return {
    field(resolve, requirement) {
      return function guardedResolver(source, args, context, info) {
        const decision = decide(requirement, context, info);
        if (decision === 'allow' || decision === 'allow-admin') return resolve(source, args, context, info);
        if (passInDryRun(decision, requirement, context, info)) return resolve(source, args, context, info);
        return createDenialError(
          decision, info.fieldNodes, pathToArray(info.path) as Array<string | number>, explain(decision, requirement, context),
        );
      };
    },

    resolveType(original, objectTypes) {
      const resolveTypeFn = original ?? defaultTypeResolver;
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

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
