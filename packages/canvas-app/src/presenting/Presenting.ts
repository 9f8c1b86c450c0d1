import type { ElementId } from '@inkroom/shared';
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { exportPng, exportSvg } from '../board/exporting.js';
import type { Translator } from '../i18n/Translator.js';
import { type Person, type Presence, personOf } from '../presence/Presence.js';
import type { BoardSession } from '../session/BoardSession.js';
import type { Viewport } from '../viewport/Viewport.js';
import { FollowController } from './FollowController.js';
import { FramesController } from './FramesController.js';
import { followBanner, framesPanel, presentBar } from './presenting-views.js';

/** What presenting needs from the board. */
export interface PresentingParts {
  readonly viewport: Viewport;
  readonly host: HTMLElement & ReactiveControllerHost;
  session(): BoardSession | null;
  canEdit(): boolean;
  /** True when this page declines every call to follow (the board's `ignore-spotlight`). */
  ignoresSpotlight(): boolean;
  /** Who leads whom changed: the board tells its page. */
  followChanged(detail: { following: Person | null; spotlight: boolean; leading: boolean }): void;
}

/**
 * Presenting to others, for one board: following someone's view, asking everyone to follow this
 * person (spotlight), and the frames panel with presentation mode, which spotlights while it
 * runs. Its parts are reactive controllers of the board; this holds what ties them together.
 */
export class Presenting {
  readonly follower: FollowController;
  readonly frames: FramesController;
  /** This person asks everyone to follow their view. */
  spotlighting = false;

  constructor(private readonly parts: PresentingParts) {
    const { host, viewport } = parts;
    this.follower = new FollowController(host, {
      viewport,
      presence: () => this.presence(),
      ignoresSpotlight: () => parts.ignoresSpotlight(),
      changed: () => this.changed(),
    });
    this.frames = new FramesController(host, {
      viewport,
      host,
      session: () => parts.session(),
      canEdit: () => parts.canEdit(),
      spotlight: (on) => this.spotlight(on),
      download: (frame, format, name) => void this.download(frame, format, name),
    });
  }

  /** Who is followed, or null. */
  get following(): Person | null {
    const following = this.follower.following;
    return following && personOf(following.peer);
  }

  get presenting(): boolean {
    return this.frames.presenting !== null;
  }

  /** Asks everyone to follow this person's view (needs the right to edit), or stops asking. */
  spotlight(on: boolean): void {
    const presence = this.presence();
    if (!presence || (on && !this.parts.canEdit())) return;
    // Whoever calls leads: they follow nobody themselves.
    if (on) this.follower.stop();
    if (this.spotlighting === on) return;
    this.spotlighting = on;
    presence.setSpotlight(on);
    this.changed();
  }

  /** The board left its room: a call to follow made there is over. */
  roomLeft(): void {
    this.spotlighting = false;
    this.frames.stopPresenting();
  }

  /** The room's people changed. */
  peopleChanged(): void {
    this.follower.peopleChanged();
  }

  /** A key while presenting: true when it was the presenter's. */
  handleKey(event: KeyboardEvent): boolean {
    return this.frames.handleKey(event);
  }

  /** The stage's colour frame while following someone (a style fragment), or ''. */
  stageStyle(): string {
    const following = this.follower.following;
    return following ? `;--_follow:${following.peer.user.color}` : '';
  }

  /** What shows over the board for presenting: the bar while presenting, else the banner and frames panel. */
  render(t: Translator, canEdit: boolean): TemplateResult {
    if (this.presenting) return html`${presentBar(t, this.frames)}`;
    return html`${framesPanel(t, this.frames, canEdit)}${followBanner(
      t,
      this.follower.following,
      this.spotlighting,
      {
        stopFollowing: () => this.follower.stop(),
        stopSpotlight: () => this.spotlight(false),
      },
    )}`;
  }

  private presence(): Presence | null {
    return this.parts.session()?.presence ?? null;
  }

  private changed(): void {
    this.parts.host.requestUpdate();
    const following = this.follower.following;
    this.parts.followChanged({
      following: following && personOf(following.peer),
      spotlight: following?.spotlight ?? false,
      leading: this.spotlighting,
    });
  }

  /** Saves a frame as a PNG or SVG file (the browser's download). */
  private async download(frame: ElementId, format: 'png' | 'svg', name: string): Promise<void> {
    const context = this.parts.session()?.context;
    if (!context) return;
    const blob =
      format === 'svg'
        ? new Blob([exportSvg(context, { frame, background: '#ffffff' })], { type: 'image/svg+xml' })
        : await exportPng(context, { frame, background: '#ffffff', scale: 2 });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${name.replace(/[\\/:*?"<>|]+/g, '-') || 'frame'}.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
