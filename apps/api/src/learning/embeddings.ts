/** Embeddings are stored as float32 little-endian bytes (prompts.embedding, responses.embedding). */

/** float32 LE bytes of a vector (values are rounded to float32). */
export function encodeEmbedding(vector: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i], i * 4);
  return out;
}

/** Reads float32 LE bytes; throws when the byte length is not `dimension`·4 (when given). */
export function decodeEmbedding(bytes: Uint8Array, dimension?: number, what = 'embedding'): Float32Array {
  if (bytes.byteLength % 4 !== 0 || (dimension !== undefined && bytes.byteLength !== dimension * 4)) {
    throw new RangeError(
      `${what} has ${bytes.byteLength} bytes, expected ${dimension === undefined ? 'a multiple of 4' : dimension * 4}`,
    );
  }
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Writes the decoded float32 LE bytes into `target` at `offset` (no intermediate array). */
export function decodeEmbeddingInto(bytes: Uint8Array, target: Float32Array, offset: number, dimension: number): void {
  if (bytes.byteLength !== dimension * 4) {
    throw new RangeError(`embedding has ${bytes.byteLength} bytes, expected ${dimension * 4}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < dimension; i++) target[offset + i] = view.getFloat32(i * 4, true);
}
