// CPU-bound work: CRC-32 of a generated payload, in plain JavaScript. Deployed twice, at 128 MB and
// at 1024 MB: Lambda gives CPU in proportion to memory, so the same code runs about 8 times longer at
// 128 MB, while the bill (duration x memory) stays about the same.

// The lookup table is built at init (module scope), once per instance.
const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// A deterministic pseudo-random payload (xorshift32), so every run does the same work.
function payload(size, seed) {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

// The reference data is generated at init: CPU work in the init phase, where Lambda gives every
// memory size the same burst of CPU.
const DEFAULT_MB = 4;
const DEFAULT_SEED = 7;
const reference = payload(DEFAULT_MB * 1024 * 1024, DEFAULT_SEED);

/** Checksums `megabytes` MB (default 4) of generated data; returns the CRC and the memory setting. */
export async function handler(event) {
  const megabytes = Number(event?.megabytes ?? DEFAULT_MB);
  const seed = Number(event?.seed ?? DEFAULT_SEED);
  const bytes = megabytes === DEFAULT_MB && seed === DEFAULT_SEED ? reference : payload(Math.round(megabytes * 1024 * 1024), seed);
  return {
    crc32: crc32(bytes).toString(16).padStart(8, '0'),
    megabytes,
    memoryLimitInMB: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE),
  };
}
