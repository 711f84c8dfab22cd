import { TextField } from '../../common/validation/fields';

export class DestroyDoseDto {
  @TextField({ max: 2000, notBlank: true, example: 'Expired unused: patient postponed the visit' })
  reason!: string;
}
