/**
 * What element geometry is traced into. `Path2D` is one (the board paints it on a canvas);
 * {@link SvgPath} is the other (SVG export and the server's room previews), so both draw the same
 * shapes from the same code.
 */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  closePath(): void;
}

/** Coordinates in SVG path data: two decimals are a hundredth of a board unit. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Builds SVG path data (`d`). */
export class SvgPath implements PathSink {
  private readonly parts: string[] = [];

  moveTo(x: number, y: number): void {
    this.parts.push(`M${num(x)} ${num(y)}`);
  }

  lineTo(x: number, y: number): void {
    this.parts.push(`L${num(x)} ${num(y)}`);
  }

  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void {
    this.parts.push(`Q${num(cx)} ${num(cy)} ${num(x)} ${num(y)}`);
  }

  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    this.parts.push(`C${num(c1x)} ${num(c1y)} ${num(c2x)} ${num(c2y)} ${num(x)} ${num(y)}`);
  }

  closePath(): void {
    this.parts.push('Z');
  }

  /** The path data, or '' when nothing was traced. */
  toString(): string {
    return this.parts.join('');
  }
}
