// The Hono peer of the fan-out benchmark: the same endpoints as FanOutServer (GET /events,
// GET /control/stats, POST /control/publish?count=C&rate=R&first=F), with Hono's streamSSE on Node.js.
//
//   node --expose-gc benchmarks/hono/server.mjs 18081
//
// A broadcast writes the event to every subscriber with stream.writeSSE and waits for all of the
// writes, as a Hono application does. The data carries process.hrtime.bigint() when the event was due
// by the schedule and when its broadcast began: the same monotonic clock (CLOCK_MONOTONIC) as
// System.nanoTime() in the Java load generator on the same machine.
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';

const port = Number(process.argv[2] ?? 18081);
const subscribers = new Set();
let publishing = false;

const app = new Hono();

app.get('/events', (c) =>
  streamSSE(c, async (stream) => {
    subscribers.add(stream);
    await new Promise((resolve) => stream.onAbort(resolve));
    subscribers.delete(stream);
  }),
);

app.get('/control/stats', (c) => {
  const cpu = process.cpuUsage(); // before the GC, so that asking does not count
  if (global.gc && c.req.query('gc') !== 'false') global.gc();
  const status = readFileSync('/proc/self/status', 'utf8');
  const threads = /^Threads:\s+(\d+)/m.exec(status)[1];
  const rssKib = /^VmRSS:\s+(\d+)/m.exec(status)[1];
  const heapKib = Math.round(process.memoryUsage().heapUsed / 1024);
  return c.text(
    `subscribers=${subscribers.size}\nthreads=${threads}\nrss_kib=${rssKib}\n` +
      `heap_used_kib=${heapKib}\npublishing=${publishing}\n` +
      `cpu_ms=${Math.round((cpu.user + cpu.system) / 1000)}\n`,
  );
});

app.post('/control/publish', (c) => {
  const count = Number(c.req.query('count'));
  const rate = Number(c.req.query('rate'));
  const first = Number(c.req.query('first') ?? 0);
  if (publishing) return c.text('a publisher is still running', 409);
  publishing = true;
  publish(first, count, rate).finally(() => {
    publishing = false;
  });
  return c.body(null, 202);
});

function payload(seq, due, sent) {
  let data = `{"seq":${seq},"due":${due},"sent":${sent},"room":"general","user":"alice","text":"`;
  while (data.length < 148) data += 'lorem ipsum ';
  return data.slice(0, 148) + '"}';
}

async function publish(first, count, rate) {
  const start = process.hrtime.bigint();
  for (let seq = first; seq < first + count; seq++) {
    let due = process.hrtime.bigint();
    if (rate > 0) {
      due = start + BigInt(Math.round(((seq - first) * 1e9) / rate));
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const message = { id: String(seq), event: 'chat', data: payload(seq, due, process.hrtime.bigint()) };
    await Promise.all([...subscribers].map((stream) => stream.writeSSE(message).catch(() => {})));
  }
}

serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => {
  console.log(`fan-out server (hono) on http://127.0.0.1:${port}`);
});
