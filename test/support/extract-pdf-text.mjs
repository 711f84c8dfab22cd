// Reads a PDF on stdin and prints its pages' text as a JSON array of strings. A separate process because
// pdf-parse's PDF.js loads its worker with a dynamic import, which jest's module sandbox does not allow.
import { PDFParse } from 'pdf-parse';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  const result = await parser.getText();
  process.stdout.write(JSON.stringify(result.pages.map((page) => page.text)));
} finally {
  await parser.destroy();
}
