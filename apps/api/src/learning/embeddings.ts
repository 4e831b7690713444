/** Embeddings are stored as float32 little-endian bytes (prompts.embedding, responses.embedding). */
import { CampaignDataError } from './campaign-data-error';

function nonFinite(what: string, column: number, value: number): CampaignDataError {
  return new CampaignDataError(`${what}: column ${column} is ${value}, not a finite float32 value`);
}

/** float32 LE bytes of a vector (values are rounded to float32). */
export function encodeEmbedding(vector: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i], i * 4);
  return out;
}

/** Reads float32 LE bytes; throws when the byte length is not `dimension`·4 (when given). */
export function decodeEmbedding(bytes: Uint8Array, dimension?: number, what = 'embedding'): Float32Array {
  if (bytes.byteLength % 4 !== 0 || (dimension !== undefined && bytes.byteLength !== dimension * 4)) {
    throw new CampaignDataError(
      `${what} has ${bytes.byteLength} bytes, expected ${dimension === undefined ? 'a multiple of 4' : dimension * 4}`,
    );
  }
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getFloat32(i * 4, true);
    if (!Number.isFinite(out[i])) throw nonFinite(what, i, out[i]);
  }
  return out;
}
