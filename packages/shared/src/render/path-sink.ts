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

/** A number in SVG (path data, attributes): two decimals are a hundredth of a board unit. */
export function svgNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Builds SVG path data (`d`). */
export class SvgPath implements PathSink {
  private readonly parts: string[] = [];

  moveTo(x: number, y: number): void {
    this.parts.push(`M${svgNumber(x)} ${svgNumber(y)}`);
  }

  lineTo(x: number, y: number): void {
    this.parts.push(`L${svgNumber(x)} ${svgNumber(y)}`);
  }

  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void {
    this.parts.push(`Q${svgNumber(cx)} ${svgNumber(cy)} ${svgNumber(x)} ${svgNumber(y)}`);
  }

  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    this.parts.push(
      `C${svgNumber(c1x)} ${svgNumber(c1y)} ${svgNumber(c2x)} ${svgNumber(c2y)} ${svgNumber(x)} ${svgNumber(y)}`,
    );
  }

  closePath(): void {
    this.parts.push('Z');
  }

  /** The path data, or '' when nothing was traced. */
  toString(): string {
    return this.parts.join('');
  }
}
