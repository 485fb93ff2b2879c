/* report.html's stylesheet (inline: the page fetches nothing); print rules for A4. */

export const CSS = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --bad: #b3261e; --ok: #1e7b34; --warn-bg: #fff4e5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", Verdana, system-ui, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1280px; background: white; }
h3 { font-size: 14px; margin: 14px 0 4px; }
.wide { overflow-x: auto; }
ul.reasons { margin: 0; padding-left: 20px; font-size: 13px; }
ul.reasons li { margin: 2px 0; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.lede { margin: 0 0 10px; color: var(--muted); }
.verdict { background: #eef6ee; border-left: 4px solid #2e7d32; padding: 4px 14px; margin: 8px 0 14px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.verdict h2 { margin: 6px 0 2px; font-size: 1.05em; }
.verdict p { margin: 4px 0 8px; max-width: 60em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.warning { background: var(--warn-bg); border-left: 4px solid #e8710a; padding: 8px 12px; }
.note { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--fg); }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.comparison tbody th { font-weight: 600; }
table.comparison tr.cheapest { background: #eef6ee; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
table.comparison td.ranked { font-weight: bold; }
table.comparison tbody.baselines td { color: var(--muted); }
table.comparison tr.group th { padding-top: 16px; border-bottom: 2px solid var(--line); font-size: 13.5px; }
.tag { display: inline-block; white-space: nowrap; print-color-adjust: exact; -webkit-print-color-adjust: exact; font-size: 11px; font-weight: 600; border-radius: 3px; padding: 0 5px; margin-left: 6px; background: #eceff3; color: var(--muted); vertical-align: 1px; }
.tag.best { background: #2e7d32; color: white; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.tag.lossy { background: #fde7e6; color: var(--bad); }
table.details tbody th { font-weight: normal; color: var(--muted); white-space: nowrap; }
table.details tr.line th { padding-left: 22px; white-space: normal; }
table.details tr.total td { font-weight: bold; }
ul.notes { margin: 6px 0; padding-left: 20px; font-size: 13px; }
p.answer { font-size: 15px; }
.label { font-weight: normal; color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
td.bad, .bad { color: var(--bad); }
td.ok { color: var(--ok); }
td.num { white-space: nowrap; }
tr.best td { font-weight: 600; }
table.claims tr.reason td { color: var(--muted); font-size: 12.5px; padding-top: 0; }
.badge { display: inline-block; font-size: 10.5px; font-weight: bold; letter-spacing: .03em; color: #8a4b00; background: #ffe8c2; border-radius: 3px; padding: 0 4px; }
td.source { overflow-wrap: anywhere; }
/*
 * Charts take the whole column (their SVGs scale by viewBox), each with its caption; a tall one
 * (the tornado) grows no taller than a screen, or its own height if more, and is centred.
 */
figure.chart { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; max-height: max(100vh, var(--natural-height, 100vh)); display: block; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
a { color: #1a56a8; }
@page { size: A4; margin: 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  .wide { overflow: visible; }
  /* A heading never ends a page: it goes with what follows; a chart fits one page, whole. */
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .keep, section#run, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  /* Short enough to share a page (269 mm of A4 inside the margins) with its heading and lead. */
  figure.chart svg { max-height: 200mm; }
  table { font-size: 10.5px; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  figcaption a, footer a { color: inherit; text-decoration: none; }
  .warning { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
