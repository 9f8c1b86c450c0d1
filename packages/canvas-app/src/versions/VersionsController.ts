import { getElement, listElements, renderSvg, restoreBoard } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Y from 'yjs';
import type { Translator } from '../i18n/Translator.js';
import type { BoardSession } from '../session/BoardSession.js';
import { paintVersionDiff, VersionDiff } from './version-diff.js';

/** A version as the server lists it (`GET /api/rooms/<room>/versions`). */
export interface Version {
  readonly id: number;
  readonly time: number;
  readonly name?: string;
  readonly authors: readonly string[];
}

/** What the history needs from the board. */
export interface VersionsParts {
  /** The board: it takes the keyboard back when the panel closes or restores. */
  readonly host: HTMLElement;
  /** The room's HTTP API and its token; null without a room. */
  api(): { base: string; token: string | null } | null;
  session(): BoardSession | null;
  canEdit(): boolean;
}

/** How long each version shows while the history plays. */
const PLAY_MS = 700;

/**
 * The board's History panel: the room's versions from the server, one of them shown beside the
 * live board (its picture in the panel; on the board, what restoring it would bring back, set
 * back or remove), saved on demand with a name, restored as one undo step of this person (a
 * forward change: it merges with what others do meanwhile), and played one after another as a
 * timelapse of how the board was made.
 */
export class VersionsController implements ReactiveController {
  open = false;
  versions: Version[] = [];
  /**
   * The version shown, its board, its picture (an SVG data URL, drawn once), and how it differs
   * from the board now.
   */
  selected: { version: Version; doc: Y.Doc; picture: string; diff: VersionDiff } | null = null;
  /** What the panel says (loading, saved, restored, or what went wrong, in the board's language), or null. */
  message: ((t: Translator) => string) | null = null;
  playing = false;
  private playTimer: ReturnType<typeof setTimeout> | undefined;
  private stopScene: (() => void) | null = null;
  private stopPainter: (() => void) | null = null;
  /** Counts the selects: one that finishes after a newer select, or after the panel closed, is dropped. */
  private selecting = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly parts: VersionsParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close();
  }

  async toggle(): Promise<void> {
    if (this.open) return this.close();
    this.open = true;
    this.host.requestUpdate();
    await this.refresh();
  }

  close(): void {
    const wasOpen = this.open;
    this.open = false;
    this.selecting++;
    this.stop();
    this.unselect();
    // The keys go to the board again (the panel's button that had them is gone).
    if (wasOpen) this.parts.host.focus();
    this.host.requestUpdate();
  }

  /** Reads the room's versions again, newest first. */
  async refresh(): Promise<void> {
    try {
      const body = (await this.fetchJson('/versions')) as { versions: Version[] };
      this.versions = body.versions.slice().reverse();
      this.message = this.versions.length === 0 ? (t) => t.t('history.none') : null;
    } catch (error) {
      this.message = (t) => t.t('history.unavailable', { reason: (error as Error).message });
    }
    this.host.requestUpdate();
  }

  /** Shows a version: its picture in the panel, and on the board what restoring it would do. */
  async select(version: Version): Promise<void> {
    const api = this.parts.api();
    const session = this.parts.session();
    if (!api || !session) return;
    const ticket = ++this.selecting;
    try {
      const res = await fetch(`${api.base}/versions/${version.id}.yjs`, {
        headers: authorization(api.token),
      });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // Closed, left for another room, or another version picked meanwhile: this one is not shown.
      if (ticket !== this.selecting || this.parts.session() !== session) return;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, bytes);
      this.unselect();
      const svg = renderSvg(listElements(doc), { background: '#ffffff', padding: 16 });
      const picture = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      const diff = new VersionDiff(
        doc,
        // The stored element, as the version holds it (the scene's is as drawn: a bound arrow follows its target).
        (id) => getElement(session.doc, id) ?? undefined,
        [...session.scene.unordered()].map((entry) => entry.id),
      );
      this.selected = { version, doc, picture, diff };
      // The differences follow the live board as people go on editing: what changed, compared again.
      this.stopScene = session.scene.onChange((changed) => {
        diff.update(changed);
        session.renderer.requestOverlay();
        this.host.requestUpdate();
      });
      this.stopPainter = session.renderer.addOverlayPainter((ctx, viewport) => {
        if (this.selected)
          paintVersionDiff(ctx, this.selected.diff, (id) => session.scene.get(id) ?? null, viewport.zoom);
      });
      session.renderer.requestOverlay();
    } catch (error) {
      this.message = (t) => t.t('history.unreadable', { reason: (error as Error).message });
    }
    this.host.requestUpdate();
  }

  /** Records a version now, with a name (write access). */
  async save(name: string): Promise<void> {
    try {
      await this.fetchJson('/versions', {
        method: 'POST',
        body: JSON.stringify(name.trim() ? { name: name.trim() } : {}),
      });
      this.message = (t) => t.t('history.saved');
      await this.refresh();
    } catch (error) {
      this.message = (t) => t.t('history.notSaved', { reason: (error as Error).message });
      this.host.requestUpdate();
    }
  }

  /**
   * Makes the board hold the version shown, as one undo step of this person: what was erased
   * since comes back, what changed is set back, and what was added since is removed, unless
   * `keepAdded` (then only what was lost comes back; what people are adding stays).
   */
  restore(keepAdded: boolean): void {
    const session = this.parts.session();
    const selected = this.selected;
    if (!session || !selected || !this.parts.canEdit()) return;
    const result = session.history.step(() =>
      restoreBoard(session.doc, selected.doc, session.history.origin, { keepAdded }),
    );
    const { name, time } = selected.version;
    this.message = (t) =>
      t.t('history.restored', {
        label: name ?? t.t('history.versionOf', { time: t.dateTime(time) }),
        added: result.added,
        changed: result.changed,
        removed: result.removed,
      });
    this.unselect();
    // Ctrl+Z right away reaches the board's undo.
    this.parts.host.focus();
    this.host.requestUpdate();
  }

  /** Plays the versions from the oldest to the newest, one at a time: how the board was made. */
  async play(): Promise<void> {
    if (this.playing) return this.stop();
    const oldestFirst = this.versions.slice().reverse();
    if (oldestFirst.length === 0) return;
    this.playing = true;
    const step = async (index: number) => {
      if (!this.playing) return;
      await this.select(oldestFirst[index]!);
      if (index + 1 < oldestFirst.length) this.playTimer = setTimeout(() => void step(index + 1), PLAY_MS);
      else this.stop();
    };
    await step(0);
  }

  stop(): void {
    this.playing = false;
    clearTimeout(this.playTimer);
    this.host.requestUpdate();
  }

  unselect(): void {
    this.stopScene?.();
    this.stopPainter?.();
    this.stopScene = null;
    this.stopPainter = null;
    this.selected?.doc.destroy();
    this.selected = null;
    this.parts.session()?.renderer.requestOverlay();
  }

  private async fetchJson(path: string, init: RequestInit = {}): Promise<unknown> {
    const api = this.parts.api();
    if (!api) throw new Error('no room');
    const res = await fetch(`${api.base}${path}`, {
      ...init,
      headers: { ...authorization(api.token), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    if (!res.ok) throw new Error(body.error ?? `the server answered ${res.status}`);
    return body;
  }
}

function authorization(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
