import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { MAX_LINE_BYTES } from '../trace/lines.js';
import { checkReadable, RowImporter, type ImportOptions, type ImportSummary } from './rows.js';

/*
 * JSONL (one JSON object per line, e.g. Mooncake-style `{"timestamp", "input_length",
 * "output_length", "hash_ids"}`) → trace file. The columns are the keys of the first object; the
 * same names and aliases as CSV apply. Each line is parsed, its few needed values are copied out,
 * and the object is dropped: prompt or response fields are never kept. Streams in 1 MiB chunks.
 */

export async function importJsonl(file: string, opts: ImportOptions): Promise<ImportSummary> {
  checkReadable(file, 'JSONL');
  let importer: RowImporter | undefined;
  let keys: string[] = [];
  let fields: unknown[] = [];
  let line = 0;
  const handle = (text: string): void => {
    line++;
    if (text.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new InputError(MSG.badJson((e as Error).message.slice(0, 120)), `${file}:${line}`);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new InputError(MSG.notAnObject(), `${file}:${line}`);
    const o = obj as Record<string, unknown>;
    if (importer === undefined) {
      keys = Object.keys(o);
      fields = new Array<unknown>(keys.length);
      importer = new RowImporter(keys, opts, file);
    }
    for (let i = 0; i < keys.length; i++) fields[i] = o[keys[i]!];
    importer.row(fields, line);
  };
  try {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let first = true;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      let text = rest + decoder.write(chunk as Buffer);
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      let pos = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', pos)) {
        handle(text.slice(pos, nl));
        pos = nl + 1;
      }
      rest = text.slice(pos);
      // A line longer than any row is not one: refuse it instead of buffering it (issue 17).
      if (rest.length > MAX_LINE_BYTES)
        throw new InputError(MSG.lineTooLong(line + 1, MAX_LINE_BYTES), `${file}:${line + 1}`);
    }
    rest += decoder.end();
    if (rest !== '') handle(rest);
    if (importer === undefined)
      throw new InputError(MSG.emptyFile('JSONL', '{"timestamp", "input_tokens", "output_tokens"}'), file);
    return importer.finish(opts.source ?? `jsonl:${basename(file)}`);
  } catch (e) {
    importer?.abort();
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof InputError || code === undefined) throw e;
    throw new InputError(MSG.cannotRead('JSONL', code), file);
  }
}
