import { GraphQLObjectType, defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { Masking, accessRefusal, applicableGrant, policyFor, readsInClear, type ServicePolicies } from '#libs/auth';
import type { RequestContext } from './request-context.js';

/** Federation's own root fields: answered by the platform, each entity guarded by its reference policy. */
const FEDERATION_ROOT_FIELDS = new Set(['_entities', '_service']);

type ReferenceResolver = (reference: unknown, context: RequestContext, info: unknown) => unknown;
interface SubgraphExtensions {
  apollo?: { subgraph?: { resolveReference?: ReferenceResolver } };
}

/** Entity types of a subgraph schema: those federation can resolve by reference. */
export function entityTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !!(type.extensions as SubgraphExtensions).apollo?.subgraph?.resolveReference,
  );
}

/** Every way a schema and its policies disagree: an operation or entity without a policy, or a policy for nothing. */
export function accessPolicyProblems(schema: GraphQLSchema, policies: ServicePolicies): string[] {
  const problems: string[] = [];
  const operations = new Set<string>();
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const name of Object.keys(root?.getFields() ?? {})) {
      if (FEDERATION_ROOT_FIELDS.has(name)) continue;
      const key = `${root!.name}.${name}`;
      operations.add(key);
      if (!policyFor(policies.operations, key)?.length) problems.push(`${key} has no access policy`);
    }
  }
  for (const key of Object.keys(policies.operations))
    if (!operations.has(key)) problems.push(`policy for ${key}, which the schema does not have`);
  const entities = new Set(entityTypes(schema).map((type) => type.name));
  for (const name of entities)
    if (!policyFor(policies.references, name)?.length) problems.push(`reference to ${name} has no access policy`);
  for (const name of Object.keys(policies.references))
    if (!entities.has(name)) problems.push(`reference policy for ${name}, which is not an entity here`);
  for (const [key, policy] of Object.entries(policies.personalData)) {
    const [typeName, fieldName] = key.split('.');
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) problems.push(`personal-data policy for ${key}, which the schema does not have`);
    else if (policy.masking === Masking.WITHHELD && field.type.toString().endsWith('!'))
      problems.push(`${key} is WITHHELD but not nullable`);
  }
  return problems;
}

/**
 * Guards the schema with the service's policies: a root field refuses a caller without the permission (or reach)
 * before its resolver runs; a reference the caller may not resolve is null; a WITHHELD personal-data field is null
 * for a caller who may not read it. Throws, so the service does not start, when schema and policies disagree.
 */
export function enforceAccessPolicies(schema: GraphQLSchema, policies: ServicePolicies, service: string): GraphQLSchema {
  const problems = accessPolicyProblems(schema, policies);
  if (problems.length > 0) throw new Error(`${service}: access policies do not match the schema:\n  - ${problems.join('\n  - ')}`);

  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const [name, field] of Object.entries(root?.getFields() ?? {})) {
      if (FEDERATION_ROOT_FIELDS.has(name)) continue;
      const grants = policies.operations[`${root!.name}.${name}`];
      const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: RequestContext, info) => {
        const refusal = accessRefusal(context.caller, grants, name);
        if (refusal) throw refusal;
        return resolve(source, args, context, info);
      };
    }
  }

  for (const type of entityTypes(schema)) {
    const subgraph = (type.extensions as SubgraphExtensions).apollo!.subgraph!;
    const resolveReference = subgraph.resolveReference!;
    const grants = policies.references[type.name];
    subgraph.resolveReference = (reference, context, info) =>
      applicableGrant(context.caller, grants) ? resolveReference(reference, context, info) : null;
  }

  for (const [key, policy] of Object.entries(policies.personalData)) {
    if (policy.masking !== Masking.WITHHELD || policy.alsoTheirOwn) continue;
    const [typeName, fieldName] = key.split('.');
    const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName];
    const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: RequestContext, info) =>
      readsInClear(context.caller, policy) ? resolve(source, args, context, info) : null;
  }
  return schema;
}
