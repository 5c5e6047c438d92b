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
import { readAuthContext, type AuthContext } from './request/auth-context.js';
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

/** What a server plugin was told; anything left out comes from the transformer's settings. */
export interface EnforcementOverrides {
  readonly mode?: EnforcementMode | undefined;
  readonly logger?: Logger | undefined;
  readonly defaultPolicy?: DefaultPolicy | undefined;
}

/**
 * The enforcement a server plugin applies to `schema`: its own options first, then what
 * `authDirectiveTransformer` remembered, then the defaults (`field`, `allow`). One resolution
 * for the Apollo and the Yoga plugin, so both enforce the same mode with the same plan.
 */
export function resolveEnforcement(schema: GraphQLSchema, overrides: EnforcementOverrides): ResolvedEnforcement {
  const remembered = bySchema.get(schema);
  return {
    mode: overrides.mode ?? remembered?.mode ?? 'field',
    plan: guardPlanOf(schema, overrides.defaultPolicy ?? 'allow'),
    logger: overrides.logger ?? remembered?.logger,
    getAuth: remembered?.getAuth ?? readAuthContext,
    explain: remembered ?? { explainDenials: true, explainPresented: false },
    transformerMode: remembered?.mode,
  };
}

/**
 * {@link resolveEnforcement} once per schema for one plugin's options: a server hands every
 * request the same schema object, so nothing is resolved (or allocated) per request.
 *
 * @example
 * ```ts
 * const enforcementOfSchema = enforcementResolver(options);
 * const { mode } = enforcementOfSchema(schema); // per request: one WeakMap lookup
 * ```
 */
export function enforcementResolver(overrides: EnforcementOverrides): (schema: GraphQLSchema) => ResolvedEnforcement {
  const bySchemaResolved = new WeakMap<GraphQLSchema, ResolvedEnforcement>();
  return (schema) => {
    let settings = bySchemaResolved.get(schema);
    if (settings === undefined) bySchemaResolved.set(schema, (settings = resolveEnforcement(schema, overrides)));
    return settings;
  };
}

/** What {@link resolveEnforcement} decided for a schema. */
export interface ResolvedEnforcement {
  readonly mode: EnforcementMode;
  readonly plan: GuardPlan;
  readonly logger: Logger | undefined;
  readonly getAuth: (context: unknown) => AuthContext;
  readonly explain: ExplainSettings;
  /** The transformer's mode, to warn when a plugin's dry-run disagrees with it. */
  readonly transformerMode: EnforcementMode | undefined;
}

/**
 * Warns when a server plugin's mode and the transformer's disagree about `dry-run`: the guards
 * deny (or only record) by the transformer's mode, so the plugin would report what never happens.
 */
export function warnIfDryRunDisagrees(settings: ResolvedEnforcement, plugin: string): void {
  const { mode, transformerMode } = settings;
  if (transformerMode === undefined || (mode === 'dry-run') === (transformerMode === 'dry-run')) return;
  settings.logger?.warn({ plugin: mode, transformer: transformerMode }, `${plugin} and authDirectiveTransformer disagree about dry-run: pass the same mode to both`);
}
