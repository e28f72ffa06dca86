/**
 * Checks shared by every network reader: weights, edge direction, non-empty graphs, and a strict XML front end
 * (xmldom recovers from malformed XML with warnings; here every warning is an error with its line).
 */
import { randomUUID } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import type Graph from "graphology";
import { GraphFormatError } from "../../errors.js";

/** Options every reader accepts. */
export interface ReadOptions {
  /**
   * Expected edge direction. CSV/TSV edge lists carry no direction, so this chooses it (default undirected).
   * GEXF, GraphML and JSON declare their own: when given, a file with edges of the other kind is an error.
   */
  directed?: boolean;
  /**
   * `true`: every edge must carry a `weight`. `false`: weights are not read (the `weight` attribute is dropped).
   * Default: weights are read where the file has them.
   */
  weight?: boolean;
  /** File name used in error messages. */
  file?: string;
}

/** Throws when an edge's `weight` attribute is present but not a finite number ≥ 0. */
export function validateWeights(graph: Graph, file: string | undefined): void {
  graph.forEachEdge((edge, attributes, source, target) => {
    const w: unknown = attributes.weight;
    if (w === undefined) return;
    if (typeof w !== "number") {
      throw new GraphFormatError(
        `edge ${source} -> ${target} has weight ${JSON.stringify(w)} of type ${typeof w}; expected a finite number ≥ 0 ` +
          `(declare the weight attribute as a number type in the file)`,
        { file },
      );
    }
    if (!Number.isFinite(w) || w < 0) {
      throw new GraphFormatError(
        `edge ${source} -> ${target} has weight ${w}; expected a finite number ≥ 0`,
        { file },
      );
    }
  });
}

/** Throws when `graph` has no nodes. */
export function requireNodes(graph: Graph, file: string | undefined, format: string): void {
  if (graph.order === 0) {
    throw new GraphFormatError(`the ${format} network has no nodes; expected at least one node`, { file });
  }
}

/** Applies `directed` and `weight` reader options to a graph whose format declares its own direction. */
export function applyReadOptions(graph: Graph, options: ReadOptions): void {
  const file = options.file;
  if (options.directed === true && graph.undirectedSize > 0) {
    throw new GraphFormatError(
      `the file declares ${graph.undirectedSize} undirected edge(s) but directed: true was requested; ` +
        `remove the option or declare the edges directed in the file`,
      { file },
    );
  }
  if (options.directed === false && graph.directedSize > 0) {
    throw new GraphFormatError(
      `the file declares ${graph.directedSize} directed edge(s) but directed: false was requested; ` +
        `remove the option or declare the edges undirected in the file`,
      { file },
    );
  }
  if (options.weight === false) {
    graph.forEachEdge((edge) => graph.removeEdgeAttribute(edge, "weight"));
  } else if (options.weight === true) {
    graph.forEachEdge((edge, attributes, source, target) => {
      if (attributes.weight === undefined) {
        throw new GraphFormatError(
          `edge ${source} -> ${target} has no weight but weight: true was requested; give every edge a weight`,
          { file },
        );
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// XML

/** The part of xmldom's DOM the readers touch (the project compiles without the DOM lib). */
export interface XmlElement {
  readonly tagName: string;
  readonly localName: string | null;
  readonly lineNumber?: number;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

interface XmldomModule {
  DOMParser: new (options: {
    locator: object;
    errorHandler: { warning(msg: string): void; error(msg: string): void; fatalError(msg: string): void };
  }) => { parseFromString(source: string, mimeType: string): XmlDocument };
}

const xmldomByPackage = new Map<string, XmldomModule>();

/**
 * The xmldom module that `pkg` itself loads, so that documents parsed here pass that package's
 * `instanceof Document` check (graphology-gexf and graphology-graphml each depend on @xmldom/xmldom).
 */
function xmldomFor(pkg: string): XmldomModule {
  let mod = xmldomByPackage.get(pkg);
  if (mod === undefined) {
    const require = createRequire(import.meta.url);
    mod = createRequire(require.resolve(pkg))("@xmldom/xmldom") as XmldomModule;
    xmldomByPackage.set(pkg, mod);
  }
  return mod;
}

/**
 * Parses XML strictly: any xmldom warning, error or fatal error becomes a GraphFormatError carrying the line
 * the parser reports. The root element must be `<root>`.
 */
export function parseXml(text: string, root: string, pkg: string, file: string | undefined): XmlDocument {
  const format = root === "gexf" ? "GEXF" : "GraphML";
  if (text.trim() === "") {
    throw new GraphFormatError(`the ${format} file is empty; expected an XML document with a <${root}> root`, { file });
  }
  const problems: { message: string; line: number | undefined }[] = [];
  const locator: { lineNumber?: number } = {};
  const report = (msg: string): void => {
    const match = /#\[line:(\d+),col:[^\]]*\]/.exec(msg);
    const line = match ? Number(match[1]) : locator.lineNumber;
    const message = msg.replace(/^\[xmldom \w+\]\s*/, "").replace(/\s*@#\[line:[^\]]*\]\s*$/, "");
    problems.push({ message, line: line !== undefined && line > 0 ? line : undefined });
  };
  const { DOMParser } = xmldomFor(pkg);
  let doc: XmlDocument;
  try {
    doc = new DOMParser({ locator, errorHandler: { warning: report, error: report, fatalError: report } })
      .parseFromString(text, "application/xml");
  } catch (cause) {
    const line = locator.lineNumber !== undefined && locator.lineNumber > 0 ? locator.lineNumber : undefined;
    throw new GraphFormatError(`malformed XML: ${messageOf(cause)}; fix the file so it is well-formed XML`, { file, line }, { cause });
  }
  if (problems.length > 0) {
    const first = problems[0];
    throw new GraphFormatError(`malformed XML: ${first.message}; fix the file so it is well-formed XML`, {
      file,
      line: first.line,
    });
  }
  const top = doc.documentElement;
  if (top === null || top === undefined) {
    throw new GraphFormatError(`no XML element found; expected a ${format} document with a <${root}> root`, { file });
  }
  if (localName(top) !== root) {
    throw new GraphFormatError(
      `the root element is <${top.tagName}>; expected <${root}> (is this really a ${format} file?)`,
      { file, line: top.lineNumber },
    );
  }
  if (doc.getElementsByTagName("graph").length === 0) {
    throw new GraphFormatError(`no <graph> element found; a ${format} file needs one inside <${root}>`, {
      file,
      line: top.lineNumber,
    });
  }
  return doc;
}

/** An attribute's value, or null when absent (xmldom's getAttribute returns "" for a missing attribute). */
export function attribute(element: XmlElement, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null;
}

export function localName(element: XmlElement): string {
  return element.localName ?? element.tagName.replace(/^.*:/, "");
}

/**
 * Checks node ids (present, unique) and edge endpoints (present, declared) so the error can name the line;
 * the graphology parsers would otherwise fail without one.
 */
export function checkNodesAndEdges(doc: XmlDocument, format: string, file: string | undefined): void {
  const firstLine = new Map<string, number | undefined>();
  const nodes = doc.getElementsByTagName("node");
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const id = attribute(node, "id");
    const line = node.lineNumber;
    if (id === null || id === "") {
      throw new GraphFormatError(`a <node> has no id; every ${format} node needs a unique id attribute`, { file, line });
    }
    if (firstLine.has(id)) {
      const earlier = firstLine.get(id);
      throw new GraphFormatError(
        `node id "${id}" is declared twice${earlier !== undefined ? ` (first on line ${earlier})` : ""}; node ids must be unique`,
        { file, line },
      );
    }
    firstLine.set(id, line);
  }
  const edges = doc.getElementsByTagName("edge");
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    const line = edge.lineNumber;
    for (const end of ["source", "target"] as const) {
      const id = attribute(edge, end);
      if (id === null || id === "") {
        throw new GraphFormatError(`an <edge> has no ${end} attribute; every edge needs source and target`, { file, line });
      }
      if (!firstLine.has(id)) {
        throw new GraphFormatError(
          `an <edge> has ${end} "${id}", which is not a declared <node>; declare the node or fix the id`,
          { file, line },
        );
      }
    }
  }
}

/** Checks a weight written as text: a finite decimal number ≥ 0. */
export function checkWeightText(text: string, file: string | undefined, line: number | undefined): void {
  const value = parseDecimal(text);
  if (value === undefined) {
    throw new GraphFormatError(`edge weight "${text}" is not a number; expected a finite number ≥ 0`, { file, line });
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new GraphFormatError(`edge weight ${text} is ${Number.isFinite(value) ? "negative" : "not finite"}; expected a finite number ≥ 0`, {
      file,
      line,
    });
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;

/**
 * Parses a decimal number. Returns undefined for text that is not a number; ±Infinity/NaN spellings (and
 * overflowing literals) parse to non-finite values so callers can say "not finite" rather than "not a number".
 */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  if (NON_FINITE.test(t)) return /nan/i.test(t) ? Number.NaN : t.startsWith("-") ? -Infinity : Infinity;
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps anything a third-party parser throws into a GraphFormatError (GraphFormatErrors pass through). */
export function wrapParserError(error: unknown, format: string, file: string | undefined): GraphFormatError {
  if (error instanceof GraphFormatError) return error;
  const message = messageOf(error).replace(/^graphology-[a-z]+\/parser:\s*/, "");
  return new GraphFormatError(`cannot read the ${format} network: ${message}`, { file }, { cause: error });
}

/**
 * Write a file atomically: to a temporary file beside it, then renamed over `path`, so readers never see a
 * half-written file; the temporary file is removed when anything fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, data, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
