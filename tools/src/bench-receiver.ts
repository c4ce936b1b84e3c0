import { createServer } from 'node:http';

/**
 * The benchmark's webhook receiver, in a process of its own so neither sender shares its CPU: answers every POST
 * 200 as soon as the body is in (and stands in for households' notice addressees route: every resident asked about
 * is an adult with a made-up name, so the benchmark measures notifications alone), counts requests and distinct `webhook-id`s, and reports them over IPC.
 * Messages from the parent: 'stats' → { requests, distinct, duplicates, firstAt, lastAt } (times of the first and the
 * latest request, ms since the epoch); 'reset' clears them.
 */
let requests = 0;
let seen = new Set<string>();
let firstAt = 0;
let lastAt = 0;

const server = createServer((req, res) => {
  if (req.url === '/internal/notice-addressees') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { residentIds } = JSON.parse(Buffer.concat(chunks).toString()) as { residentIds: string[] };
      const addressees = residentIds.map((residentId) => ({
        residentId,
        minor: false,
        name: '王晓明',
        maskedName: '王*明',
        guardianName: null,
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ addressees }));
    });
    return;
  }
  req.resume();
  req.on('end', () => {
    requests += 1;
    lastAt = Date.now();
    if (firstAt === 0) firstAt = lastAt;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') seen.add(id);
    res.writeHead(200, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as { port: number }).port });
});

process.on('message', (message) => {
  if (message === 'reset') {
    requests = 0;
    seen = new Set();
    firstAt = lastAt = 0;
    process.send!({ reset: true });
  } else if (message === 'stats') {
    process.send!({ requests, distinct: seen.size, duplicates: requests - seen.size, firstAt, lastAt });
  }
});
process.on('disconnect', () => process.exit(0));
