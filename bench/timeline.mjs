/**
 * `node bench/timeline.mjs <dir>`: what each thread did when, from the CPU profiles of one run
 * (`node --cpu-prof --cpu-prof-dir=<dir> dist/src/cli.js run …`; one profile per thread, worker
 * threads included). Per thread: its busy and idle seconds, then per bucket (B seconds, default
 * 0.5; B=0.1 for detail) how busy it was and the src/ call chain it spent most of it in. Idle
 * buckets on one thread while another is busy are the serial gaps (issue 16).
 */
import fs from 'node:fs';
import process from 'node:process';
import console from 'node:console';
const dir = process.argv[2];
const B = +(process.env.B ?? 0.5) * 1e6;
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort();
const profs = files.map((f) => JSON.parse(fs.readFileSync(dir + '/' + f)));
const t0 = Math.min(...profs.map((p) => p.startTime));
for (const [fi, p] of profs.entries()) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucket = new Map();
  let t = p.startTime;
  let busy = 0,
    idle = 0;
  const label = (id) => {
    // find nearest frame in src/ with interesting names
    let cur = id;
    const chain = [];
    while (cur !== undefined) {
      const n = byId.get(cur);
      const cf = n.callFrame;
      if (cf.url.includes('/src/')) chain.push(cf.functionName + '@' + cf.url.replace(/.*\/src\//, ''));
      cur = parent.get(cur);
    }
    return chain.slice(-4, -1).reverse().join(' < ') || byId.get(id).callFrame.functionName;
  };
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const n = byId.get(p.samples[i]);
    const b = Math.floor((t - t0) / B);
    const e = bucket.get(b) ?? { busy: 0, idle: 0, what: new Map() };
    bucket.set(b, e);
    const dt = p.timeDeltas[i];
    if (n.callFrame.functionName === '(idle)') {
      e.idle += dt;
      idle += dt;
    } else {
      e.busy += dt;
      busy += dt;
      const l = label(p.samples[i]);
      e.what.set(l, (e.what.get(l) ?? 0) + dt);
    }
  }
  console.log(
    `== thread ${fi} ${files[fi]} start ${((p.startTime - t0) / 1e6).toFixed(2)} end ${((p.endTime - t0) / 1e6).toFixed(2)} busy ${(busy / 1e6).toFixed(2)} idle ${(idle / 1e6).toFixed(2)}`,
  );
  for (const [b, e] of [...bucket].sort((a, b) => a[0] - b[0])) {
    const top = [...e.what].sort((a, b) => b[1] - a[1])[0];
    console.log(
      ((b * B) / 1e6).toFixed(1).padStart(6),
      'busy',
      ((e.busy / (e.busy + e.idle)) * 100).toFixed(0).padStart(3) + '%',
      top ? top[0].slice(0, 150) : '',
    );
  }
}
