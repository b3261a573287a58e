import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type'
import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { ALLOWED_ATTACHMENT_TYPES, cleanFileName, looksLikeText } from '../../domain/tickets/attachment-types.ts'
import type { AttachmentRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

export interface UploadedFile {
  readonly filename: string
  readonly stream: Readable
  /** Set by the multipart parser when the file went over the size limit. */
  readonly truncated: () => boolean
}

/**
 * Stores an upload under the attachments directory, content-addressed by SHA-256, after
 * checking its type from its bytes. The row stays unlinked until a message claims it.
 */
export async function storeAttachment(deps: ServiceDeps, actor: Actor, file: UploadedFile): Promise<AttachmentRow> {
  const root = deps.config.attachmentsDir
  const tmpDir = path.join(root, 'tmp')
  await fs.promises.mkdir(tmpDir, { recursive: true })
  const tmpPath = path.join(tmpDir, randomUUID())
  const hash = createHash('sha256')
  let size = 0
  try {
    await pipeline(
      file.stream,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk)
          size += chunk.length
          callback(null, chunk)
        },
      }),
      fs.createWriteStream(tmpPath),
    )
    if (file.truncated()) {
      throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${deps.config.attachmentLimitBytes} bytes`, [
        { field: 'file', message: `at most ${deps.config.attachmentLimitBytes} bytes` },
      ])
    }
    if (size === 0) throw new AppError('VALIDATION', 'the file is empty', [{ field: 'file', message: 'empty' }])
    const contentType = await sniffContentType(tmpPath)
    if (contentType === undefined || !ALLOWED_ATTACHMENT_TYPES.has(contentType)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `files of type ${contentType ?? 'unknown'} are not accepted`, [
        { field: 'file', message: `type ${contentType ?? 'unknown'} not accepted` },
      ])
    }
    const sha256 = hash.digest('hex')
    const storageKey = path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256)
    await fs.promises.mkdir(path.dirname(path.join(root, storageKey)), { recursive: true })
    await fs.promises.rename(tmpPath, path.join(root, storageKey))
    const now = deps.clock()
    const row: AttachmentRow = {
      id: uuidv7(),
      message_id: null,
      uploaded_by: actor.id,
      filename: cleanFileName(file.filename),
      content_type: contentType,
      size_bytes: size,
      sha256,
      storage_key: storageKey,
      created_at: now,
    }
    await inTransaction(deps, (trx) => trx.insertInto('attachments').values(row).execute())
    return row
  } finally {
    await fs.promises.rm(tmpPath, { force: true })
  }
}

async function sniffContentType(filePath: string): Promise<string | undefined> {
  const detected = await fileTypeFromFile(filePath)
  if (detected !== undefined) return detected.mime
  const handle = await fs.promises.open(filePath, 'r')
  try {
    const sample = Buffer.alloc(8192)
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0)
    return looksLikeText(sample.subarray(0, bytesRead)) ? 'text/plain' : undefined
  } finally {
    await handle.close()
  }
}

/** Bytes already in memory (an e-mail's attachment or the raw message) for the content-addressed store. */
export interface StoredBytes {
  readonly sha256: string
  readonly storageKey: string
  readonly size: number
}

/**
 * Writes bytes into the content-addressed store under the attachments directory: the same
 * bytes always land on the same key, so writing them again (a redelivered e-mail) is harmless.
 */
export async function writeContentAddressed(root: string, bytes: Uint8Array): Promise<StoredBytes> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const storageKey = path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  const target = path.join(root, storageKey)
  if (!fs.existsSync(target)) {
    const tmpDir = path.join(root, 'tmp')
    await fs.promises.mkdir(tmpDir, { recursive: true })
    const tmpPath = path.join(tmpDir, randomUUID())
    await fs.promises.writeFile(tmpPath, bytes)
    await fs.promises.mkdir(path.dirname(target), { recursive: true })
    await fs.promises.rename(tmpPath, target)
  }
  return { sha256, storageKey, size: bytes.length }
}

/** The type of bytes in memory, by the same rule as uploads: magic numbers, else plain text, else unknown. */
export async function sniffBytes(bytes: Uint8Array): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(bytes)
  if (detected !== undefined) return detected.mime
  return looksLikeText(bytes.subarray(0, 8192)) ? 'text/plain' : undefined
}

/** Whether a type sniffed from the bytes may be stored as an attachment. */
export function isAcceptedAttachmentType(contentType: string | undefined): contentType is string {
  return contentType !== undefined && ALLOWED_ATTACHMENT_TYPES.has(contentType)
}
