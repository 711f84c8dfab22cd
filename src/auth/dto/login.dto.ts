import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from './create-user.dto';
import { UserViewDto } from './user-view.dto';

export class LoginDto {
  @ApiProperty({ example: 'h.tanaka@cpc.example.jp' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery', writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class LoginResponseDto {
  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...',
    description: 'Send as `Authorization: Bearer <accessToken>`',
  })
  accessToken!: string;

  @ApiProperty({ example: 28800, description: 'Seconds until the token expires (JWT_TTL)' })
  expiresIn!: number;

  @ApiProperty({ type: UserViewDto })
  user!: UserViewDto;
}
