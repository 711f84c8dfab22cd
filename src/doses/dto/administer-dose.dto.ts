import { ScanField } from '../../labels/dto/scan-field';
import { EnumField, PastTimestampField, TextField } from '../../common/validation/fields';
import { INJECTION_SITES, InjectionSite } from '../domain/injection-site';

export class AdministerDoseDto {
  @PastTimestampField({
    example: '2026-11-24T14:00:00+09:00',
    description: 'Must be before the dose expires',
  })
  administeredAt!: string;

  @EnumField(INJECTION_SITES, { example: 'LEFT_KNEE' })
  site!: InjectionSite;

  @TextField({
    max: 100,
    example: 'P-7KQ2M9',
    description: "The donor code read from the patient's wristband",
  })
  patientCode!: string;

  @TextField({ max: 100, example: 'X999926000042-D01', description: 'The label scanned from the syringe' })
  doseLabel!: string;

  @ScanField("The syringe's label, either symbol or its text, checked beside doseLabel")
  scan?: string;
}
