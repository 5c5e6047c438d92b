import type { GraphQLSchema } from 'graphql';
import { auditSchema } from '../directive/schema/audit.js';
import { check } from '../directive/request/check.js';
import { formatRequirement } from '../directive/schema/format-requirement.js';
import type { DefaultPolicy } from '../config/config.js';
import type { Principal } from '../token/principal.js';

/** Whether one field may be read by one principal, and why. */
export interface FieldAccess {
  readonly coordinate: string;
  readonly allowed: boolean;
  /** The field's effective requirement, as the audit prints it. */
  readonly requirement: string;
  /** `allow`, `allow-admin`, `unauthenticated` or `forbidden`. */
  readonly decision: string;
}

/**
 * For `npm run token -- inspect --schema`: every field of the schema with the decision `@auth`
 * makes for this principal at the field itself (the audit's effective requirement through
 * `check`). A field reached only through a denied parent is denied there as well.
 */
export function schemaAccess(schema: GraphQLSchema, principal: Principal | null, defaultPolicy: DefaultPolicy): FieldAccess[] {
  return auditSchema(schema, { defaultPolicy }).fields.map((row) => {
    const decision = check(row.requirement, principal);
    return {
      coordinate: row.coordinate,
      allowed: decision === 'allow' || decision === 'allow-admin',
      requirement: formatRequirement(row.description),
      decision,
    };
  });
}
