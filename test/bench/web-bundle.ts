import fs from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

interface ManifestChunk {
  readonly file: string
  readonly src?: string
  readonly isEntry?: boolean
  readonly imports?: readonly string[]
  readonly dynamicImports?: readonly string[]
}

export interface BundleFigures {
  /** JavaScript the browser loads before the first screen, gzipped. */
  readonly initialGzipBytes: number
  /** Initial JavaScript plus the portal's own chunks: what a customer downloads to see the portal. */
  readonly portalGzipBytes: number
  readonly agentGzipBytes: number
  readonly files: readonly { file: string; gzipBytes: number }[]
}

const DIST = path.resolve(import.meta.dirname, '../../web/dist')

/** Gzipped JavaScript per screen, read from the Vite build manifest (run `npm run build` first). */
export function measureWebBundle(dist = DIST): BundleFigures {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  const sizes = new Map<string, number>()
  const gz = (file: string) => {
    let size = sizes.get(file)
    if (size === undefined) {
      size = gzipSync(fs.readFileSync(path.join(dist, file))).length
      sizes.set(file, size)
    }
    return size
  }
  const closure = (keys: readonly string[], seen = new Set<string>()): Set<string> => {
    for (const key of keys) {
      if (seen.has(key)) continue
      seen.add(key)
      closure(manifest[key]?.imports ?? [], seen)
    }
    return seen
  }
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry === true)
  if (entry === undefined) throw new Error('no entry in the build manifest')
  const initial = closure([entry[0]])
  const area = (name: string) => {
    const key = Object.keys(manifest).find((k) => k.endsWith(`${name}-area.tsx`))
    return key === undefined ? initial : closure([key], new Set(initial))
  }
  const total = (keys: Set<string>) => [...keys].reduce((sum, key) => sum + gz(manifest[key]?.file ?? ''), 0)
  const initialBytes = total(initial)
  return {
    initialGzipBytes: initialBytes,
    portalGzipBytes: initialBytes + total(new Set([...area('portal')].filter((k) => !initial.has(k)))),
    agentGzipBytes: initialBytes + total(new Set([...area('agent')].filter((k) => !initial.has(k)))),
    files: [...sizes.entries()].map(([file, gzipBytes]) => ({ file, gzipBytes })),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = measureWebBundle()
  console.log(`initial JS ${(figures.initialGzipBytes / 1024).toFixed(1)} kB gz; portal ${(figures.portalGzipBytes / 1024).toFixed(1)} kB gz; agent ${(figures.agentGzipBytes / 1024).toFixed(1)} kB gz`)
}
