import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, extname, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { invalidParameter, MlflowError } from "../errors/mlflow-error";
import type { ArtifactFile } from "../wire/entities";

/** Extensions MLflow serves as text/plain (its `_TEXT_EXTENSIONS`), so browsers show rather than download them. */
const TEXT_EXTENSIONS = new Set(
  "txt log err cfg conf cnf cf ini properties prop hocon toml yaml yml xml json js py py3 csv tsv md rst jsonnet".split(
    " ",
  ),
);
const TEXT_FILES = new Set(["MLmodel", "MLproject"]);

export function artifactContentType(path: string): string {
  const ext = extname(path).slice(1).toLowerCase();
  if (TEXT_EXTENSIONS.has(ext) || TEXT_FILES.has(basename(path))) return "text/plain";
  if (ext === "png") return "image/png";
  if (ext === "jpg" || ext === "jpeg") return "image/jpeg";
  if (ext === "html") return "text/html";
  return "application/octet-stream";
}

/**
 * Artifact files under one root directory. Every relative path is checked so that nothing outside the root can be
 * read or written (`..`, absolute paths, NUL bytes are refused).
 */
export interface ArtifactFiles {
  write(path: string, body: ReadableStream<Uint8Array> | null): Promise<void>;
  /** The file's bytes as a stream, or an MLflow INTERNAL_ERROR (as MLflow answers) when there is none. */
  read(path: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number }>;
  /** The entries of a directory; empty when the path is missing or a file (MLflow answers `{}` then). */
  list(path: string): Promise<ArtifactFile[]>;
  remove(path: string): Promise<void>;
}

export function createArtifactFiles(artifactRoot: string): ArtifactFiles {
  const root = resolve(artifactRoot);

  function resolvePath(path: string): string {
    const segments = path.split("/").filter((s) => s !== "" && s !== ".");
    if (path.includes("\0") || path.startsWith("/") || segments.some((s) => s === ".." || s.includes("\\"))) {
      throw invalidParameter(`Invalid path: '${path}'. Artifact paths must be relative and must not contain '..'.`);
    }
    const full = resolve(root, ...segments);
    if (full !== root && !full.startsWith(root + sep)) throw invalidParameter(`Invalid path: '${path}'.`);
    return full;
  }

  return {
    async write(path, body) {
      const full = resolvePath(path);
      if (full === root) throw invalidParameter("An artifact upload needs a file path.");
      await mkdir(dirname(full), { recursive: true });
      const source = body ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
      await pipeline(source, createWriteStream(full));
    },

    async read(path) {
      const full = resolvePath(path);
      const info = await stat(full).catch(() => undefined);
      if (!info?.isFile()) {
        throw new MlflowError(
          "INTERNAL_ERROR",
          `The following failures occurred while downloading one or more artifacts from <artifact-root>:\n##### File ${path} #####\n[Errno 2] No such file or directory: '<artifact-root>/${path}'`,
        );
      }
      const stream = Readable.toWeb(createReadStream(full)) as unknown as ReadableStream<Uint8Array>;
      return { stream, size: info.size };
    },

    async list(path) {
      const full = resolvePath(path);
      const entries = await readdir(full, { withFileTypes: true }).catch(() => []);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return Promise.all(
        entries.map(async (entry) =>
          entry.isDirectory()
            ? { path: entry.name, is_dir: true }
            : { path: entry.name, is_dir: false, file_size: (await stat(resolve(full, entry.name))).size },
        ),
      );
    },

    async remove(path) {
      const full = resolvePath(path);
      if (full === root) throw invalidParameter("Refusing to delete the artifact root.");
      await rm(full, { recursive: true, force: true });
    },
  };
}
