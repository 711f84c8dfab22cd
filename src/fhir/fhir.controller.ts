import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { TextField } from '../common/validation/fields';
import { UuidParam } from '../common/validation/validation';
import { FhirService } from './fhir.service';

export class FhirSearchQuery {
  @TextField({ max: 64, notBlank: true, example: 'D-7K3M9QXA', description: "The patient's donor code" })
  patient!: string;
}

const FHIR_JSON = 'application/fhir+json';

/** A FHIR R4 resource; its schema is FHIR's own (hl7.org/fhir/R4/biologicallyderivedproduct.html). */
const FHIR_RESOURCE = {
  type: 'object',
  properties: { resourceType: { type: 'string', example: 'BiologicallyDerivedProduct' } },
  additionalProperties: true,
};

@ApiTags('fhir')
@Controller('fhir/BiologicallyDerivedProduct')
@AnyRole()
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @Get()
  @Header('content-type', `${FHIR_JSON}; charset=utf-8`)
  @ApiProduces(FHIR_JSON)
  @ApiOperation({
    operationId: 'searchBiologicallyDerivedProducts',
    summary: "A patient's doses and vials as FHIR R4 BiologicallyDerivedProduct (a searchset Bundle)",
    description: "`patient` is the donor code; another clinic's patient gives an empty Bundle to a doctor.",
  })
  @ApiOkResponse({
    description: 'A FHIR R4 Bundle of type searchset',
    content: { [FHIR_JSON]: { schema: FHIR_RESOURCE } },
  })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'patient is missing'])
  async search(@CurrentUser() user: AuthUser, @Query() query: FhirSearchQuery): Promise<string> {
    return JSON.stringify(await this.fhir.searchByPatient(user, query.patient));
  }

  @Get(':id')
  @Header('content-type', `${FHIR_JSON}; charset=utf-8`)
  @ApiProduces(FHIR_JSON)
  @ApiOperation({
    operationId: 'readBiologicallyDerivedProduct',
    summary: 'A dose or vial as a FHIR R4 BiologicallyDerivedProduct (doctor: own clinic)',
  })
  @ApiOkResponse({
    description: 'A FHIR R4 BiologicallyDerivedProduct',
    content: { [FHIR_JSON]: { schema: FHIR_RESOURCE } },
  })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID'],
    [ErrorCode.NOT_FOUND, "No such dose or vial, or another clinic's"],
  )
  async read(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<string> {
    return JSON.stringify(await this.fhir.read(user, id));
  }
}
