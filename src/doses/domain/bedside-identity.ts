/**
 * Chain of identity at the point of care (docs/domain.md, rule 12): the code on the patient's wristband and the
 * label scanned from the syringe must both be this dose's. Compared exactly, case included, after dropping the
 * whitespace a scanner may append: a near match is a mismatch.
 */
export interface BedsideScan {
  patientCode: string;
  doseLabel: string;
}

export interface DoseIdentity {
  donorCode: string;
  label: string;
}

/** The scanned fields that do not match the dose (empty when both match). */
export function identityMismatches(scan: BedsideScan, dose: DoseIdentity): ('patientCode' | 'doseLabel')[] {
  const mismatches: ('patientCode' | 'doseLabel')[] = [];
  if (scan.patientCode.trim() !== dose.donorCode) mismatches.push('patientCode');
  if (scan.doseLabel.trim() !== dose.label) mismatches.push('doseLabel');
  return mismatches;
}
