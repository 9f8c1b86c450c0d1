/** `cem analyze` reads the board's source (Lit properties, JSDoc @fires, @cssprop, @csspart). */
export default {
  globs: ['src/board/inkroom-board.ts'],
  outdir: '.',
  litelement: true,
};
