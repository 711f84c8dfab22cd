import { Injectable } from '@nestjs/common';
import { VialRecordsService } from '../bank/vial-records.service';
import { MaterialsService } from '../materials/materials.service';
import { MaterialLotUsageDto, recallBatchView } from './dto/recall-view.dto';
import { RecallRepository } from './recall.repository';

/**
 * A reagent lot's recall list: the batches whose events used it, their doses and their banked vials. A wide
 * read across materials, batches, doses and the bank, so it lives in the read model and none of those
 * modules has to import another for it.
 */
@Injectable()
export class RecallService {
  constructor(
    private readonly materials: MaterialsService,
    private readonly recall: RecallRepository,
    private readonly vialRecords: VialRecordsService,
  ) {}

  async usage(lotId: string): Promise<MaterialLotUsageDto> {
    const lot = await this.materials.lotView(lotId);
    const batches = await this.recall.recallList(lotId);
    const vials = await this.vialRecords.vialsOfBatches(batches.map((batch) => batch.id));
    return { lot, batches: batches.map((batch) => recallBatchView(batch, vials.get(batch.id) ?? [])) };
  }
}
