import pg from 'pg';
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/waste_bench_households'); await c.connect(); await c.query('SET jit = off');
const { rows: units } = await c.query(`SELECT id FROM territory_unit WHERE kind='COMMUNITY' ORDER BY code LIMIT 3`);
const { rows: [rs] } = await c.query(`SELECT id, version, rules FROM grading_rule_set LIMIT 1`);
const mod = await import('/work/main/dist/services/households/src/evaluation/grading-sql.js');
const src = (await import('node:fs')).readFileSync('/work/main/dist/services/households/src/evaluation/grading-sql.js','utf8');
const CH = src.match(/const CHUNK_HOUSEHOLDS = `([\s\S]*?)`;/)[1];
const noEvents = mod.GRADE_AND_PUBLISH_CHUNK.replace(/items AS \([\s\S]*\)\nSELECT/, 'x AS (SELECT 1)\nSELECT').replace('(SELECT count(*) FROM published)', '0');
for (const u of units) {
  const { rows: [{ ids }] } = await c.query(CH, [u.id]);
  for (const [name, sql] of [['full', mod.GRADE_AND_PUBLISH_CHUNK], ['no-events', noEvents]]) {
    await c.query('BEGIN');
    await c.query(`DELETE FROM monthly_grade WHERE month = '2026-10-01' AND household_id = ANY($1::uuid[])`, [ids]);
    const t = performance.now();
    const p = ['2026-10-01', ids, JSON.stringify(rs.rules), rs.id, rs.version, '00000000-0000-4000-8000-000000000000', '2026-09-01', 'household-grades.published', '2026-10', u.id]; await c.query(sql, name === 'full' ? p : p.slice(0, 7));
    console.log(ids.length, name, (performance.now() - t).toFixed(1));
    await c.query('ROLLBACK');
  }
}
await c.end();
