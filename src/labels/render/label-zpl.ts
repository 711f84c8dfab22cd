import { BIOHAZARD_STATEMENT, LabelContent } from '../domain/label-content';
import { LabelSize } from './label-size';

/** Thermal label printers print at 203 dots per inch unless told otherwise; the layout is in dots. */
const DOTS_PER_INCH = 203;

/**
 * The labels in ZPL II, one `^XA...^XZ` format per label. The printer draws both symbols itself from their
 * data (`^BC` Code 128, `^BX` DataMatrix ECC 200), so the ZPL carries the same data structures as the PDF.
 * Field data goes through `^FH` hex escapes, so a `^` or `~` in a text could never end a field early.
 */
export function renderLabelsZpl(labels: readonly LabelContent[], size: LabelSize): string {
  return labels.map((label) => oneLabel(label, size)).join('\n');
}

function oneLabel(label: LabelContent, size: LabelSize): string {
  const large = size.name === 'LARGE';
  const lines: string[] = [
    '^XA',
    '^CI28',
    `^PW${Math.round(size.widthIn * DOTS_PER_INCH)}`,
    `^LL${Math.round(size.heightIn * DOTS_PER_INCH)}`,
  ];
  const text = large ? { x: 30, y: 200, font: 24, width: 750 } : { x: 90, y: 34, font: 12, width: 310 };
  lines.push(large ? '^FO580,30' : '^FO10,10', `^BXN,${large ? 6 : 3},200`, field(label.dataMatrix));
  if (label.linear !== null) {
    lines.push(large ? '^FO30,80' : '^FO10,155', `^BY${large ? 2 : 1}`, `^BCN,${large ? 90 : 40},N,N,N,A`);
    lines.push(field(label.linear));
  }
  if (label.dinText !== null) {
    const din = `${label.dinText.groups} ${label.dinText.flags}`;
    lines.push(large ? '^FO30,30^A0N,36,36' : '^FO90,10^A0N,18,18', field(din));
    const boxX = large ? 360 : 250;
    lines.push(`^FO${boxX - 6},${large ? 24 : 6}^GB${large ? 36 : 22},${large ? 42 : 24},2^FS`);
    lines.push(
      `^FO${boxX},${large ? 30 : 10}^A0N,${large ? 36 : 18},${large ? 36 : 18}`,
      field(label.dinText.check),
    );
  }
  const words = [...label.lines, ...(label.biohazard ? [BIOHAZARD_STATEMENT] : [])];
  words.forEach((line, i) => {
    lines.push(`^FO${text.x},${text.y + i * (text.font + 4)}^A0N,${text.font},${text.font}`, field(line));
  });
  lines.push('^XZ');
  return lines.join('\n');
}

/** `^FH^FD<data>^FS` with the characters ZPL gives meaning to written as `_hh` hex escapes. */
function field(data: string): string {
  const escaped = data.replace(
    /[\^~_]/g,
    (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `^FH^FD${escaped}^FS`;
}
