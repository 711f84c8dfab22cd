import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const run = promisify(execFile);

// The decoder's WebAssembly comes from the package itself, never from the network.
void prepareZXingModule({
  overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) },
  fireImmediately: true,
});

export interface ScannedPage {
  dataMatrix: string[];
  code128: string[];
  png: Buffer;
}

/**
 * Reads labels back as a scanner would: each PDF page rasterised by poppler's pdftoppm (as a printer's
 * raster), then every symbol on it decoded by ZXing. Answers one entry per page.
 */
export async function scanPdf(pdf: Buffer, dpi = 300): Promise<ScannedPage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'labels-'));
  try {
    await writeFile(join(dir, 'labels.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'labels.pdf'), join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((name) => name.endsWith('.png')).sort();
    const scanned: ScannedPage[] = [];
    for (const name of pages) {
      const png = await readFile(join(dir, name));
      const found = await readBarcodes(new Uint8Array(png), {
        formats: ['DataMatrix', 'Code128'],
        maxNumberOfSymbols: 4,
      });
      scanned.push({
        dataMatrix: found.filter((s) => s.format === 'DataMatrix').map((s) => s.text),
        code128: found.filter((s) => s.format === 'Code128').map((s) => s.text),
        png,
      });
    }
    return scanned;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as poppler extracts it (what a reader of the label sees in words). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labels-'));
  try {
    await writeFile(join(dir, 'labels.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'labels.pdf'), '-']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
