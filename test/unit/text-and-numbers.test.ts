import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitStatements } from '../../src/db/migrations/run-script.ts'
import { isPhoneExtension, normaliseEmail, normalisePhone } from '../../src/domain/people/contact-points.ts'
import { indexWords, queryWords } from '../../src/domain/text/segment.ts'
import { cleanFileName, looksLikeText } from '../../src/domain/tickets/attachment-types.ts'
import { formatTicketNumber, localDateKey } from '../../src/domain/tickets/ticket-number.ts'

/** Half of a surrogate pair without its other half: not a character, and encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const words = (indexed: string) => indexed.split(' ').filter((w) => w !== '')

describe('segment: indexWords', () => {
  it('cuts Chinese text into words and their sub-words', () => {
    const indexed = words(indexWords('打印机无法连接网络'))
    expect(indexed).toEqual(expect.arrayContaining(['打印机', '打印', '连接', '网络']))
  })

  it('lower-cases English words', () => {
    const indexed = words(indexWords('The VPN Client keeps DISCONNECTING'))
    expect(indexed).toEqual(expect.arrayContaining(['the', 'vpn', 'client', 'keeps', 'disconnecting']))
    for (const word of indexed) expect(word).toBe(word.toLowerCase())
  })

  it('drops punctuation, Chinese and Western, and whitespace', () => {
    const indexed = words(indexWords('打印机：离线。VPN, again!!! — (urgent) “报错”…'))
    expect(indexed).toEqual(expect.arrayContaining(['打印机', '离线', 'vpn', 'again', 'urgent', '报错']))
    for (const word of indexed) expect(word).toMatch(/[\p{L}\p{N}]/u)
    expect(indexed.join('')).not.toMatch(/[：。，,!！—()“”…]/u)
  })

  it('gives nothing for punctuation and whitespace only', () => {
    expect(indexWords('。，！？…—— ... !!!   \n\t')).toBe('')
    expect(indexWords('')).toBe('')
  })

  it('keeps numbers', () => {
    expect(words(indexWords('错误代码 500 on port 8080'))).toEqual(expect.arrayContaining(['500', '8080', '错误']))
  })

  it('always returns single-space-separated, trimmed, lower-case words with a letter or digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'打印机网络连接 ABCdef123,.!？。\n\t-_') }), (text) => {
        const indexed = indexWords(text)
        expect(indexed).toBe(indexed.trim())
        expect(indexed).not.toMatch(/\s\s/)
        for (const word of words(indexed)) {
          expect(word).toBe(word.toLowerCase())
          expect(word).toMatch(/[\p{L}\p{N}]/u)
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('segment: queryWords', () => {
  it('dedupes words, case-insensitively', () => {
    const query = queryWords('打印机 打印机 VPN vpn，网络')
    expect(query).toEqual(['打印机', 'vpn', '网络'])
    expect(new Set(query).size).toBe(query.length)
  })

  it('uses the plain mode: a long word stays one word (no sub-words)', () => {
    expect(queryWords('打印机')).toEqual(['打印机'])
  })

  it('drops punctuation and gives nothing for an empty query', () => {
    expect(queryWords('！！！ ,,, 。')).toEqual([])
    expect(queryWords('')).toEqual([])
  })

  it('every query word of a text is among its indexed words, so a text finds itself', () => {
    const samples = ['打印机无法连接网络', '三楼的打印机从早上开始离线', 'VPN keeps disconnecting', '需要修改发票抬头 invoice', '客户要求加急处理 — expedite']
    for (const sample of samples) {
      const indexed = new Set(words(indexWords(sample)))
      for (const word of queryWords(sample)) expect(indexed).toContain(word)
    }
  })
})

describe('ticket numbers', () => {
  const at = new Date('2026-11-23T16:30:00Z')

  it('uses the desk-local date: 16:30 UTC is already the next day in Shanghai', () => {
    expect(formatTicketNumber(at, 123, 'Asia/Shanghai')).toBe('20261124-000123')
  })

  it('uses the UTC date in UTC', () => {
    expect(formatTicketNumber(at, 123, 'UTC')).toBe('20261123-000123')
  })

  it('uses the previous day west of UTC', () => {
    expect(formatTicketNumber(new Date('2026-01-01T03:00:00Z'), 1, 'America/New_York')).toBe('20251231-000001')
  })

  it('pads serials to six digits and keeps every digit above 999999', () => {
    expect(formatTicketNumber(at, 1, 'UTC')).toBe('20261123-000001')
    expect(formatTicketNumber(at, 999_999, 'UTC')).toBe('20261123-999999')
    expect(formatTicketNumber(at, 1_000_000, 'UTC')).toBe('20261123-1000000')
    expect(formatTicketNumber(at, 12_345_678, 'UTC')).toBe('20261123-12345678')
  })

  it('caches formatters per time zone without mixing them up', () => {
    expect(localDateKey(at, 'Asia/Shanghai')).toBe('20261124')
    expect(localDateKey(at, 'UTC')).toBe('20261123')
    expect(localDateKey(at, 'Asia/Shanghai')).toBe('20261124')
  })

  it('always has the shape YYYYMMDD-serial and keeps the serial value', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati'),
        (date, serial, timeZone) => {
          const number = formatTicketNumber(date, serial, timeZone)
          expect(number).toMatch(/^\d{8}-\d{6,}$/)
          const [, digits] = number.split('-')
          expect(Number(digits)).toBe(serial)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('contact points', () => {
  it('normalises a Chinese mobile number to E.164 (+86)', () => {
    expect(normalisePhone('13800138000')).toBe('+8613800138000')
    expect(normalisePhone('138 0013 8000')).toBe('+8613800138000')
    expect(normalisePhone('+86 138-0013-8000')).toBe('+8613800138000')
  })

  it('keeps an international number in its own country', () => {
    expect(normalisePhone('+49 30 1234567')).toBe('+49301234567')
    expect(normalisePhone('+1 202 555 0143')).toBe('+12025550143')
  })

  it('takes PBX extensions as digits, * and #, 1 to 20 characters', () => {
    for (const extension of ['8001', '0', '*72#', '#31#', '1'.repeat(20), '13800138000']) expect(isPhoneExtension(extension)).toBe(true)
    for (const other of ['', ' 8001', '80-01', '8 001', 'ext8001', '+8001', '８００１', '1'.repeat(21), 'wang.fang@desk.test']) expect(isPhoneExtension(other)).toBe(false)
  })

  it('gives null for things that are not phone numbers', () => {
    expect(normalisePhone('abc')).toBeNull()
    expect(normalisePhone('')).toBeNull()
    expect(normalisePhone('12')).toBeNull()
  })

  it('is idempotent on its own output', () => {
    for (const raw of ['13800138000', '+49 30 1234567', '010 12345678']) {
      const once = normalisePhone(raw)
      expect(once).not.toBeNull()
      expect(normalisePhone(once ?? '')).toBe(once)
    }
  })

  it('lower-cases and trims e-mail addresses', () => {
    expect(normaliseEmail('  Foo.Bar@Example.COM \n')).toBe('foo.bar@example.com')
    expect(normaliseEmail('a@b.c')).toBe('a@b.c')
  })

  it('e-mail normalisation is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normaliseEmail(raw)
        expect(normaliseEmail(once)).toBe(once)
      }),
    )
  })
})

describe('attachment types: looksLikeText', () => {
  const bytes = (text: string) => new TextEncoder().encode(text)

  it('accepts UTF-8 text with tabs, newlines, carriage returns, form feeds and escapes', () => {
    expect(looksLikeText(bytes('hello world\n'))).toBe(true)
    expect(looksLikeText(bytes('日志：打印机离线\r\n\tcode=500\f\u001b[31mred\u001b[0m'))).toBe(true)
    expect(looksLikeText(new Uint8Array())).toBe(true)
  })

  it('accepts GBK-encoded Chinese bytes (no NUL, high bytes only)', () => {
    // "打印机" in GBK.
    expect(looksLikeText(Uint8Array.from([0xb4, 0xf2, 0xd3, 0xa1, 0xbb, 0xfa]))).toBe(true)
  })

  it('refuses bytes with NUL or other control characters', () => {
    expect(looksLikeText(Uint8Array.from([0x68, 0x00, 0x69]))).toBe(false)
    expect(looksLikeText(Uint8Array.from([0x68, 0x01]))).toBe(false)
    expect(looksLikeText(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]))).toBe(false)
    expect(looksLikeText(bytes('%PDF-1.7\n\u0007'))).toBe(false)
  })

  it('is true exactly when no byte is a control character other than \\t \\n \\f \\r ESC', () => {
    const allowedControls = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b])
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (sample) => {
        const expected = [...sample].every((byte) => byte >= 0x20 || allowedControls.has(byte))
        expect(looksLikeText(sample)).toBe(expected)
      }),
    )
  })
})

describe('attachment types: cleanFileName', () => {
  it('strips Unix and Windows paths', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('C:\\Users\\li\\Desktop\\报告.pdf')).toBe('报告.pdf')
    expect(cleanFileName('/var/log/app.log')).toBe('app.log')
  })

  it('strips control characters and double quotes', () => {
    expect(cleanFileName('a"b\u0000c\u001fd\u007f.txt')).toBe('abcd.txt')
    expect(cleanFileName('line\r\nbreak.txt')).toBe('linebreak.txt')
    expect(cleanFileName('"quoted".txt')).toBe('quoted.txt')
  })

  it('trims spaces and keeps ordinary names as they are', () => {
    expect(cleanFileName('  spaced name.txt  ')).toBe('spaced name.txt')
    expect(cleanFileName('截图 2026-01-05.png')).toBe('截图 2026-01-05.png')
  })

  it('falls back to "attachment" for names that would be empty, "." or ".."', () => {
    for (const raw of ['', '   ', '.', '..', 'dir/', 'dir/..', '"', '\u0000', '.. ', '\u0000..', '."."', 'a\\..']) {
      expect(cleanFileName(raw)).toBe('attachment')
    }
  })

  it('caps the length at 200 characters', () => {
    expect(cleanFileName('x'.repeat(300))).toHaveLength(200)
  })

  it('never returns "", "." or "..", a path separator, a control character or a quote', () => {
    const nasty = fc.string({ unit: fc.constantFrom('a', '.', '/', '\\', '"', ' ', '\u0000', '\u001f', '\u007f', '\n', '名', '😀') })
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string({ unit: 'binary' })), (raw) => {
        const cleaned = cleanFileName(raw)
        expect(cleaned).not.toBe('')
        expect(cleaned).not.toBe('.')
        expect(cleaned).not.toBe('..')
        expect(cleaned).toBe(cleaned.trim())
        expect(cleaned.length).toBeLessThanOrEqual(200)
        expect(cleaned).not.toMatch(/[\\/"\u0000-\u001f\u007f]/)
      }),
      { numRuns: 500 },
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (raw) => {
        const once = cleanFileName(raw)
        expect(cleanFileName(once)).toBe(once)
      }),
    )
  })

  it('does not cut a character in half when it shortens a long name (the result must stay valid for encodeURIComponent)', () => {
    const raw = `${'a'.repeat(199)}😀.png`
    const cleaned = cleanFileName(raw)
    expect(cleaned).not.toMatch(LONE_SURROGATE)
    // The download route sends the name as filename*=UTF-8''<encodeURIComponent(name)>.
    expect(() => encodeURIComponent(cleaned)).not.toThrow()
  })
})

describe('migrations: splitStatements', () => {
  it('splits statements at a semicolon that ends a line', () => {
    const script = 'CREATE TABLE a (id int);\nCREATE TABLE b (\n  id int\n);\n'
    expect(splitStatements(script)).toEqual(['CREATE TABLE a (id int);', 'CREATE TABLE b (\n  id int\n);'])
  })

  it('keeps a $$ function body with inner semicolons whole', () => {
    const fn = [
      'CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$',
      '  BEGIN',
      "    RAISE EXCEPTION 'events are append-only';",
      '    RETURN NULL;',
      '  END;',
      '$$;',
    ].join('\n')
    const trigger = 'CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only();'
    const statements = splitStatements(`CREATE TABLE events (id int);\n${fn}\n${trigger}\n`)
    expect(statements).toEqual(['CREATE TABLE events (id int);', fn, trigger])
  })

  it('keeps a DO block whole and a one-line $$ body whole', () => {
    const block = 'DO $$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND\n$$;'
    const oneLine = "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;"
    expect(splitStatements(`${block}\n${oneLine}\nSELECT 3;`)).toEqual([block, oneLine, 'SELECT 3;'])
  })

  it('skips comment lines between statements, keeps a last statement without a semicolon', () => {
    const script = '-- the core tables\nCREATE TABLE a (id int);\n-- and a view\nSELECT 1'
    expect(splitStatements(script)).toEqual(['CREATE TABLE a (id int);', 'SELECT 1'])
  })

  it('a comment after a blank line travels with the next statement (still valid SQL)', () => {
    const statements = splitStatements('CREATE TABLE a (id int);\n\n-- and a view\nSELECT 1;')
    expect(statements).toHaveLength(2)
    expect(statements[1]?.split('\n').filter((line) => !line.trim().startsWith('--'))).toEqual(['SELECT 1;'])
  })

  it('does not end a statement at a semicolon in the middle of a line', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b'), ('c');\n")).toEqual(["INSERT INTO t VALUES ('a;b'), ('c');"])
  })

  it('gives nothing for an empty script or comments only', () => {
    expect(splitStatements('')).toEqual([])
    expect(splitStatements('-- nothing here\n\n')).toEqual([])
  })

  it('joining the statements back gives the same statements again', () => {
    const statement = fc.oneof(
      fc.constantFrom('CREATE TABLE t (id int);', 'SELECT 1;', 'INSERT INTO t VALUES (1);'),
      fc.constantFrom(
        'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;',
        'DO $$\nBEGIN\n  PERFORM 1;\nEND\n$$;',
      ),
    )
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 10 }), (statements) => {
        expect(splitStatements(statements.join('\n'))).toEqual(statements)
      }),
    )
  })
})
