import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../functions/tokens/sha256.ts";
import { hashToken, mintToken } from "../../functions/tokens/token-format.ts";

const node = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("sha256Hex", () => {
  it("gives the FIPS 180-4 example digests", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it("matches node:crypto at every length around the block and padding boundaries", () => {
    for (let length = 0; length <= 200; length++) {
      const text = randomBytes(length).toString("base64").slice(0, length);
      expect(sha256Hex(text), `length ${length}`).toBe(node(text));
    }
  });

  it("hashes the UTF-8 bytes of non-ASCII text", () => {
    for (const text of ["é", "日本語のテキスト", "emoji 🔑 key", "\u0000nul"]) expect(sha256Hex(text)).toBe(node(text));
  });

  it("is what hashToken stores, so tokens hashed before still match", () => {
    for (let i = 0; i < 50; i++) {
      const token = mintToken();
      expect(hashToken(token)).toBe(node(token));
    }
  });
});
