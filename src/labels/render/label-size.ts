import { SubjectType } from '../domain/subject-type';

/** Vials carry 2 x 1 inch labels; everything else 4 x 4 inch (docs/labels.md). Sizes in inches. */
export interface LabelSize {
  name: 'VIAL' | 'LARGE';
  widthIn: number;
  heightIn: number;
}

export const VIAL_LABEL: LabelSize = { name: 'VIAL', widthIn: 2, heightIn: 1 };
export const LARGE_LABEL: LabelSize = { name: 'LARGE', widthIn: 4, heightIn: 4 };

export function labelSizeOf(subjectType: SubjectType): LabelSize {
  return subjectType === 'VIAL' ? VIAL_LABEL : LARGE_LABEL;
}
