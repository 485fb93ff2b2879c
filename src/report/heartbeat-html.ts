import {
  countedHits,
  WARM_BY_TRAFFIC_SHARE,
  type BreakevenResult,
  type HeartbeatBreakeven,
  type HeartbeatVariant,
} from '../compare/result.js';
import { formatDuration } from '../scenario/units.js';
import { count, seconds, signedUsd, usd } from './text/format.js';
import { esc, figureHtml, type HtmlChart } from './html-parts.js';

/*
 * `<section id="heartbeat">` of report.html (design §11): the heartbeat break-even the terminal
 * prints — per option that scales to zero, the chosen schedule, what it adds and the cold starts it
 * avoids, the schedules priced — with the `heartbeat` chart when the chart set has one.
 */

/**
 * The section; empty when the break-even did not run. `zone` names the scenario's time zone, in
 * which the schedules' hours are read.
 */
export function heartbeatSection(
  b: BreakevenResult | undefined,
  chart: HtmlChart | undefined,
  zone: string,
): string {
  if (!b) return '';
  const blocks: Block[] =
    b.heartbeat.length === 0
      ? [
          {
            head: '<p>No option of this scenario scales to zero, so there is nothing to keep warm.</p>',
            body: '',
          },
        ]
      : b.heartbeat.map(block);
  // The heading, its note, the chart and the first answer print as one block (no heading alone at a
  // page foot); each further option's heading keeps its answer.
  const [first, ...rest] = blocks;
  return `<section id="heartbeat">
<div class="keep">
<h2>Warm heartbeat break-even</h2>
<p class="note">A heartbeat is a request the caller sends on a schedule so a copy that scales to zero stays loaded. Schedule hours are local to ${esc(zone)}; costs are over the span.</p>
${chart ? figureHtml(chart) : ''}
${first!.head}
</div>
${first!.body}
${rest.map((x) => `<div class="keep">\n${x.head}\n</div>\n${x.body}`).join('\n')}
</section>`;
}

/** An option's part of the section: its heading with the answer, then the table and notes. */
interface Block {
  head: string;
  body: string;
}

function block(h: HeartbeatBreakeven): Block {
  const never = h.variants[0]!;
  const counted = (v: HeartbeatVariant): number => countedHits(v, h.classes);
  const cls = h.classes.join('+');
  const b = h.bestSchedule;
  const rows = h.variants
    .map((v, i) => {
      const best = v.schedule === b.schedule;
      return `<tr${best ? ' class="best"' : ''}><td>${esc(v.schedule)}${best ? ' ★' : ''}</td><td class="num">${usd(v.cost)}</td><td class="num">${i === 0 ? '—' : signedUsd(v.cost - never.cost)}</td><td class="num">${count(counted(v))}</td><td class="num">${i === 0 ? '—' : count(counted(never) - counted(v))}</td><td class="num">${count(v.coldStartHits)}</td><td class="num">${seconds(v.firstCall)}</td><td class="num">${seconds(v.p99Interactive)}</td></tr>`;
    })
    .join('\n');
  const answer = b.heartbeat
    ? `<p class="answer"><strong>Best (★): ${esc(b.schedule)}</strong> — avoids ${count(b.avoided)} of ${count(counted(never))} ${esc(cls)} cold-start hits for <strong>${signedUsd(b.addedCost)}</strong> over the span${b.costPerAvoided === null ? '' : ` (${signedUsd(b.costPerAvoided)} each)`}.</p>
<p>As a setting: <code>heartbeat: { every: ${esc(b.heartbeat.every)}, during: [${b.heartbeat.during.map((d) => `'${esc(d)}'`).join(', ')}], days: ${esc(b.heartbeat.days)} }</code>. Fitted to this trace (${esc(b.fittedTo)}) on a ${esc(formatDuration(h.gridSeconds))} grid; ${esc(b.basis)}.${wholeHours(h, counted)}</p>`
    : `<p class="answer"><strong>Best: no heartbeat</strong> — ${esc(b.basis)}.</p>`;
  const notes = [
    h.method.note,
    uncountedText(h),
    h.costPerAvoidedColdStart === null
      ? `A heartbeat always on avoids no ${cls} cold start here.`
      : `A heartbeat always on costs ${usd(h.costPerAvoidedColdStart)} per avoided ${cls} cold start.`,
    breakEvenText(h, counted),
    netText(h),
    warmByTrafficText(h),
  ].filter((s) => s !== '');
  const head = `<h3>${esc(h.option)} <span class="label">scales to zero after ${esc(formatDuration(h.scaleToZeroSeconds))} idle; counts ${esc(h.classes.join(' and '))} cold starts</span></h3>
${answer}`;
  const body = `<div class="wide">
<table class="heartbeat">
<thead><tr><th>schedule</th><th class="num">cost</th><th class="num">added</th><th class="num">${esc(cls)} hits</th><th class="num">avoided</th><th class="num">all hits</th><th class="num">first call</th><th class="num">p99 interactive</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<ul class="notes">
${notes.map((n) => `<li>${esc(n)}</li>`).join('\n')}
</ul>`;
  return { head, body };
}

function wholeHours(h: HeartbeatBreakeven, counted: (v: HeartbeatVariant) => number): string {
  const wh = h.variants.find((v) => v.schedule === h.wholeHourSchedule.schedule);
  if (!wh || wh.schedule === h.bestSchedule.schedule) return '';
  const never = h.variants[0]!;
  return ` Best in whole hours: ${esc(wh.schedule)}, ${signedUsd(wh.cost - never.cost)}, ${count(counted(never) - counted(wh))} avoided.`;
}

function uncountedText(h: HeartbeatBreakeven): string {
  const u = h.uncounted;
  if (u.classes.length === 0 || u.hitsNever === 0) return '';
  const longer = u.slowestLongerBy;
  return `Not counted (${u.classes.join(', ')}): ${count(u.hitsNever)} requests wait on a cold start without a heartbeat, ${count(u.hitsBest)} with the best${longer !== null && longer > 0 ? `; the slowest waits ${seconds(longer)} longer without it` : ''}.`;
}

function breakEvenText(h: HeartbeatBreakeven, counted: (v: HeartbeatVariant) => number): string {
  const be = h.breakEvenColdStartValue;
  if (be === null) return '';
  const never = h.variants[0]!;
  const cls = h.classes.join('+');
  const at = h.variants.find((v) => {
    const avoided = counted(never) - counted(v);
    return avoided > 0 && Math.abs((v.cost - never.cost) / avoided - be) < 1e-9;
  });
  const which = at ? ` (${at.schedule})` : '';
  return be <= 0
    ? `A heartbeat can avoid ${cls} cold starts for ${be < 0 ? 'less than nothing' : 'nothing'}${which}: ${signedUsd(be)} each, so it pays at any value.`
    : `Break-even: a heartbeat pays once an avoided ${cls} cold start is worth more than ${usd(be)}${which}; below that, none does.`;
}

function netText(h: HeartbeatBreakeven): string {
  const v = h.verdict;
  if (!v) return '';
  const val =
    typeof v.coldStartValue === 'number'
      ? usd(v.coldStartValue)
      : Object.entries(v.coldStartValue)
          .map(([k, x]) => `${k} ${usd(x)}`)
          .join(', ');
  return `At ${val} per avoided cold start: always ${signedUsd(v.alwaysNet)}, best ${signedUsd(v.bestNet)} net over the span (value of the cold starts avoided minus the added cost).`;
}

function warmByTrafficText(h: HeartbeatBreakeven): string {
  const w = h.warmByTraffic;
  const share = `${WARM_BY_TRAFFIC_SHARE * 100}%`;
  return w.requestsPerDay === null
    ? `Traffic alone does not keep it warm within the volume range (a heartbeat ${w.schedule} keeps adding ≥ ${share} to the bill).`
    : `Traffic keeps it warm by itself from about ${count(Math.round(w.requestsPerDay))} requests/day (this shape, scaled): there a heartbeat ${w.schedule} adds < ${share} to the bill.`;
}
