/**
 * Mapping keys in scenario YAML must be names. YAML allows a collection as a key (`{ a: 1 }: x`, or a
 * misplaced brace that turns a flow map into a key); converting such a document to plain objects would
 * stringify the key and print a process warning. We find them first and report them with their position.
 */
import { isCollection, isPair, visit, type Document } from "yaml";

/** Character offsets of every mapping key that is a collection (a map or a sequence). */
export function collectionKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isCollection(pair.key)) offsets.push(pair.key.range?.[0] ?? 0);
    },
  });
  return offsets;
}

export const COLLECTION_KEY_MESSAGE = "a mapping key must be a name, not a {…} or […] collection (check the braces and colons here).";
