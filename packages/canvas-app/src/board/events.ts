import type { ElementId } from '@inkroom/shared';
import type { ConnectionStatus } from '../controllers/ConnectionController.js';
import type { Person } from '../presence/Presence.js';

/** What each of the board's events carries in `detail`. */
export interface BoardEventDetails {
  /** Elements were added, changed or removed, by anyone. */
  'inkroom-change': { ids: ElementId[] };
  /**
   * The connection moved on: connecting, connected, synced or offline. `reason` is set when the
   * server refused the room for good (a 44xx close code and its reason); it is not retried.
   */
  'inkroom-status': { status: ConnectionStatus; reason?: string };
  /** Someone joined, left, renamed themselves, or asked everyone to follow them (or stopped). */
  'inkroom-presence': { people: Person[] };
  /**
   * The board started or stopped following someone's view, or this person started or stopped
   * asking everyone to follow them: `following` is who is followed (null: no one), `spotlight`
   * whether at their call, `leading` whether this person asks everyone to follow.
   */
  'inkroom-follow': { following: Person | null; spotlight: boolean; leading: boolean };
  /** The local selection changed. */
  'inkroom-selection': { ids: ElementId[] };
}

/** Dispatches one of the board's events: bubbling and composed, so a page hears it from outside the shadow root. */
export function emit<K extends keyof BoardEventDetails>(
  target: EventTarget,
  name: K,
  detail: BoardEventDetails[K],
): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

declare global {
  interface HTMLElementEventMap {
    'inkroom-change': CustomEvent<BoardEventDetails['inkroom-change']>;
    'inkroom-status': CustomEvent<BoardEventDetails['inkroom-status']>;
    'inkroom-presence': CustomEvent<BoardEventDetails['inkroom-presence']>;
    'inkroom-selection': CustomEvent<BoardEventDetails['inkroom-selection']>;
    'inkroom-follow': CustomEvent<BoardEventDetails['inkroom-follow']>;
  }
}
