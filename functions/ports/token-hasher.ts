/**
 * TokenHasher: the SHA-256 of a client token as 64 lower-case hex digits, the only form of a
 * token ever stored. Contract: synchronous, pure, exactly FIPS 180-4 SHA-256 of the token's UTF-8
 * bytes (stored hashes must keep matching whichever implementation computed them).
 *
 * A port because it is on the hot path: the portable default (`sha256Hex`, plain JavaScript)
 * runs anywhere, while the front doors pass the runtime's native digest, measured faster per
 * request in `bench/engine-micro.ts` (Web Crypto's `subtle.digest` is asynchronous and slower
 * still).
 */
export type TokenHasher = (token: string) => string;
