/**
 * What `authDirectiveTransformer` decided for a schema, remembered with the schema it returned:
 * the guard plan and the settings its guards use. The enforcement plugin reads them back, so an
 * `operation` walk checks exactly the requirements the field guards would (one model, not two).
 *
 * @see DESIGN.md "Layout and house style" (reading is separate from deciding)
 */
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DefaultPolicy, EnforcementMode } from '../config/config.js';
import type { AuthContext } from './request/auth-context.js';
import type { ExplainSettings } from './request/explain-denial.js';
import { planGuards, type GuardPlan } from './schema/plan-guards.js';

/** The guard plan of a transformed schema and the options its guards were built with. */
export interface EnforcementSettings extends ExplainSettings {
  readonly mode: EnforcementMode;
  readonly defaultPolicy: DefaultPolicy;
  readonly plan: GuardPlan;
  readonly logger: Logger;
  readonly getAuth: (context: unknown) => AuthContext;
}

// Weak: a schema that is dropped takes its settings with it.
const bySchema = new WeakMap<GraphQLSchema, EnforcementSettings>();

/** Remembers the settings of a schema returned by `authDirectiveTransformer`. */
export function rememberEnforcement(schema: GraphQLSchema, settings: EnforcementSettings): void {
  bySchema.set(schema, settings);
}

/**
 * The settings `authDirectiveTransformer` used for `schema`, or `undefined` when `schema` is not
 * one it returned (e.g. wrapped by a later transform).
 */
export function enforcementOf(schema: GraphQLSchema): EnforcementSettings | undefined {
  return bySchema.get(schema);
}

/**
 * The guard plan of `schema`: the transformer's own when it built `schema`, otherwise planned
 * again from the directives the schema still carries (same function, same result).
 */
export function guardPlanOf(schema: GraphQLSchema, defaultPolicy: DefaultPolicy): GuardPlan {
  const own = bySchema.get(schema)?.plan;
  if (own) return own;
  // Planned once per (schema, policy), not per request: planning walks the whole schema
  // (≈170 µs on the example, measured by the bench).
  let plans = plannedElsewhere.get(schema);
  if (!plans) plannedElsewhere.set(schema, (plans = new Map()));
  let plan = plans.get(defaultPolicy);
  if (!plan) plans.set(defaultPolicy, (plan = planGuards(schema, { defaultPolicy })));
  return plan;
}

// Plans of schemas the transformer did not return (wrapped later), by default policy.
const plannedElsewhere = new WeakMap<GraphQLSchema, Map<DefaultPolicy, GuardPlan>>();
