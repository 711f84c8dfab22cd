export { FONT, documentFonts } from './fonts';
export { BODY_FONT_SIZE, PAGE_MARGINS, finishDocument, openDocument } from './page-frame';
export type { Band, DocumentMeta, PageFrame } from './page-frame';
export { drawTable } from './table';
export type { TableColumn, TableRow } from './table';
