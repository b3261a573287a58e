import { cut, cut_for_search } from 'jieba-wasm'

/**
 * Chinese-aware word segmentation for search. PostgreSQL's own parsers split on spaces and
 * punctuation only, so a Chinese sentence would be one "word"; jieba cuts it into words
 * first, and the database indexes the space-joined result with the `simple` configuration.
 */
const WORD = /[\p{L}\p{N}]/u

function cleanTokens(tokens: readonly string[]): string[] {
  return tokens.map((token) => token.trim().toLowerCase()).filter((token) => token.length > 0 && WORD.test(token))
}

/** Words to index: the search mode also emits the sub-words of long words (打印机 → 打印, 印机, 打印机). */
export function indexWords(text: string): string {
  return cleanTokens(cut_for_search(text, true)).join(' ')
}

/** Words of a query: the plain mode, so that each query word must match. */
export function queryWords(text: string): string[] {
  return [...new Set(cleanTokens(cut(text, true)))]
}
