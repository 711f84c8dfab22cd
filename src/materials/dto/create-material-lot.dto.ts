import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches, registerDecorator, ValidationArguments } from 'class-validator';
import { isLotExpiryInput } from '../domain/lot-expiry';
import { MATERIAL_KINDS, MaterialKind } from '../materials.repository';

function IsLotExpiry(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isLotExpiry',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => isLotExpiryInput(value),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a calendar date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone`,
      },
    });
  };
}

export class CreateMaterialLotDto {
  @ApiProperty({ enum: MATERIAL_KINDS, example: 'COLLAGENASE' })
  @IsIn(MATERIAL_KINDS)
  kind!: MaterialKind;

  @ApiProperty({ example: 'Collagenase NB 4G Proved Grade', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({
    example: 'S2611042',
    minLength: 1,
    maxLength: 100,
    description: "The supplier's lot number; unique per kind",
  })
  @IsString()
  @Length(1, 100)
  @Matches(/^\S(.*\S)?$/, { message: 'lotNumber must not be blank or start or end with spaces' })
  lotNumber!: string;

  @ApiProperty({
    example: '2027-03-31',
    description:
      'The expiry date on the label (YYYY-MM-DD: usable through the end of that day in the facility time zone, ' +
      'FACILITY_TZ), or an exact ISO 8601 timestamp with a zone after which the lot is no longer usable',
  })
  @IsLotExpiry()
  expiresAt!: string;
}
