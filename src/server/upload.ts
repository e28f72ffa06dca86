/**
 * Network uploads are streamed to a temporary file, never gathered into one string on the event loop: the
 * worker that parses them reads the file. The size cap counts the decoded bytes (a gzip, deflate or brotli
 * Content-Encoding is decoded on the way, so a compression bomb stops at the cap); over it the answer is
 * 413 at once, and the rest of the body is discarded.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Request } from "express";
import { HttpProblem } from "./problems.js";

export interface Upload {
  /** The temporary file with the decoded body. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Remove the temporary file (idempotent). */
  remove(): Promise<void>;
}

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, "payload-too-large", "The body is too large", `the upload is larger than this server's limit of ${limit} bytes; send a smaller network (the limits are listed at GET /v1/health).`, {
    headers: { Connection: "close" },
  });
}

/** Stream the request body (decoded) into a temporary file of at most `limit` bytes. */
export async function receiveUpload(req: Request, limit: number): Promise<Upload> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding !== "identity" && !Object.hasOwn(DECODERS, encoding)) {
    req.resume();
    throw new HttpProblem(415, "unsupported-encoding", "Unsupported content encoding", `Content-Encoding "${encoding}" is not taken here; send identity, gzip, deflate or br.`);
  }
  const declared = Number(req.headers["content-length"]);
  if (encoding === "identity" && Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const dir = await mkdtemp(join(tmpdir(), "spreadlab-upload-"));
  const path = join(dir, "body");
  const remove = () => rm(dir, { recursive: true, force: true });
  const decoder = encoding === "identity" ? null : DECODERS[encoding]();
  const source: Readable = decoder === null ? req : (req.pipe(decoder) as unknown as Readable);
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        if (decoder !== null) {
          req.unpipe(decoder as unknown as NodeJS.WritableStream);
          (decoder as unknown as Readable).destroy();
        }
        source.removeAllListeners("data");
        out.destroy();
        // Discard the rest of the body so that the 413 can be read by the client.
        req.resume();
        reject(error);
      };
      source.on("data", (chunk: Buffer) => {
        if (settled) return;
        bytes += chunk.length;
        if (bytes > limit) return fail(tooLarge(limit));
        if (!out.write(chunk)) {
          source.pause();
          out.once("drain", () => source.resume());
        }
      });
      source.once("end", () => {
        if (!settled) out.end();
      });
      source.once("error", (error: Error) =>
        fail(decoder !== null && source === (decoder as unknown) ? new HttpProblem(400, "malformed-body", "The body could not be read", `the ${encoding} body does not decode: ${error.message}.`) : error),
      );
      if (decoder !== null) req.once("error", fail);
      req.once("aborted", () => fail(new HttpProblem(400, "malformed-body", "The request was aborted", "the client aborted the upload.")));
      out.once("error", fail);
      out.once("finish", () => {
        if (settled) return;
        settled = true;
        resolve();
      });
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, bytes, remove };
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size limit in body-parser's syntax (a number of bytes, or "10mb", "512kb"…) in bytes. */
export function limitBytes(limit: string | number): number {
  if (typeof limit === "number") return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (match === null) throw new Error(`upload limit: "${limit}" is not a size (a number of bytes, or e.g. "10mb")`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? "b").toLowerCase()]);
}
