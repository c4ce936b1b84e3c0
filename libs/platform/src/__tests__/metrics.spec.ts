import { describe, expect, it } from '@jest/globals';
import { createProcessMetrics, type ProcessMetrics } from '../metrics.js';

/** Answers one GraphQL operation through the plugin, as Apollo Server would call it. */
async function answer(metrics: ProcessMetrics, operationName: string | null, errorCode?: string): Promise<void> {
  const listener = await metrics.graphqlPlugin.requestDidStart!({} as never);
  const errors = errorCode ? [{ message: 'no', extensions: { code: errorCode } }] : undefined;
  await listener!.willSendResponse!({
    operationName,
    request: {},
    response: { body: { kind: 'single', singleResult: { errors } } },
  } as never);
}

/** The `operation`/`outcome` pairs the scrape holds a count for. */
async function operations(metrics: ProcessMetrics): Promise<string[]> {
  const { body } = await metrics.scrape();
  return [...body.matchAll(/^waste_graphql_operation_duration_seconds_count\{[^}]*operation="([^"]*)",outcome="([^"]*)"\}/gm)].map(
    ([, operation, outcome]) => `${operation}/${outcome}`,
  );
}

describe('GraphQL operation series', () => {
  it('names an operation as its client did, also behind the gateway, and keeps odd names out of the labels', async () => {
    const metrics = createProcessMetrics('test');
    await answer(metrics, 'HouseholdList');
    await answer(metrics, 'HouseholdList__households__0', 'FORBIDDEN');
    await answer(metrics, null);
    await answer(metrics, 'x'.repeat(100));
    await answer(metrics, 'Odd name"}', 'SOMETHING weird');
    expect((await operations(metrics)).sort()).toEqual(
      ['HouseholdList/ok', 'HouseholdList/FORBIDDEN', 'anonymous/ok', 'invalid_name/ok', 'invalid_name/ERROR'].sort(),
    );
  });

  it('counts names past the first 500 as `other`, so a client cannot grow the scrape without end', async () => {
    const metrics = createProcessMetrics('test');
    for (let index = 0; index < 520; index++) await answer(metrics, `Operation${index}`);
    const names = new Set((await operations(metrics)).map((pair) => pair.split('/')[0]));
    expect(names.size).toBe(501);
    expect(names.has('other')).toBe(true);
    expect(names.has('Operation0')).toBe(true);
  });
});
