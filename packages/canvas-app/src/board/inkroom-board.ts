import type { BoardJSON, ElementId, Point } from '@inkroom/shared';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { BoardA11yController } from '../a11y/BoardA11yController.js';
import type { TokenProvider } from '../controllers/AccessToken.js';
import { ConnectionController, serverOfScript } from '../controllers/ConnectionController.js';
import { LocaleController } from '../i18n/LocaleController.js';
import type { Translator } from '../i18n/Translator.js';
import type { Person } from '../presence/Presence.js';
import { Presenting } from '../presenting/Presenting.js';
import type { SessionBoard } from '../session/BoardSession.js';
import { BoardSessionController } from '../session/BoardSessionController.js';
import { createTools, type DrawingStyle, type ToolContext, type ToolId, type Tools } from '../tools/index.js';
import { VersionsController } from '../versions/VersionsController.js';
import { versionsPanel } from '../versions/versions-panel.js';
import { ViewMemory } from '../viewport/ViewMemory.js';
import { Viewport } from '../viewport/Viewport.js';
import { styleSelection, zoomToFit } from './actions.js';
import { BoardInputController } from './BoardInputController.js';
import { ClipboardController } from './ClipboardController.js';
import { ContextMenuController } from './ContextMenuController.js';
import { type ArrangeAction, boardChrome } from './chrome.js';
import { type BoardDescription, describeBoard } from './describe.js';
import { emit } from './events.js';
import {
  type ExportOptions,
  exportBoardJson,
  exportPng,
  exportSvg,
  importBoardJson,
  type PngExportOptions,
} from './exporting.js';
import { GRID_SPACING, placeGrid } from './grid.js';
import { ImageInputController } from './ImageInputController.js';
import { selectElement } from './keyboard-actions.js';
import { panelStyles } from './panel-styles.js';
import { arrangeSelection, arrangeState, panelStyle } from './selection-panel.js';
import { boardStyles } from './styles.js';
import { TextEditorController } from './TextEditorController.js';

/** Where this device keeps palm rejection turned off (see the `palm-rejection` attribute). */
const PALM_REJECTION_KEY = 'inkroom.palmRejection';
/** Below this width or height (CSS px) the style panel folds into a button. */
const COMPACT_WIDTH = 720;
const COMPACT_HEIGHT = 520;
/**
 * While a board arrives, its status counts the elements at most this often (a render per piece
 * of a big board's first sync cost 5-8 ms each).
 */
const PROGRESS_MS = 250;

/**
 * A live collaborative whiteboard: `<inkroom-board server="ws://host:1234" room="team-plan">`.
 * It composes small parts: a connection (Y.Doc, provider and IndexedDB copy); a session built
 * and torn down with each doc (scene index, two-layer renderer, per-user history, presence); a
 * viewport; stage input; and one module per tool. Several boards on one page are independent.
 *
 * @fires inkroom-change - Elements were added, changed or removed, by anyone. `detail.ids`
 * @fires inkroom-status - The connection moved on. `detail.status`: connecting, connected, synced or offline
 * @fires inkroom-presence - Someone joined, left, renamed themselves or asked everyone to follow them. `detail.people`: `{ id, name, color, spotlight }[]`
 * @fires inkroom-selection - The local selection changed. `detail.ids`
 * @fires inkroom-follow - Started or stopped following someone's view. `detail.following`: `{ id, name, color }` or null; `detail.spotlight`
 *
 * @cssprop --inkroom-background - The board's background
 * @cssprop --inkroom-foreground - Text and icons of the toolbars
 * @cssprop --inkroom-panel - Toolbars, panels and the status badge
 * @cssprop --inkroom-accent - Focus rings and the active tool
 * @cssprop --inkroom-accent-soft - The active tool's background
 * @cssprop --inkroom-grid - Colour of the grid's dots
 *
 * @csspart stage - The drawing area
 * @csspart toolbar - The tool bar
 * @csspart style-panel - Colours, fills and widths
 * @csspart zoom - Undo, redo and zoom controls
 * @csspart status - The connection badge
 * @csspart grid - The dot grid (with the grid attribute)
 */
export class InkroomBoard extends LitElement {
  static override styles = [boardStyles, panelStyles];
  static override properties = {
    server: { type: String },
    room: { type: String },
    readonly: { type: Boolean, reflect: true },
    token: { type: String },
    tokenProvider: { attribute: false },
    userName: { type: String, attribute: 'user-name' },
    userColor: { type: String, attribute: 'user-color' },
    toolbar: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    grid: { type: Boolean, reflect: true },
    maxImageSize: { type: Number, attribute: 'max-image-size' },
    ignoreSpotlight: { type: Boolean, attribute: 'ignore-spotlight' },
    palmRejection: { type: String, attribute: 'palm-rejection', reflect: true },
    tool: { state: true, attribute: false },
    helpOpen: { state: true, attribute: false },
    panelOpen: { state: true, attribute: false },
    drawingStyle: { state: true, attribute: false },
  };

  /** `ws://host:port` of the Inkroom server; defaults to the server this script came from. */
  declare server: string;
  /** The room to join; changing it (or `server`) reconnects. */
  declare room: string;
  /** Shows the board without letting anyone here change it. */
  declare readonly: boolean;
  /**
   * An access token for the room, for a server with `--auth tokens` (signed by your backend, or
   * minted with `inkroom-server token`). A `read` token makes the board read-only.
   */
  declare token: string;
  /**
   * An async function returning a fresh token: called before connecting, again before the token
   * expires (the new one is handed to the open socket, which never drops), and after a 4401.
   * Wins over `token`.
   */
  declare tokenProvider: TokenProvider | null;
  /** The name others see next to this person's cursor. */
  declare userName: string;
  /** This person's cursor and selection colour. */
  declare userColor: string;
  /** `full` (default), `minimal` (select, pen, eraser, sticky note) or `none`. */
  declare toolbar: 'full' | 'minimal' | 'none';
  /** `light` (default), `dark`, or `auto` to follow the system. */
  declare theme: 'light' | 'dark' | 'auto';
  /** Shows a dot grid behind the elements. */
  declare grid: boolean;
  /** Images larger than this many pixels on their longer side are drawn smaller before they are added (2048). */
  declare maxImageSize: number;
  /** Declines every call to follow someone (see `spotlight`); following by choice still works. */
  declare ignoreSpotlight: boolean;
  /**
   * `auto` (default): once a pen touches the board, only the pen draws, and fingers pan and zoom
   * (a palm resting on the screen draws nothing). `off`: fingers draw too. Without the attribute,
   * the choice made in the shortcut list on this device.
   */
  declare palmRejection: 'auto' | 'off';
  /**
   * The active tool (see setTool).
   * @internal
   */
  declare tool: ToolId;
  /**
   * Colours and widths for new elements.
   * @internal
   */
  declare drawingStyle: DrawingStyle;
  /**
   * The keyboard shortcut list is open.
   * @internal
   */
  declare helpOpen: boolean;
  /**
   * The style panel is unfolded on a small board.
   * @internal
   */
  declare panelOpen: boolean;

  /** @internal */
  readonly viewport = new Viewport();
  /**
   * The selected elements' ids (pages follow inkroom-selection events).
   * @internal
   */
  readonly selection = new Set<ElementId>();
  private readonly connection = new ConnectionController(this, {
    target: () => {
      const server = this.server || serverOfScript(import.meta.url);
      return server && this.room ? { server, room: this.room } : null;
    },
    statusChanged: (status, reason) => {
      // Back in touch with the server: images added meanwhile go up now.
      if (status === 'synced') void this.sessions.current?.images.upload();
      emit(this, 'inkroom-status', reason ? { status, reason } : { status });
    },
    mayWrite: () => !this.readonly,
    tokenSource: () => ({ token: this.token || null, provider: this.tokenProvider }),
  });
  private readonly locale = new LocaleController(this);
  /** Each room reopens where it was last looked at on this device. */
  protected readonly viewMemory = new ViewMemory(this, this.viewport, this.connection);
  private readonly sessions: BoardSessionController = new BoardSessionController(
    this,
    this.connection,
    this.sessionBoard(),
    (session) => {
      // A gesture or an edit in progress belongs to the board being left.
      this.tools[this.tool].cancel(session.context);
      this.editor.drop();
      // A call to follow was made in the room being left, and its history was shown.
      this.presenting.roomLeft();
      this.versions.close();
      if (this.selection.size > 0) {
        this.selection.clear();
        emit(this, 'inkroom-selection', { ids: [] });
      }
    },
  );
  private readonly editor = new TextEditorController(this, () => this.sessions.current);
  private readonly a11y: BoardA11yController = new BoardA11yController(this, {
    session: () => this.sessions.current,
    translator: () => this.translator,
    live: () => this.connection.status === 'synced',
    arriving: () => this.connection.status === 'connected',
    select: (id) => {
      const ctx = this.sessions.current?.context;
      if (ctx) selectElement(ctx, id);
      this.focus();
    },
  });
  private readonly presenting: Presenting = new Presenting({
    viewport: this.viewport,
    host: this,
    session: () => this.sessions.current,
    canEdit: () => this.canEdit,
    ignoresSpotlight: () => this.ignoreSpotlight,
    followChanged: (detail) => emit(this, 'inkroom-follow', detail),
  });
  private readonly versions = new VersionsController(this, {
    host: this,
    api: () => this.connection.roomApi(),
    session: () => this.sessions.current,
    canEdit: () => this.canEdit,
  });
  /** Where the pointer is over the board (board units), null when it is elsewhere. */
  private pointer: Point | null = null;
  private readonly clipboard = new ClipboardController(this, {
    session: () => this.sessions.current,
    editing: () => this.editor.editing !== null,
    pastePoint: () =>
      this.pointer ?? this.viewport.toBoard({ x: this.viewport.width / 2, y: this.viewport.height / 2 }),
    addImages: (files, at) => void this.imageInput.add(files, at),
  });
  private readonly imageInput = new ImageInputController(this, {
    session: () => this.sessions.current,
    toBoard: (clientX, clientY) => {
      const stage = this.renderRoot.querySelector<HTMLElement>('.stage')!.getBoundingClientRect();
      return this.viewport.toBoard({ x: clientX - stage.left, y: clientY - stage.top });
    },
    centre: () => this.viewport.toBoard({ x: this.viewport.width / 2, y: this.viewport.height / 2 }),
    report: (message) => console.error(`inkroom-board: no image added: ${message}`),
  });
  private readonly inputs = new BoardInputController(this, {
    stage: () => this.renderRoot.querySelector<HTMLElement>('.stage'),
    viewport: this.viewport,
    context: () => this.sessions.current?.context ?? null,
    tool: () => this.tools[this.tool],
    canEdit: () => this.canEdit,
    editing: () => this.editor.editing !== null,
    dropEditor: () => this.editor.drop(),
    boundary: () => {
      // A gesture or key action on the board folds a style panel opened on a small board.
      if (this.panelOpen) this.panelOpen = false;
      this.sessions.current?.history.boundary();
    },
    hover: (point) => {
      this.pointer = point;
      this.sessions.current?.presence.setCursor(point);
    },
    undo: () => this.undo(),
    redo: () => this.redo(),
    setTool: (id) => this.setTool(id),
    enteredGroup: () => this.tools.select.entered,
    showHelp: () => {
      this.helpOpen = true;
    },
    presentKey: (event) => this.presenting.handleKey(event),
    palmRejection: () => this.palmRejection !== 'off',
    contextMenu: (at) => {
      this.editor.drop();
      this.menu.open(at);
    },
    copyAs: (format) => {
      this.copyAs(format).catch((error: Error) =>
        console.error(`inkroom-board: not copied: ${error.message}`),
      );
    },
  });
  private readonly menu: ContextMenuController = new ContextMenuController(this, {
    context: () => this.sessions.current?.context ?? null,
    canEdit: () => this.canEdit,
    translator: () => this.translator,
    enteredGroup: () => this.tools.select.entered,
    undo: () => this.undo(),
    redo: () => this.redo(),
    tool: () => this.tool,
    setTool: (id) => this.setTool(id),
    boundary: () => this.sessions.current?.history.boundary(),
  });
  private peopleKey = '';
  private shownUser = '';
  private readonly tools: Tools = createTools();
  private shownZoom = 1;
  private shownCompact = false;
  private stopViewport: (() => void) | null = null;

  constructor() {
    super();
    this.server = '';
    this.room = '';
    this.readonly = false;
    this.token = '';
    this.tokenProvider = null;
    this.userName = 'Guest';
    this.userColor = '#4c6ef5';
    this.toolbar = 'full';
    this.theme = 'light';
    this.grid = false;
    this.maxImageSize = 2048;
    this.ignoreSpotlight = false;
    this.palmRejection = localStorageValue(PALM_REJECTION_KEY) === 'off' ? 'off' : 'auto';
    this.tool = 'pen';
    this.helpOpen = false;
    this.panelOpen = false;
    this.drawingStyle = { strokeColor: '#1e1e1e', strokeWidth: 2, fill: 'none', opacity: 1 };
  }

  /** The board's Y.Doc, for advanced use (null until a room is set). Read it with `@inkroom/shared`. */
  get doc() {
    return this.connection.doc;
  }

  /**
   * The board's language: its `lang` attribute, else the page's (the nearest `lang` around it),
   * else the browser's; English, French and German.
   * @internal
   */
  get translator(): Translator {
    return this.locale.translator;
  }

  /** connecting, connected, synced or offline. */
  get status() {
    return this.connection.status;
  }

  /** The next render of the sync progress, when one is due. */
  private progressTimer: ReturnType<typeof setTimeout> | undefined;

  /** Elements on the board (for tests and embedders). */
  get elementCount(): number {
    return this.sessions.current?.scene.size ?? 0;
  }

  /**
   * Adds image files (PNG, JPEG, GIF, WebP) to the board, at `at` (board units) or the view's
   * centre, as one undo step; resolves with their ids (none for a file the board does not take).
   */
  addImages(files: readonly Blob[], at?: Point): Promise<ElementId[]> {
    return this.imageInput.add(files, at);
  }

  /** A plain summary of what the board holds and who is here (for tests and debugging). */
  describeBoard(): BoardDescription {
    const session = this.sessions.current;
    return describeBoard(
      session?.scene ?? null,
      this.connection.status,
      this.viewport,
      session?.presence.peers.values() ?? [],
      this.renderStats(),
    );
  }

  /**
   * The scene layer's last repaint time and repaint count, the overlay's repaint count, whether
   * the scene shows all that is in view yet, and how many elements the board holds (cheap to call
   * every frame, unlike describeBoard).
   */
  renderStats(): {
    lastPaintMs: number;
    paints: number;
    overlayPaints: number;
    complete: boolean;
    elements: number;
  } {
    const session = this.sessions.current;
    const renderer = session?.renderer;
    return {
      lastPaintMs: renderer?.lastSceneMs ?? 0,
      paints: renderer?.scenePaints ?? 0,
      overlayPaints: renderer?.overlayPaints ?? 0,
      complete: renderer?.sceneComplete ?? false,
      elements: session?.scene.size ?? 0,
    };
  }

  /** Who this board follows (their id, name and colour), or null. */
  get following(): Person | null {
    return this.presenting.following;
  }

  /** True while this person asks everyone to follow their view (see `spotlight`). */
  get spotlighting(): boolean {
    return this.presenting.spotlighting;
  }

  /**
   * Follows the view of the person with this id (from `inkroom-presence`'s `people`), easing to
   * it as they move; null stops. Any pan or zoom here stops following too.
   */
  follow(id: number | null): void {
    this.presenting.follower.follow(id);
  }

  /**
   * Asks everyone in the room to follow this person's view (`false` stops asking). Each page
   * follows once per call and may stop, or decline every call with `ignore-spotlight`. Needs
   * the right to edit (a read-only page cannot call others).
   */
  spotlight(on = true): void {
    this.presenting.spotlight(on);
  }

  /** Presents the board's frames full screen from the first (arrow keys step, Escape ends). */
  present(): void {
    this.presenting.frames.present(0);
  }

  undo(): void {
    if (this.canEdit) this.sessions.current?.history.undo();
  }

  redo(): void {
    if (this.canEdit) this.sessions.current?.history.redo();
  }

  zoomToFit(): void {
    const ctx = this.sessions.current?.context;
    if (ctx) zoomToFit(ctx);
  }

  /** The board, or with `{ selection: true }` the selection, as an SVG document. */
  exportSVG(options?: ExportOptions): string {
    return exportSvg(this.readyContext(), options);
  }

  /**
   * The board or the selection as a PNG: `{ width, height }` fits it into that many pixels,
   * `{ scale }` sets pixels per board unit; `background` is a colour, transparent when absent.
   */
  exportPNG(options?: PngExportOptions): Promise<Blob> {
    return exportPng(this.readyContext(), options);
  }

  /** The board or the selection as a board file (`type: "inkroom-board"`). */
  exportJSON(options?: ExportOptions): BoardJSON {
    return exportBoardJson(this.readyContext(), options);
  }

  /**
   * Adds a board file's elements (an object or its JSON text) with new ids, centred in the view,
   * as one undo step, and selects them. Throws a BoardJSONError naming what is wrong with the file.
   */
  importJSON(file: BoardJSON | string): ElementId[] {
    if (!this.canEdit) throw new Error('inkroom-board: this board is read-only');
    const context = this.readyContext();
    return this.sessions.current!.history.step(() => importBoardJson(context, file));
  }

  /**
   * Puts the selection (or, with nothing selected, the whole board) on the system clipboard as
   * a PNG image or as SVG text, to paste into other applications. Shift+Alt+C copies as PNG, Shift+Alt+S as SVG.
   */
  async copyAs(format: 'png' | 'svg'): Promise<void> {
    const context = this.readyContext();
    const options = { selection: context.selection.size > 0 };
    if (format === 'svg') {
      await navigator.clipboard.writeText(exportSvg(context, options));
      return;
    }
    const png = exportPng(context, { ...options, scale: Math.max(1, globalThis.devicePixelRatio || 1) });
    // The promise goes in as is: Safari allows a clipboard write only in the gesture's own turn.
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
  }

  /** Gives the board the keys: focuses its stage, the named whiteboard (Tab reaches it too). */
  override focus(options?: FocusOptions): void {
    const stage = this.renderRoot?.querySelector<HTMLElement>('.stage');
    if (stage) stage.focus(options);
    // Not rendered yet (a page focusing the board it has just added): once it is.
    else
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('.stage')?.focus(options),
      );
  }

  setTool(id: ToolId): void {
    const session = this.sessions.current;
    if (session) this.tools[this.tool].cancel(session.context);
    this.tool = id;
    session?.renderer.requestOverlay();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The chrome shows the zoom, and the text editor sits over its element: only those need a
    // re-render when the view moves (not every pan frame).
    this.stopViewport = this.viewport.onChange(() => {
      if (
        this.viewport.zoom !== this.shownZoom ||
        this.editor.editing ||
        this.compact() !== this.shownCompact
      )
        this.requestUpdate();
      this.placeGrid();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopViewport?.();
    this.stopViewport = null;
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
  }

  protected override firstUpdated(): void {
    this.inputs.attach();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The shortcut list takes the focus (Escape then reaches it), and gives it back on close.
    if (changed.has('helpOpen') && this.helpOpen)
      this.renderRoot.querySelector<HTMLButtonElement>('.help-close')?.focus();
    if (changed.has('readonly') && changed.get('readonly') === true && !this.readonly)
      this.connection.writable();
    if (changed.has('grid')) this.placeGrid();
    if (changed.has('readonly') && this.readonly && this.spotlighting) this.spotlight(false);
    if (changed.has('server') || changed.has('room')) {
      this.a11y.roomChanged();
      this.connection.sync();
    } else if (changed.has('token') || changed.has('tokenProvider')) this.connection.tokenChanged();
    // The name may come from the access token, which arrives or changes on its own.
    const user = this.user();
    const userKey = `${user.name}\u0000${user.color}`;
    if (userKey !== this.shownUser) {
      this.shownUser = userKey;
      this.sessions.current?.presence.setUser(user);
    }
  }

  get canEdit(): boolean {
    const connection = this.connection;
    return (
      !this.readonly &&
      !connection.readOnlyBecauseNewer &&
      !connection.readOnlyByScope &&
      !connection.accessDenied
    );
  }

  private readyContext(): ToolContext {
    const ctx = this.sessions.current?.context;
    if (!ctx)
      throw new Error('inkroom-board: no board yet (set `room`, and wait until the element is rendered)');
    return ctx;
  }

  /** What a doc session takes from this board, which outlives it. */
  private sessionBoard(): SessionBoard {
    const board = this;
    return {
      viewport: this.viewport,
      selection: this.selection,
      get style() {
        return board.drawingStyle;
      },
      get author() {
        return board.userName;
      },
      get user() {
        return board.user();
      },
      get snapGrid() {
        return board.grid ? GRID_SPACING : null;
      },
      get translator() {
        return board.translator;
      },
      live: () => this.connection.status === 'synced',
      say: (text) => this.a11y.say(text),
      selectionChanged: () => this.selectionChanged(),
      assetEndpoint: () => this.connection.assetEndpoint(),
      editText: (id) => this.editor.open(id),
      setTool: (id) => this.setTool(id),
      paintTool: (ctx, toolContext) => {
        this.tools[this.tool].paint?.(ctx, toolContext);
        if (this.tool !== 'select') this.tools.select.paint?.(ctx, toolContext);
      },
      elementsChanged: (changed) => {
        // The editor follows its element's size and place, whoever changes them.
        const editing = this.editor.editing;
        if (editing && changed.has(editing)) this.requestUpdate();
        // While syncing, the status shows how many elements have arrived.
        else if (this.connection.status === 'connected' && !this.progressTimer)
          this.progressTimer = setTimeout(() => {
            this.progressTimer = undefined;
            this.requestUpdate();
          }, PROGRESS_MS);
        this.a11y.elementsChanged();
        emit(this, 'inkroom-change', { ids: [...changed] });
      },
      peopleChanged: () => this.presenceChanged(),
      historyChanged: () => this.requestUpdate(),
    };
  }

  /** The grid follows the view by its CSS background alone, without a re-render per frame. */
  private placeGrid(): void {
    const grid = this.renderRoot.querySelector<HTMLElement>('.grid');
    if (grid && this.grid) placeGrid(grid, this.viewport);
  }

  /** Who this person is to others: the token's name wins, as the server enforces it anyway. */
  private user() {
    return { name: this.connection.tokenName ?? this.userName, color: this.userColor };
  }

  private presenceChanged(): void {
    this.presenting.peopleChanged();
    const people = this.sessions.current?.presence.people() ?? [];
    const key = people
      .map((p) => `${p.id}\u0000${p.name}\u0000${p.color}\u0000${p.spotlight}`)
      .join('\u0001');
    if (key === this.peopleKey) return;
    this.peopleKey = key;
    emit(this, 'inkroom-presence', { people });
  }

  private selectionChanged(): void {
    this.sessions.current?.presence.setSelection(this.selection);
    this.sessions.current?.narrator.selectionChanged();
    this.sessions.current?.renderer.requestOverlay();
    // The style panel shows (and edits) the selection's style.
    this.requestUpdate();
    emit(this, 'inkroom-selection', { ids: [...this.selection] });
  }

  /** Aligns, distributes, groups, ungroups, locks or unlocks the selection, as one undo step. */
  private arrange(action: ArrangeAction): void {
    const session = this.sessions.current;
    if (!session || !this.canEdit) return;
    session.history.step(() => arrangeSelection(session.context, action, this.tools.select.entered));
    this.selectionChanged();
  }

  private changeStyle(patch: Partial<DrawingStyle>): void {
    this.drawingStyle = { ...this.drawingStyle, ...patch };
    const session = this.sessions.current;
    if (this.tool !== 'select' || this.selection.size === 0 || !session || !this.canEdit) return;
    session.history.step(() => styleSelection(session.context, patch));
  }

  /** Whether the board is too small for the style panel to stay open over it. */
  private compact(): boolean {
    return this.viewport.width < COMPACT_WIDTH || this.viewport.height < COMPACT_HEIGHT;
  }

  override render() {
    this.shownZoom = this.viewport.zoom;
    this.shownCompact = this.compact();
    const presenting = this.presenting.presenting;
    const following = this.presenting.following !== null;
    const t = this.translator;
    // The stage takes the keys: an application to screen readers, so arrows and Tab reach the board.
    return html`
      <div
        class="stage ${following ? 'following' : ''}"
        part="stage"
        tabindex="0"
        role="application"
        aria-roledescription=${t.t('a11y.roleDescription')}
        aria-label=${t.t('a11y.board', { room: this.room })}
        aria-description=${t.t('a11y.boardDescription')}
        style="cursor:${this.inputs.spaceHeld ? 'grab' : this.tools[this.tool].cursor}${this.presenting.stageStyle()}"
      >
        <div class="grid" part="grid" ?hidden=${!this.grid}></div>
        <canvas class="scene" aria-hidden="true"></canvas>
        <canvas class="overlay" aria-hidden="true"></canvas>
      </div>
      ${this.a11y.render(this.selection)}
      ${presenting ? nothing : this.chrome()}
      ${presenting ? nothing : versionsPanel(this.translator, this.versions, this.canEdit)}
      ${this.presenting.render(this.translator, this.canEdit)}
      ${this.editor.render()}
      ${this.menu.render()}
    `;
  }

  /** The toolbars, panels and badges over the stage (not while presenting). */
  private chrome() {
    return html`
      ${boardChrome({
        t: this.translator,
        toolbar: this.toolbar,
        canEdit: this.canEdit,
        tool: this.tool,
        style: panelStyle(this.tool, this.drawingStyle, this.sessions.current?.context ?? null),
        arrange: arrangeState(this.tool, this.sessions.current?.context ?? null),
        act: (action) => this.arrange(action),
        zoom: this.viewport.zoom,
        status: this.connection.status,
        loaded: this.elementCount,
        savedLocally: this.connection.localLoaded,
        refusal: this.connection.refusal,
        setTool: (id) => this.setTool(id),
        addImage: () => this.imageInput.pick(),
        setStyle: (patch) => this.changeStyle(patch),
        zoomBy: (factor) =>
          this.viewport.zoomAt({ x: this.viewport.width / 2, y: this.viewport.height / 2 }, factor),
        zoomToFit: () => this.zoomToFit(),
        undo: () => this.undo(),
        redo: () => this.redo(),
        helpOpen: this.helpOpen,
        historyOpen: this.versions.open,
        toggleHistory: () => {
          if (this.presenting.frames.open) this.presenting.frames.toggle();
          void this.versions.toggle();
        },
        framesOpen: this.presenting.frames.open,
        toggleFrames: () => {
          if (this.versions.open) this.versions.close();
          this.presenting.frames.toggle();
        },
        // Following someone, the style panel folds: the view is theirs, fitted to the whole board.
        compact: this.compact() || this.presenting.following !== null,
        panelOpen: this.panelOpen,
        setPanelOpen: (open) => {
          this.panelOpen = open;
        },
        palmRejection: this.palmRejection !== 'off',
        setPalmRejection: (on) => {
          this.palmRejection = on ? 'auto' : 'off';
          try {
            localStorage.setItem(PALM_REJECTION_KEY, this.palmRejection);
          } catch {
            // Kept for this page only.
          }
        },
        setHelp: (open) => {
          this.helpOpen = open;
          // Back to the board, so its shortcuts work again.
          if (!open) this.focus();
        },
      })}
    `;
  }
}

if (!customElements.get('inkroom-board')) customElements.define('inkroom-board', InkroomBoard);

declare global {
  interface HTMLElementTagNameMap {
    'inkroom-board': InkroomBoard;
  }
}

function localStorageValue(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
