import { Supergraph } from '@apollo/federation-internals';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  printSchema,
  type GraphQLSchema,
} from 'graphql';

/** Where `npm run compose` writes the API schema, beside the supergraph: the schema clients see and codegen reads. */
export const API_SCHEMA_PATH = 'gateway/api-schema.graphql';

/**
 * The schema the gateway serves to clients: the supergraph without its federation machinery (join__ and link__
 * directives and types, _Service, _entities) and without anything @inaccessible. Apollo's own conversion, so it is
 * exactly what the gateway answers introspection with.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** The API schema as SDL, descriptions included, in the supergraph's (sorted) order. */
export function printApiSchema(supergraphSdl: string): string {
  return `${printSchema(apiSchemaOf(supergraphSdl)).trimEnd()}\n`;
}

/** Root operation types are documented by their fields; a description on `Query` itself would tell a reader nothing. */
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Every schema coordinate a front-end developer would look up and find no description for: types (except the root
 * operation types), fields, arguments, input fields and enum values. Introspection types and the built-in scalars
 * are GraphQL's own and described by the specification.
 */
export function undescribedSchemaElements(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!type.description?.trim() && !ROOT_TYPES.has(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}
