import { Injectable } from '@nestjs/common';
import { VialRecordsService } from '../bank/vial-records.service';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { encodeCursor, PageQuery } from '../common/pagination/pagination';
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

  /**
   * One page of the list (batches in order of first use). A lot used by thousands of batches would make one
   * answer of megabytes, so it is paged like every list; the cursor shares the created-at cursor's form
   * (a time to the microsecond and a UUID), here the batch's first use and its id.
   */
  async usage(lotId: string, page: PageQuery): Promise<MaterialLotUsageDto> {
    const after = createdAtCursor(page.cursor);
    const lot = await this.materials.lotView(lotId);
    const rows = await this.recall.recallPage(lotId, page.limit + 1, after);
    const batches = rows.slice(0, page.limit);
    const vials = await this.vialRecords.vialsOfBatches(batches.map((batch) => batch.id));
    const last = batches[batches.length - 1];
    return {
      lot,
      batches: batches.map((batch) => recallBatchView(batch, vials.get(batch.id) ?? [])),
      nextCursor: rows.length > page.limit ? encodeCursor([last.cursorAt, last.id]) : null,
    };
  }
}
