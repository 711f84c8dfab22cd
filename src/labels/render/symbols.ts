import * as bwipjs from 'bwip-js';

/** A barcode as vector paths in its own units (bwip-js draws it; we only place and scale the paths). */
export interface Symbol {
  width: number;
  height: number;
  paths: { d: string; strokeWidth: number | null }[];
}

export type SymbolKind = 'code128' | 'datamatrix';

/**
 * The symbol for `text`, drawn by bwip-js as SVG and read back as paths, so PDFs carry vector bars that
 * stay sharp at any printer's resolution. A DataMatrix is a filled even-odd path; Code 128 bars are strokes.
 */
export function symbol(kind: SymbolKind, text: string): Symbol {
  const svg = bwipjs.toSVG({
    bcid: kind,
    text,
    ...(kind === 'code128' ? { height: 10, includetext: false } : {}),
  });
  const viewBox = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!viewBox) throw new Error('bwip-js answered an SVG without a viewBox');
  const paths = [...svg.matchAll(/<path([^>]*)\/>/g)].map((match) => {
    const attributes = match[1];
    const d = /\sd="([^"]+)"/.exec(attributes)?.[1] ?? '';
    const stroke = /stroke-width="([\d.]+)"/.exec(attributes);
    return { d, strokeWidth: stroke ? Number(stroke[1]) : null };
  });
  return { width: Number(viewBox[1]), height: Number(viewBox[2]), paths };
}
