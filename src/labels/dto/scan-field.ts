import { TextField } from '../../common/validation/fields';

/**
 * The optional `scan` of a hand-off (docs/labels.md, "Scans"): what was read from the item's label or typed
 * from it. One decorator, so every hand-off documents and validates it alike.
 */
export function ScanField(
  description = "What was scanned or typed from the item's label",
): PropertyDecorator {
  return TextField({
    max: 500,
    notBlank: true,
    optional: true,
    example: 'X999926000042-D01',
    description: `${description}; a scan naming another item is 422 IDENTITY_MISMATCH (recorded, nothing else changes); required when SCAN_REQUIRED=true (422 SCAN_REQUIRED)`,
  });
}
