import { create, Font } from 'fontkit';
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

let loaded: Record<keyof typeof FONT, Font> | null = null;

/**
 * The parsed fonts, read and parsed once per process and shared by every document: pdfkit takes a fontkit
 * font as it takes a file, and parsing a 5 MB font's tables again for each document cost more than drawing
 * it. Sharing is safe: each document keeps its own subset and layout cache, and rendering is synchronous.
 */
export function documentFonts(): Record<keyof typeof FONT, Font> {
  loaded ??= { regular: parse(FILES.regular), bold: parse(FILES.bold) };
  return loaded;
}

function parse(file: string): Font {
  const font = create(readFileSync(require.resolve(file)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}
