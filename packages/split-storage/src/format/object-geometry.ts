import { TAG_BYTES } from './segment-cipher.js';

/**
 * How an object of `size` bytes is cut: into segments of `segmentSize` plaintext bytes (the last
 * one shorter, possibly empty; an empty object is one empty final segment), each stored as a record
 * of its ciphertext and tag; and the records of each share into parts of `segmentsPerPart` records,
 * one stored object per part.
 */
export interface ObjectGeometry {
  size: number;
  segmentSize: number;
  segmentsPerPart: number;
  /** Number of segments, at least 1. */
  segments: number;
  /** Number of parts, at least 1. */
  parts: number;
}

/** The geometry of an object. */
export function objectGeometry(size: number, segmentSize: number, segmentsPerPart: number): ObjectGeometry {
  const segments = Math.max(1, Math.ceil(size / segmentSize));
  return { size, segmentSize, segmentsPerPart, segments, parts: Math.ceil(segments / segmentsPerPart) };
}

/** Plaintext bytes of segment `index`. */
export function segmentPlainBytes(geometry: ObjectGeometry, index: number): number {
  return index < geometry.segments - 1
    ? geometry.segmentSize
    : geometry.size - (geometry.segments - 1) * geometry.segmentSize;
}

/** Stored bytes of the record of segment `index`: its ciphertext and tag. */
export function recordBytes(geometry: ObjectGeometry, index: number): number {
  return segmentPlainBytes(geometry, index) + TAG_BYTES;
}

/** The segments `[first, end)` that part `part` holds. */
export function partSegments(geometry: ObjectGeometry, part: number): { first: number; end: number } {
  const first = part * geometry.segmentsPerPart;
  return { first, end: Math.min(geometry.segments, first + geometry.segmentsPerPart) };
}

/** Stored bytes of part `part` of any share (every share has the same geometry). */
export function partBytes(geometry: ObjectGeometry, part: number): number {
  const { first, end } = partSegments(geometry, part);
  let total = 0;
  for (let index = first; index < end; index += 1) total += recordBytes(geometry, index);
  return total;
}

/** The most bytes any part of this segment size can hold. */
export function maxPartBytes(segmentSize: number, segmentsPerPart: number): number {
  return (segmentSize + TAG_BYTES) * segmentsPerPart;
}
