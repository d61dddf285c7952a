/**
 * `node bench/cpuprofile-summary.mjs <dir> [phase] [top]`: a service CPU profile written by `--cpu-prof <dir>`, as
 * self time by package and by function (the bundle's frames mapped back to their sources and packages through
 * dist/service/*.js.map). With `phase`, only the samples inside that window of <dir>/windows.json
 * ({ "phase": [fromMicroseconds, toMicroseconds] }, CLOCK_MONOTONIC as V8's profile: process.hrtime in the driver).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';
const maps = new Map();
const mapOf = (url) => { if (!maps.has(url)) { let m = null; try { m = new SourceMap(JSON.parse(readFileSync(new URL(url).pathname + '.map', 'utf8'))); } catch {} maps.set(url, m); } return maps.get(url); };
const original = (cf) => { if (!cf.url.includes('/dist/service/')) return cf; const m = mapOf(cf.url); const e = m?.findEntry(cf.lineNumber, cf.columnNumber); if (!e || !e.originalSource) return cf; return { functionName: cf.functionName || e.name || '', url: e.originalSource, lineNumber: e.originalLine, columnNumber: e.originalColumn }; };
const [dir, phase, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const [from, to] = phase ? JSON.parse(readFileSync(path.join(dir, 'windows.json'), 'utf8'))[phase] : [0, Infinity];
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
let t = p.startTime, total = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  if (t < from || t > to) continue;
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
}
const byFn = new Map(), byPkg = new Map();
const pkgOf = (url) => {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:internal';
  return url.replace(/^.*\/(dist|src)\//, 'src/').replace(/\/[^/]+$/, '/');
};
for (const [id, ms] of self) {
  const n = nodes.get(id), cf = original(n.callFrame);
  if (cf.functionName === '(idle)') continue;
  total += ms;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*\/(node_modules|dist)\//, '')}:${cf.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + ms);
  const pk = pkgOf(cf.url);
  byPkg.set(pk, (byPkg.get(pk) ?? 0) + ms);
}
const show = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([name, ms]) => console.log(`${ms.toFixed(1).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${name}`));
console.log(`phase ${phase ?? 'all'}: ${total.toFixed(0)} ms non-idle`);
console.log('-- by package'); show(byPkg, 15);
console.log('-- by function (self)'); show(byFn, top);
