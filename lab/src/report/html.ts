/**
 * The report page: sections of headings, paragraphs, tables and figures, assembled into one
 * self-contained HTML file (inline CSS, no scripts) that links the SVG/PNG figures beside it.
 *
 * @module
 */

export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type Block =
  | { kind: 'p'; html: string }
  | { kind: 'table'; head: string[]; rows: (string | number)[][]; caption?: string }
  | { kind: 'figure'; file: string; caption: string }
  | { kind: 'missing'; what: string; why: string };

export interface Section {
  id: string;
  /** e.g. "Step 7 — classifiers". */
  title: string;
  blocks: Block[];
  /** Seconds this section took. */
  seconds?: number;
}

/** A number for a table cell: fixed digits, '—' for null/NaN. */
export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

function block(b: Block): string {
  switch (b.kind) {
    case 'p': return `<p>${b.html}</p>`;
    case 'missing': return `<p class="missing" data-testid="missing"><strong>${esc(b.what)}: not available</strong> — ${esc(b.why)}</p>`;
    case 'figure':
      return `<figure><a href="${esc(b.file)}.png"><img src="${esc(b.file)}.svg" alt="${esc(b.caption)}" loading="lazy"></a>` +
        `<figcaption>${esc(b.caption)} <a href="${esc(b.file)}.svg">SVG</a> · <a href="${esc(b.file)}.png">PNG</a></figcaption></figure>`;
    case 'table':
      return `<table>${b.caption ? `<caption>${esc(b.caption)}</caption>` : ''}<thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }
}

const CSS = `body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:right}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:bold;padding:.3rem 0}
figure{margin:1rem 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.85rem;color:#555}
.missing{color:#8a5a00;background:#fff7e6;padding:.4rem .6rem;border-left:3px solid #f0a000}.timing{color:#777;font-size:.85rem}
nav ul{columns:2;font-size:.9rem}`;

/** The whole page. */
export function page(title: string, intro: string, sections: Section[]): string {
  const nav = `<nav><ul>${sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('')}</ul></nav>`;
  const body = sections.map((s) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.blocks.map(block).join('\n')}` +
    (s.seconds !== undefined ? `<p class="timing">section time ${s.seconds.toFixed(1)} s</p>` : '') + '</section>').join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body><h1>${esc(title)}</h1>${intro}${nav}${body}</body></html>\n`;
}
