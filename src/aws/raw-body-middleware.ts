import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * A deserialize-step middleware that takes a successful response's body for itself.
 *
 * It sits inside the SDK's own deserializer (`relation: 'after'` the `deserializerMiddleware`
 * entry, which in a middleware stack means closer to the transport), so it sees every attempt's
 * HTTP response before the SDK reads it. On a 2xx answer it collects the body, hands the text
 * over, and leaves an empty body behind: the SDK's deserializer then has nothing to parse and
 * only adds `$metadata`. Any other status is left untouched, so errors still become the SDK's
 * typed exceptions (with their retries, `$metadata` and `$fault`) exactly as before.
 */

/** The part of an HTTP response this middleware reads and replaces. */
interface HttpResponseLike {
  statusCode: number;
  body?: unknown;
}

/** The SDK's stream reader (`client.config.streamCollector`): a body stream in, its bytes out. */
export type BodyCollector = (body: unknown) => Promise<Uint8Array>;

type Handler<Args, Result> = (args: Args) => Promise<Result>;

/** Names this middleware and anchors it inside the SDK's deserializer. */
export const RAW_BODY_PLACEMENT = {
  name: 'ddbstreamRawBodyMiddleware',
  relation: 'after',
  toMiddleware: 'deserializerMiddleware',
} as const;

/**
 * The middleware for one call: `onBody` receives the UTF-8 text of the 2xx body. Retries run the
 * deserialize step again, but only an attempt that succeeds gets this far, so it is called once.
 */
export function rawBodyMiddleware(collect: BodyCollector, onBody: (text: string) => void) {
  return <Args, Result extends { response: unknown }>(next: Handler<Args, Result>): Handler<Args, Result> =>
    async (args) => {
      const result = await next(args);
      const response = result.response;
      if (isSuccess(response)) {
        onBody(await bodyText(response.body, collect));
        // Zero bytes: the SDK's deserializer skips parsing entirely and returns only $metadata.
        response.body = new Uint8Array(0);
      }
      return result;
    };
}

function isSuccess(response: unknown): response is HttpResponseLike {
  if (typeof response !== 'object' || response === null) return false;
  const status = (response as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 200 && status < 300;
}

async function bodyText(body: unknown, collect: BodyCollector): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Readable) return readText(body);
  const bytes = body instanceof Uint8Array ? body : await collect(body);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * A Node body (what the SDK's Node HTTP handler gives) decoded as it arrives, chunk by chunk.
 * Why not the SDK's collector: it copies the chunks into one array of the whole body (about 1 MB
 * for a page of 1,000 records) before the text is decoded from it, an allocation and a copy per
 * page that only the decoding needs. The decoder keeps a character split between two chunks whole.
 */
async function readText(body: Readable): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of body) text += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
  return text + decoder.end();
}
