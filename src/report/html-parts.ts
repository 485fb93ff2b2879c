/*
 * The pieces of report.html every section builds with: escaping, links in source texts, and a
 * chart's figure (its inline SVG with ids scoped to the chart). Kept apart from html.ts so the
 * section modules (planning-html.ts, sensitivity-html.ts) need not import the page that includes them.
 */

/** A rendered chart as the page embeds it. */
export interface HtmlChart {
  name: string;
  title: string;
  svg: string;
}

/**
 * A chart as a `<figure>`: its SVG inline, a caption linking the SVG, PNG and vega-lite files. The
 * SVG carries its own height (`--natural-height`): the stylesheet scales a chart up to the column's
 * width but a tall one no further than a screen's height or its own, whichever is more.
 */
export function figureHtml(c: HtmlChart): string {
  return `<figure class="chart" id="chart-${esc(c.name)}">
${withNaturalHeight(scopeSvgIds(c.svg, c.name))}
<figcaption>${esc(c.title)} — <a href="${esc(c.name)}.svg">SVG</a> · <a href="${esc(c.name)}.png">PNG</a> · <a href="${esc(c.name)}.vl.json">vega-lite</a></figcaption>
</figure>`;
}

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes a source text and turns its http(s) addresses into links. */
export function linkify(text: string): string {
  const re = /https?:\/\/[^\s<>"')]+[^\s<>"').,;:]/g;
  let html = '';
  let at = 0;
  for (const m of text.matchAll(re)) {
    html += esc(text.slice(at, m.index)) + `<a href="${esc(m[0])}">${esc(m[0])}</a>`;
    at = m.index + m[0].length;
  }
  return html + esc(text.slice(at));
}

/**
 * Inline SVGs share the page's id space: prefix every id (and its references) with the chart's
 * name so two charts' clip paths or gradients never collide.
 */
export function scopeSvgIds(svg: string, scope: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, ` id="${scope}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${scope}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${scope}-$1"`);
}

/** `<svg … height="1328" …>` → `<svg style="--natural-height: 1328px" … height="1328" …>`. */
export function withNaturalHeight(svg: string): string {
  const m = /^<svg\b(?![^>]*\sstyle=)[^>]*?\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  return m ? `<svg style="--natural-height: ${m[1]}px"${svg.slice(4)}` : svg;
}
