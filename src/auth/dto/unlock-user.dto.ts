import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class UnlockUserDto {
  @ApiProperty({
    example: 'Owner confirmed by phone; the failed attempts were their own typos',
    minLength: 1,
    maxLength: 2000,
    description: 'Why the lock is lifted, for the audit trail',
  })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
