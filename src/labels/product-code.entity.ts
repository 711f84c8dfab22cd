import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ProductForm = 'FRESH_DOSE' | 'BOOSTER_DOSE' | 'CRYOPRESERVED';
export const PRODUCT_FORMS: readonly ProductForm[] = ['FRESH_DOSE', 'BOOSTER_DOSE', 'CRYOPRESERVED'];

/** The ISBT 128 product description code a form of product is labelled with (set by an administrator). */
@Entity('product_codes')
export class ProductCodeEntity {
  @PrimaryColumn({ type: 'text' })
  form!: ProductForm;

  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'type_of_donation', type: 'text' })
  typeOfDonation!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
