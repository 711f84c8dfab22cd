import { readFileSync } from 'node:fs';

/**
 * The fonts every generated document embeds. Noto Sans JP (SIL Open Font License) from the npm package
 * `@expo-google-fonts/noto-sans-jp`: static TrueType (glyf) files with Latin and Japanese glyphs, so clinic
 * names and notes in Japanese render, and an image needs no system font package. pdfkit embeds only the
 * glyphs a document uses (a subset), so a record stays tens of kilobytes.
 */
export const FONT = { regular: 'NotoSansJP', bold: 'NotoSansJP-Bold' } as const;

const FILES: Record<keyof typeof FONT, string> = {
  regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
};

let loaded: Record<keyof typeof FONT, Buffer> | null = null;

/** The font files' bytes, read once per process (5 MB each: re-reading them per document would cost more than drawing it). */
export function documentFonts(): Record<keyof typeof FONT, Buffer> {
  loaded ??= {
    regular: readFileSync(require.resolve(FILES.regular)),
    bold: readFileSync(require.resolve(FILES.bold)),
  };
  return loaded;
}
