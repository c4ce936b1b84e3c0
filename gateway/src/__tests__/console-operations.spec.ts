import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';

/** The workspace root, read from this file's place (gateway/src/__tests__/). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Every operation and fragment the console sends (the gql`…` templates of console/src/queries.ts, read as text: the
 * console is browser code), as one document. A `${FRAGMENT}` interpolation only repeats a fragment the file defines.
 */
function consoleDocument(): string {
  const source = readFileSync(`${ROOT}console/src/queries.ts`, 'utf8');
  return [...source.matchAll(/gql`([^`]*)`/g)].map(([, body]) => body.replace(/\$\{\w+\}/g, '')).join('\n');
}

describe("the console's operations", () => {
  it('are valid against the public API schema, so a change of the schema that breaks the console fails here', () => {
    const schema = buildSchema(readFileSync(`${ROOT}gateway/api-schema.graphql`, 'utf8'));
    const document = parse(consoleDocument());
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.map((operation) => operation.name?.value).sort()).toEqual([
      'ConsoleBureaus',
      'ConsoleCancelJointAction',
      'ConsoleCase',
      'ConsoleCaseForm',
      'ConsoleDistrictMonth',
      'ConsoleEvaluationRun',
      'ConsoleEvaluationRuns',
      'ConsoleHousehold',
      'ConsoleHouseholds',
      'ConsoleJointActions',
      'ConsoleMetrics',
      'ConsoleOpenCase',
      'ConsoleReport',
      'ConsoleReports',
      'ConsoleRescheduleJointAction',
      'ConsoleRotateBureauCalendar',
      'ConsoleRunEvaluation',
      'ConsoleScheduleJointAction',
      'ConsoleSortingStats',
      'ConsoleTriageReport',
      'ConsoleUnits',
      'ConsoleVerifyReport',
      'ConsoleViewer',
    ]);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it('would fail on a field the schema does not have', () => {
    const schema = buildSchema(readFileSync(`${ROOT}gateway/api-schema.graphql`, 'utf8'));
    const broken = parse(consoleDocument().replace('householdsEvaluated', 'householdsEvaluatedTwice'));
    expect(validate(schema, broken).map((error) => error.message)).toEqual([expect.stringContaining('householdsEvaluatedTwice')]);
  });
});
