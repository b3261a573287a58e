import type { Category } from '../api/types.ts'

/** A category placed in its tree: depth, its names from the root down, and its children. */
export interface CategoryNode {
  readonly category: Category
  readonly depth: number
  readonly path: readonly string[]
  readonly children: readonly CategoryNode[]
}

/** The name of a category in the reader's language (Chinese for any `zh*`, else English). */
export function categoryName(category: Category, language: string): string {
  return language.toLowerCase().startsWith('zh') ? category.nameZh : category.nameEn
}

/**
 * Builds the tree from the flat list the API returns (each names its parent), siblings
 * sorted by name in the reader's language. A category whose parent is missing, or that
 * sits in a cycle, is shown at the top rather than lost.
 */
export function buildCategoryTree(categories: readonly Category[], language: string): CategoryNode[] {
  const byParent = new Map<string | null, Category[]>()
  const ids = new Set(categories.map((category) => category.id))
  for (const category of categories) {
    const parent = category.parentId !== null && ids.has(category.parentId) ? category.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), category])
  }
  const collator = new Intl.Collator(language)
  const placed = new Set<string>()
  const build = (parent: string | null, depth: number, path: readonly string[]): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .filter((category) => !placed.has(category.id))
      .sort((a, b) => collator.compare(categoryName(a, language), categoryName(b, language)))
      .map((category) => {
        placed.add(category.id)
        const name = categoryName(category, language)
        return { category, depth, path: [...path, name], children: build(category.id, depth + 1, [...path, name]) }
      })
  const roots = build(null, 0, [])
  // Cycles (a → b → a) have no root; show them at the top level.
  const orphans = categories.filter((category) => !placed.has(category.id))
  for (const orphan of orphans) {
    if (placed.has(orphan.id)) continue
    placed.add(orphan.id)
    const name = categoryName(orphan, language)
    roots.push({ category: orphan, depth: 0, path: [name], children: build(orphan.id, 1, [name]) })
  }
  return roots
}

/** The tree in display order, one entry per category (for a select). */
export function flattenCategoryTree(nodes: readonly CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((node) => [node, ...flattenCategoryTree(node.children)])
}

/** The ids of a category and everything below it (a category cannot move under itself). */
export function descendantIds(nodes: readonly CategoryNode[], id: string): Set<string> {
  const found = new Set<string>()
  const walk = (list: readonly CategoryNode[], inside: boolean) => {
    for (const node of list) {
      const here = inside || node.category.id === id
      if (here) found.add(node.category.id)
      walk(node.children, here)
    }
  }
  walk(nodes, false)
  return found
}
