/**
 * The one way the plugin makes elements: a tag, its class, optionally appended to a
 * parent, with optional text — always set as `textContent`, never parsed as markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent?: HTMLElement,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  parent?.appendChild(node);
  return node;
}
