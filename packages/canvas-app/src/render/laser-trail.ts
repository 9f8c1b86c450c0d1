/** How long a laser point stays on screen, fading out, in ms. */
export const LASER_FADE_MS = 1000;
/** Points kept per trail at most (a pointer held still for long adds none; a fast one many). */
const MAX_TRAIL_POINTS = 512;
const LASER_COLOR = '#ff2d55';

/**
 * A laser pointer's fading trail, ours or someone else's (one painter for both, as for strokes):
 * points in board units with the time each was seen, drawn thinner and fainter with age and
 * forgotten after LASER_FADE_MS. Nothing of it is ever stored in the board.
 */
export class LaserTrail {
  /** x, y, time triples; a NaN x breaks the trail (the pointer was lifted in between). */
  private readonly points: number[] = [];

  /** Adds a point seen at `at` (performance.now() time); `start` begins a new line. */
  add(x: number, y: number, at: number, start = false): void {
    if (start && this.points.length > 0) this.points.push(Number.NaN, 0, at);
    this.points.push(x, y, at);
    if (this.points.length > MAX_TRAIL_POINTS * 3)
      this.points.splice(0, this.points.length - MAX_TRAIL_POINTS * 3);
  }

  /** How many of its points have not faded yet at `now`. */
  visible(now: number): number {
    let count = 0;
    for (let i = 0; i < this.points.length; i += 3)
      if (!Number.isNaN(this.points[i]!) && now - this.points[i + 2]! < LASER_FADE_MS) count++;
    return count;
  }

  /** Ends the current line: the next point starts another. */
  lift(at: number): void {
    if (this.points.length > 0 && !Number.isNaN(this.points[this.points.length - 3]!))
      this.points.push(Number.NaN, 0, at);
  }

  /**
   * Paints what has not faded yet, `unit` being one screen pixel in board units; returns true
   * while some of the trail is still to fade (the caller paints again next frame).
   */
  paint(ctx: CanvasRenderingContext2D, unit: number, now: number): boolean {
    const { points } = this;
    let first = 0;
    while (first < points.length && now - points[first + 2]! >= LASER_FADE_MS) first += 3;
    if (first > 0) points.splice(0, first);
    if (points.length === 0) return false;
    ctx.save();
    // Square ends: round ones overlap where segments meet and show as beads along the trail.
    ctx.lineCap = 'butt';
    ctx.strokeStyle = LASER_COLOR;
    let head: { x: number; y: number } | null = null;
    for (let i = 3; i < points.length; i += 3) {
      const x0 = points[i - 3]!;
      const x1 = points[i]!;
      if (Number.isNaN(x0) || Number.isNaN(x1)) continue;
      // Younger segments are wider and more opaque.
      const life = 1 - (now - points[i + 2]!) / LASER_FADE_MS;
      ctx.globalAlpha = Math.max(0, life);
      ctx.lineWidth = (1.5 + 3.5 * life) * unit;
      ctx.beginPath();
      ctx.moveTo(x0, points[i - 2]!);
      ctx.lineTo(x1, points[i + 1]!);
      ctx.stroke();
      head = { x: x1, y: points[i + 1]! };
    }
    const last = points.length - 3;
    if (!Number.isNaN(points[last]!)) head = { x: points[last]!, y: points[last + 1]! };
    if (head && now - points[last + 2]! < LASER_FADE_MS / 2) {
      // The pointer's tip: a bright dot with a glow.
      ctx.globalAlpha = 1;
      ctx.fillStyle = LASER_COLOR;
      ctx.shadowColor = LASER_COLOR;
      ctx.shadowBlur = 12;
      ctx.beginPath();
      ctx.arc(head.x, head.y, 4 * unit, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
    return true;
  }
}
