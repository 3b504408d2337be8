import type {
  DynamoDBStreamsClient,
  GetRecordsCommandInput,
  GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { decodeGetRecordsBody, type GetRecordsPage } from './get-records-body.js';
import { RAW_BODY_PLACEMENT, rawBodyMiddleware } from './raw-body-middleware.js';
import { streamsSdk } from './streams-sdk.js';

const { GetRecordsCommand } = streamsSdk;

export interface GetRecordsRawOptions {
  abortSignal?: AbortSignal;
}

/**
 * GetRecords with the response body parsed once by us instead of by the SDK's generic
 * deserializer: a drop-in for `client.send(new GetRecordsCommand(input), options)` that returns
 * the same shapes (Date times, Uint8Array binary, numbers as their exact strings) and keeps
 * attribute names the SDK loses (`__proto__`). Credentials, signing, endpoints, retries and typed
 * errors are still the SDK's: only the body of a successful answer takes the short way.
 *
 * Why: the SDK's schema-driven deserializer was the largest single cost of reading a stream (more
 * than a third of `export`'s CPU); `JSON.parse` and one walk over the images for dates and binary
 * do the same job for a fraction of that.
 */
export async function getRecordsRaw(
  client: DynamoDBStreamsClient,
  input: GetRecordsCommandInput,
  options: GetRecordsRawOptions = {},
): Promise<GetRecordsCommandOutput> {
  let body: string | undefined;
  const command = new GetRecordsCommand(input);
  // On this command only, so other calls on the client (and plain GetRecordsCommands) are untouched.
  command.middlewareStack.addRelativeTo(
    rawBodyMiddleware(client.config.streamCollector, (text) => (body = text)),
    RAW_BODY_PLACEMENT,
  );
  // Always an options object: without one, a client with `cacheMiddleware` would reuse the first
  // command's resolved stack, and with it that command's middleware, for later calls.
  const output = await client.send(command, { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
  if (body === undefined) {
    // A successful send has passed its 2xx answer through the middleware; should that ever
    // change, fail loudly rather than hand the reader an empty page.
    throw new Error('GetRecords answered, but its body did not pass through the raw-body reader');
  }
  const page: GetRecordsPage = decodeGetRecordsBody(body);
  return { $metadata: output.$metadata, ...page };
}
