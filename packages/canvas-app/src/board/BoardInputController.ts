import type { Point } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BoardPointer, Tool, ToolContext, ToolId } from '../tools/index.js';
import type { Viewport } from '../viewport/Viewport.js';
import { StageInput } from './input.js';
import { handleBoardKey } from './keyboard.js';

/** What the board's input needs from the board. */
export interface BoardInputParts {
  /** The element pointers land on (null until rendered). */
  stage(): HTMLElement | null;
  viewport: Viewport;
  /** The tools' view of the board, or null while there is no doc. */
  context(): ToolContext | null;
  tool(): Tool;
  canEdit(): boolean;
  /** True while the in-place text editor is open (it has the keyboard then). */
  editing(): boolean;
  dropEditor(): void;
  /** Cuts an undo step (each gesture and key action is its own). */
  boundary(): void;
  hover(point: Point | null): void;
  undo(): void;
  redo(): void;
  setTool(id: ToolId): void;
  copyAs(format: 'png' | 'svg'): void;
  /** The group the select tool has entered, or null. */
  enteredGroup(): string | null;
  showHelp(): void;
  /** A key while presenting: true when it stepped or ended the presentation. */
  presentKey(event: KeyboardEvent): boolean;
  /** Once a pen is seen, fingers only pan and zoom (see StageInput). */
  palmRejection(): boolean;
  /** Opens the context menu at this point of the stage (screen units); null: for the selection. */
  contextMenu(at: Point | null): void;
}

type InputHost = ReactiveControllerHost & HTMLElement & { readonly hasUpdated: boolean };

/**
 * Pointer, wheel and keyboard for one board: routes pointers to the active tool or to panning,
 * keys through the board's keyboard map, and keeps the viewport the size of the stage. Holding
 * Space (for panning) is its state; the host re-renders when it changes (the cursor follows).
 */
export class BoardInputController implements ReactiveController {
  spaceHeld = false;
  private input: StageInput | null = null;
  private resizeObserver: ResizeObserver | null = null;

  constructor(
    private readonly host: InputHost,
    private readonly parts: BoardInputParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeyDown);
    this.host.addEventListener('keyup', this.onKeyUp);
    this.host.addEventListener('blur', this.onBlur);
    if (this.host.hasUpdated) this.attach();
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeyDown);
    this.host.removeEventListener('keyup', this.onKeyUp);
    this.host.removeEventListener('blur', this.onBlur);
    this.input?.detach();
    this.input = null;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  /** Starts listening on the stage; call once it is rendered (the host's firstUpdated). */
  attach(): void {
    const stage = this.parts.stage();
    if (!stage || this.input) return;
    const { viewport } = this.parts;
    const controller = this;
    this.input = new StageInput(stage, {
      viewport,
      toolDown: (p) => this.toolDown(p),
      toolMove: (p) => this.withTool((tool, ctx) => tool.move(p, ctx)),
      toolUp: (p) => this.withTool((tool, ctx) => tool.up(p, ctx)),
      toolCancel: () => this.withTool((tool, ctx) => tool.cancel(ctx)),
      hover: (p) => this.parts.hover(p),
      get spaceHeld() {
        return controller.spaceHeld;
      },
      get palmRejection() {
        return controller.parts.palmRejection();
      },
      get drawing() {
        // Every tool but select draws or points: a pen held still there is not asking for the menu.
        return controller.parts.tool().id !== 'select';
      },
      undo: () => this.parts.undo(),
      redo: () => this.parts.redo(),
      contextMenu: (at) => {
        this.parts.boundary();
        this.parts.contextMenu(at);
      },
    });
    this.input.attach();
    this.resizeObserver = new ResizeObserver(() => viewport.setSize(stage.clientWidth, stage.clientHeight));
    this.resizeObserver.observe(stage);
    viewport.setSize(stage.clientWidth, stage.clientHeight);
  }

  private setSpace(held: boolean): void {
    if (held === this.spaceHeld) return;
    this.spaceHeld = held;
    this.host.requestUpdate();
  }

  private withTool(run: (tool: Tool, ctx: ToolContext) => void): void {
    const ctx = this.parts.context();
    const tool = this.parts.tool();
    // A read-only board still points with the laser, which changes nothing.
    if (ctx && (this.parts.canEdit() || tool.passive)) run(tool, ctx);
  }

  private toolDown(pointer: BoardPointer): void {
    this.host.focus();
    if (this.parts.editing()) this.parts.dropEditor();
    this.parts.boundary();
    this.withTool((tool, ctx) => tool.down(pointer, ctx));
  }

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (this.parts.editing() || this.parts.presentKey(event)) return;
    handleBoardKey(event, {
      context: this.parts.context(),
      canEdit: this.parts.canEdit(),
      tool: this.parts.tool().id,
      holdSpace: () => this.setSpace(true),
      undo: () => this.parts.undo(),
      redo: () => this.parts.redo(),
      boundary: () => this.parts.boundary(),
      setTool: (id) => this.parts.setTool(id),
      cancelGesture: (ctx) => this.parts.tool().cancel(ctx),
      copyAs: (format) => this.parts.copyAs(format),
      enteredGroup: () => this.parts.enteredGroup(),
      showHelp: () => this.parts.showHelp(),
      contextMenu: () => this.parts.contextMenu(null),
    });
  };

  private readonly onKeyUp = (event: KeyboardEvent) => {
    if (event.key === ' ') this.setSpace(false);
  };

  /** A Space released while the focus was elsewhere must not leave the board panning. */
  private readonly onBlur = () => this.setSpace(false);
}
