import { html, nothing, type SVGTemplateResult, svg, type TemplateResult } from 'lit';
import type { IconNode } from 'lucide';

type Attrs = Record<string, string | number | undefined>;
const a = (attrs: Attrs, name: string) => attrs[name] ?? nothing;

/** Lit templates for the SVG shapes Lucide's icons are made of. */
const SHAPES: Record<string, (attrs: Attrs) => SVGTemplateResult> = {
  path: (at) => svg`<path d=${a(at, 'd')} />`,
  rect: (at) =>
    svg`<rect x=${a(at, 'x')} y=${a(at, 'y')} width=${a(at, 'width')} height=${a(at, 'height')} rx=${a(at, 'rx')} ry=${a(at, 'ry')} />`,
  circle: (at) => svg`<circle cx=${a(at, 'cx')} cy=${a(at, 'cy')} r=${a(at, 'r')} />`,
  ellipse: (at) => svg`<ellipse cx=${a(at, 'cx')} cy=${a(at, 'cy')} rx=${a(at, 'rx')} ry=${a(at, 'ry')} />`,
  line: (at) => svg`<line x1=${a(at, 'x1')} y1=${a(at, 'y1')} x2=${a(at, 'x2')} y2=${a(at, 'y2')} />`,
  polyline: (at) => svg`<polyline points=${a(at, 'points')} />`,
  polygon: (at) => svg`<polygon points=${a(at, 'points')} />`,
};

/** A Lucide icon (https://lucide.dev) as inline SVG in the current text colour. */
export function icon(node: IconNode): TemplateResult {
  return html`<svg
    class="icon"
    viewBox="0 0 24 24"
    width="18"
    height="18"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${node.map(([tag, attrs]) => SHAPES[tag]?.(attrs as Attrs) ?? nothing)}
  </svg>`;
}
