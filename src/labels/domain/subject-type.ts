/** What a label or a scan is about (docs/labels.md). */
export type SubjectType = 'HARVEST' | 'BATCH' | 'VIAL' | 'DOSE';
export const SUBJECT_TYPES: readonly SubjectType[] = ['HARVEST', 'BATCH', 'VIAL', 'DOSE'];

/** One item as a scan may name it: its record and the text printed on it (a batch's is its DIN). */
export interface ItemIdentity {
  subjectType: SubjectType;
  subjectId: string;
  itemLabel: string;
}
