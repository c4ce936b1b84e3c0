import pg from 'pg';
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/waste_bench_households'); await c.connect();
const { rows: units } = await c.query(`SELECT id FROM territory_unit WHERE kind='COMMUNITY' LIMIT 5`);
const { rows: [rs] } = await c.query(`SELECT id, version, rules FROM grading_rule_set LIMIT 1`);
const mod = await import('/work/main/dist/services/households/src/evaluation/grading-sql.js');
const src = (await import('node:fs')).readFileSync('/work/main/dist/services/households/src/evaluation/grading-sql.js','utf8');
const CH = src.match(/const CHUNK_HOUSEHOLDS = `([\s\S]*?)`;/)[1];
for (const u of units) {
  await c.query('BEGIN');
  let t = performance.now(); const { rows: [{ ids }] } = await c.query(CH, [u.id]); const t1 = performance.now() - t;
  t = performance.now(); await c.query(mod.GRADE_CHUNK, ['2026-10-01', ids, JSON.stringify(rs.rules), rs.id, rs.version, '00000000-0000-4000-8000-000000000000', '2026-09-01']); const t2 = performance.now() - t;
  t = performance.now(); const ev = await c.query(mod.UNPUBLISHED_GRADE_EVENTS, [ids, '2026-10-01', '2026-10', u.id, u.id]); const t3 = performance.now() - t;
  t = performance.now(); await c.query(mod.MARK_PUBLISHED, [ids, '2026-10-01']); const t4 = performance.now() - t;
  console.log(ids.length, 'ids', t1.toFixed(1), 'grade', t2.toFixed(1), 'events', t3.toFixed(1), ev.rows.length, 'mark', t4.toFixed(1));
  await c.query('ROLLBACK');
}
await c.end();
