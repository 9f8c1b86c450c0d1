import { describe, expect, it } from 'vitest';
import { createBoardDoc } from '../schema/board-doc.js';
import { addElement, listElements } from '../schema/elements.js';
import { pointsFrom } from '../schema/points.js';
import { SvgPath } from './path-sink.js';
import { boundsOfElements, renderSvg } from './svg.js';

function board() {
  const doc = createBoardDoc();
  const ids = {
    stroke: addElement(doc, {
      kind: 'stroke',
      x: 10,
      y: 20,
      strokeColor: '#e03131',
      points: pointsFrom([
        [0, 0],
        [40, 10],
        [80, 0],
      ]),
    }),
    rect: addElement(doc, {
      kind: 'rectangle',
      x: 100,
      y: 100,
      width: 50,
      height: 30,
      fill: '#a5d8ff',
      rotation: Math.PI / 2,
    }),
    arrow: addElement(doc, {
      kind: 'arrow',
      x: 0,
      y: 200,
      points: pointsFrom([
        [0, 0],
        [120, 0],
      ]),
      arrowStart: true,
    }),
    note: addElement(doc, {
      kind: 'sticky',
      x: 300,
      y: 0,
      width: 120,
      height: 120,
      text: 'ship <it> & "tell" everyone today',
    }),
    text: addElement(doc, {
      kind: 'text',
      x: -50,
      y: -40,
      width: 100,
      height: 25,
      text: 'a\nb',
      align: 'center',
      opacity: 0.5,
    }),
  };
  return { doc, ids };
}

describe('renderSvg', () => {
  it('draws every element as a group, in order, with escaped text', () => {
    const { doc, ids } = board();
    const svg = renderSvg(listElements(doc));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const groups = [...svg.matchAll(/<g data-id="([^"]+)" data-kind="([a-z]+)"/g)].map((m) => [m[1], m[2]]);
    // In paint order, and one group per element.
    expect(groups).toEqual(listElements(doc).map((e) => [e.id, e.kind]));
    expect(new Set(groups.map((g) => g[0]))).toEqual(new Set(Object.values(ids)));
    expect(svg).toContain('fill="#e03131"');
    expect(svg).toContain('transform="rotate(90 125 115)"');
    expect(svg).toContain('opacity="0.5"');
    expect(svg).toContain('>&#60;it&#62; &#38;</tspan><tspan x="312" y="62">&#34;tell&#34;<');
    // The arrow has two heads besides its line; the sticky note wraps at its width.
    expect(svg.match(/<g data-id="[^"]+" data-kind="arrow">(.*?)<\/g>/)![1]!.match(/<path /g)).toHaveLength(
      3,
    );
    expect(svg.match(/<tspan /g)!.length).toBeGreaterThan(3);
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it("draws a shape's label centred in it, wrapped to its width, and an arrow's at its middle over a halo", () => {
    const doc = createBoardDoc();
    addElement(doc, {
      kind: 'rectangle',
      x: 0,
      y: 0,
      width: 200,
      height: 100,
      text: 'one two three four five six',
    });
    addElement(doc, {
      kind: 'arrow',
      x: 0,
      y: 200,
      points: pointsFrom([
        [0, 0],
        [100, 0],
        [100, 100],
      ]),
      text: 'go',
    });
    const svg = renderSvg(listElements(doc), { measureText: (text, size) => text.length * size * 0.5 });
    const box = /data-kind="rectangle".*?<text ([^>]*)>(.*?)<\/text>/.exec(svg)!;
    const lines = [...box[2]!.matchAll(/<tspan x="([\d.]+)" y="([\d.]+)">([^<]*)</g)];
    // 180 units of room at 10 a character: two lines, centred on (100, 50).
    expect(lines.map((line) => line[3])).toEqual(['one two three four', 'five six']);
    expect(lines.every((line) => line[1] === '100')).toBe(true);
    expect(Number(lines[0]![2])).toBe(50 - 25);
    expect(box[1]).toContain('text-anchor="middle"');
    expect(svg.split('data-kind="rectangle"')[1]!.split('</g>')[0]).not.toContain('<rect');
    const arrow = /data-kind="arrow".*?(<rect [^>]*>)<text ([^>]*)><tspan x="([\d.]+)" y="([\d.]+)">go</.exec(
      svg,
    )!;
    // Half of its 200 units of length: the corner, (100, 200); one line of 25 centred on it, over
    // a background box as wide as the text (20) and its padding (6 each side).
    expect([arrow[3], arrow[4]]).toEqual(['100', '187.5']);
    expect(arrow[1]).toBe('<rect x="84" y="187.5" width="32" height="25" fill="#ffffff"/>');
  });

  it('frames the elements with padding, and paints a background only when asked', () => {
    const { doc } = board();
    const elements = listElements(doc);
    const box = boundsOfElements(elements)!;
    const svg = renderSvg(elements, { padding: 10 });
    const [x, y, w, h] = svg
      .match(/viewBox="([^"]+)"/)![1]!
      .split(' ')
      .map(Number);
    expect(x).toBeLessThanOrEqual(box.minX - 10);
    expect(y).toBeLessThanOrEqual(box.minY - 10);
    expect(x! + w!).toBeGreaterThanOrEqual(box.maxX + 10);
    expect(y! + h!).toBeGreaterThanOrEqual(box.maxY + 10);
    expect(svg).not.toMatch(/<rect /);
    expect(renderSvg(elements, { background: '#ffffff' })).toMatch(/<rect [^>]*fill="#ffffff"/);
  });

  it('leaves out characters XML forbids, whatever a note holds', () => {
    const doc = createBoardDoc();
    addElement(doc, { kind: 'sticky', text: 'a\u000bb\u0000c\ud800d\u{1f600}\te' });
    const svg = renderSvg(listElements(doc));
    expect(svg).toContain('abcd\u{1f600}\te');
    expect([...svg].filter((c) => c < ' ' && !'\t\n\r'.includes(c))).toEqual([]);
  });

  it('renders an empty board as an empty frame', () => {
    expect(renderSvg([])).toMatch(/width="32" height="32"/);
  });
});

describe('SvgPath', () => {
  it('writes path data with two decimals at most', () => {
    const path = new SvgPath();
    path.moveTo(1, 2.345);
    path.lineTo(3, 4);
    path.quadraticCurveTo(5, 6, 7.001, 8);
    path.bezierCurveTo(1, 1, 2, 2, 3, 3);
    path.closePath();
    expect(String(path)).toBe('M1 2.35L3 4Q5 6 7 8C1 1 2 2 3 3Z');
  });
});
