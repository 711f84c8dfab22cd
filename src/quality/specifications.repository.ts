import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QcTest, Specification, SpecLimit } from './domain/specification';

export interface SpecificationRow extends Specification {
  id: string;
}

/** Release specifications are data: versioned rows, the one a batch was created under judges its results. */
@Injectable()
export class SpecificationsRepository {
  async findById(id: string, manager: EntityManager): Promise<SpecificationRow | null> {
    const rows = await manager.query<
      { id: string; version: string; maxPassage: number; limits: Record<QcTest, SpecLimit> }[]
    >(`SELECT id, version, max_passage AS "maxPassage", limits FROM specifications WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }
}
