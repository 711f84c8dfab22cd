import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { HeadSigner } from './ledger/head-signer';
import { AuditSequencer } from './ledger/sequencer.service';

/**
 * The audit ledger: query, signed heads, proofs, verify, export, and the sequencer that integrates entries
 * into the Merkle tree. Entries are written by the transaction helper in common/transaction, inside each
 * command's own transaction.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, HeadSigner, AuditSequencer],
  exports: [AuditService],
})
export class AuditModule {}
