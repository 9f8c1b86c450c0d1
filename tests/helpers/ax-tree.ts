import type { Page } from 'playwright-core';

/** A node of Chromium's accessibility tree, as a screen reader gets it. */
export interface AxNode {
  role: string;
  name: string;
  description: string;
  /** ARIA properties Chromium reports (roledescription, pressed, live...). */
  properties: Record<string, unknown>;
  children: AxNode[];
}

interface CdpAxNode {
  nodeId: string;
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  description?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
  childIds?: string[];
}

/**
 * The page's whole accessibility tree from Chromium itself (DevTools `Accessibility.getFullAXTree`),
 * with ignored nodes folded into their parents: what a screen reader reads, not the DOM.
 */
export async function accessibilityTree(page: Page): Promise<AxNode> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: CdpAxNode[] };
    const byId = new Map(nodes.map((node) => [node.nodeId, node]));
    const build = (node: CdpAxNode): AxNode[] => {
      const children = (node.childIds ?? []).flatMap((id) => {
        const child = byId.get(id);
        return child ? build(child) : [];
      });
      if (node.ignored) return children;
      return [
        {
          role: node.role?.value ?? '',
          name: node.name?.value ?? '',
          description: node.description?.value ?? '',
          properties: Object.fromEntries((node.properties ?? []).map((p) => [p.name, p.value.value])),
          children,
        },
      ];
    };
    const root = build(nodes[0]!)[0];
    if (!root) throw new Error('Chromium gave no accessibility tree');
    return root;
  } finally {
    await cdp.detach();
  }
}

/** Every node under `root` (itself included) that `match` accepts, in document order. */
export function findAll(root: AxNode, match: (node: AxNode) => boolean): AxNode[] {
  const found: AxNode[] = [];
  const walk = (node: AxNode) => {
    if (match(node)) found.push(node);
    for (const child of node.children) walk(child);
  };
  walk(root);
  return found;
}

/** The text a node reads out: its static text, in order. */
export function textOf(node: AxNode): string {
  if (node.role === 'StaticText' || node.role === 'InlineTextBox')
    return node.role === 'StaticText' ? node.name : '';
  return node.children
    .map(textOf)
    .filter((text) => text)
    .join(' ');
}
