import type {} from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../domain/shared/app-error.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { readAttachment } from '../../services/attachments/read-attachment.ts'
import { storeAttachment } from '../../services/attachments/store-attachment.ts'
import { actorOf } from '../auth.ts'
import { presentAttachment } from '../presenters/present.ts'
import { Attachment, IdParams, errorResponses } from '../schemas.ts'

/** Upload first (multipart, one `file` part), then name the returned id in a message's `attachmentIds`. */
export function attachmentRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/attachments',
      {
        schema: {
          tags: ['attachments'],
          summary: 'Upload a file (multipart/form-data, field `file`)',
          description: `At most ${deps.config.attachmentLimitBytes} bytes by default (ATTACHMENT_LIMIT_BYTES). The type is decided from the content, not the name.`,
          consumes: ['multipart/form-data'],
          response: { 201: Attachment, ...errorResponses },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request)
        if (!request.isMultipart()) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data', [{ field: 'Content-Type', message: 'multipart/form-data expected' }])
        }
        const part = await request.file()
        if (part === undefined || part.fieldname !== 'file') {
          throw new AppError('VALIDATION', 'no file part named "file"', [{ field: 'file', message: 'required' }])
        }
        const row = await storeAttachment(deps, actor, { filename: part.filename, stream: part.file, truncated: () => part.file.truncated })
        return reply.status(201).send(presentAttachment(row))
      },
    )

    app.get(
      '/attachments/:id',
      { schema: { tags: ['attachments'], summary: 'Download a file', params: IdParams, response: { 200: Type.Any({ description: 'the file, with its sniffed content type' }), ...errorResponses } } },
      async (request, reply) => {
        const { row, stream } = await readAttachment(deps, actorOf(request), request.params.id)
        const inline = row.content_type.startsWith('image/') && row.content_type !== 'image/svg+xml'
        return reply
          .header('content-type', row.content_type)
          .header('content-length', String(row.size_bytes))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
          .send(stream)
      },
    )
  }
}
